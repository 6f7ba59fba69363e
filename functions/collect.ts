// Scheduled every minute: the collector's dispatcher. It collects a fleet of at most one shard
// itself and hands a larger fleet to collect-shard workers, one asynchronous invocation per shard.
import { z } from 'zod';
import { systemClock } from '../lib/clock';
import { config } from '../lib/config';
import { logger } from '../lib/logger';
import { scheduledHandler } from '../lib/middleware/scheduled';
import { collectOptions, dispatchDeps } from '../lib/wiring/collect';
import { parseWith } from '../src/model';
import { dispatchCollect } from '../src/use-cases/collect-dispatch';

const scheduledEventSchema = z.looseObject({
  /** EventBridge's scheduled time; the demo and replays pass their own. */
  time: z.iso.datetime({ offset: true }).optional(),
});

export const handler = scheduledHandler(async (event: unknown) => {
  const { time } = parseWith(scheduledEventSchema, event ?? {}, 'scheduled event');
  const tickAt = time ? new Date(time) : systemClock.now();
  const c = config();
  const dispatched = await dispatchCollect(
    dispatchDeps(c),
    tickAt,
    c.collect.shardSize,
    collectOptions(c),
  );
  if (dispatched.listing.source === 'remembered')
    logger.error('fleet query failed: the tick runs on the last listing', dispatched.listing);
  if (dispatched.heartbeatError)
    logger.error('collector heartbeat not written', { error: dispatched.heartbeatError });
  for (const failure of dispatched.failedShards) logger.error('shard not handed over', failure);
  const result = dispatched.inline;
  if (!result) {
    logger.info('tick dispatched', { ...dispatched });
    return dispatched;
  }
  for (const failure of result.failures) logger.error('service not collected', failure);
  if (result.services > 0 && result.failures.length >= result.services) {
    throw new Error(
      `collect failed for every service: ${result.failures.map((f) => f.error).join('; ')}`,
    );
  }
  logger.info('tick', { ...result, anomalies: result.anomalies.map((x) => x.id) });
  return { ...result, anomalies: result.anomalies.map((x) => x.id) };
});
