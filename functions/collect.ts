// Scheduled every minute: one collector tick over every watched service.
import { z } from 'zod';
import { systemClock } from '../lib/clock';
import { config } from '../lib/config';
import { logger } from '../lib/logger';
import { scheduledHandler } from '../lib/middleware/scheduled';
import { collectDeps } from '../lib/wiring/collect';
import { parseWith } from '../src/model';
import { collectTick, defaultCollectOptions } from '../src/use-cases/collect-tick';

const scheduledEventSchema = z.looseObject({
  /** EventBridge's scheduled time; the demo and replays pass their own. */
  time: z.iso.datetime({ offset: true }).optional(),
});

export const handler = scheduledHandler(async (event: unknown) => {
  const { time } = parseWith(scheduledEventSchema, event ?? {}, 'scheduled event');
  const tickAt = time ? new Date(time) : systemClock.now();
  const c = config();
  const result = await collectTick(collectDeps(c), tickAt, {
    ...defaultCollectOptions,
    detectionEnabled: c.switches.anomalyDetection,
  });
  for (const failure of result.failures) logger.error('service not collected', failure);
  if (result.services > 0 && result.failures.length >= result.services) {
    throw new Error(
      `collect failed for every service: ${result.failures.map((f) => f.error).join('; ')}`,
    );
  }
  logger.info('tick', { ...result, anomalies: result.anomalies.map((x) => x.id) });
  return { ...result, anomalies: result.anomalies.map((x) => x.id) };
});
