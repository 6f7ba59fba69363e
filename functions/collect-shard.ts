// Invoked asynchronously by the collect dispatcher: one shard of a tick's services. Services that
// fail are tried again within the invocation while its time allows (collectShard); a shard whose
// every service still failed throws, so Lambda retries it alone (then sends it to the failure queue).
import { z } from 'zod';
import { config } from '../lib/config';
import { logger } from '../lib/logger';
import { scheduledHandler } from '../lib/middleware/scheduled';
import { collectOptions, shardDeps } from '../lib/wiring/collect';
import { parseWith, serviceSchema } from '../src/model';
import { collectShard, defaultFaultPolicy } from '../src/use-cases/collect-dispatch';

const shardSchema = z.strictObject({
  tickAt: z.iso.datetime({ offset: true }),
  index: z.number().int().min(0),
  count: z.number().int().min(1),
  services: z.array(serviceSchema).min(1),
});

export const handler = scheduledHandler(async (event: unknown, context) => {
  const shard = parseWith(shardSchema, event, 'collect shard');
  const c = config();
  const result = await collectShard(
    shardDeps(c),
    shard,
    collectOptions(c),
    defaultFaultPolicy,
    // Lambda's own deadline: a further pass starts only with room for it.
    typeof context?.getRemainingTimeInMillis === 'function'
      ? () => context.getRemainingTimeInMillis()
      : undefined,
  );
  for (const failure of result.failures) logger.error('service not collected', failure);
  if (result.failures.filter((f) => f.serviceId !== '*').length >= result.services) {
    throw new Error(
      `shard ${shard.index} failed for every service: ${result.failures.map((f) => f.error).join('; ')}`,
    );
  }
  const summary = { ...result, shard: shard.index, anomalies: result.anomalies.map((x) => x.id) };
  logger.info('shard', summary);
  return summary;
});
