// Scheduled daily (SPEC O4): keep and send yesterday's report, delete the models of series that
// stopped reporting, and keep each service's first-seen mark for the status page's history.
import { config } from '../lib/config';
import { logger } from '../lib/logger';
import { scheduledHandler } from '../lib/middleware/scheduled';
import { housekeepingDeps } from '../lib/wiring/housekeeping';
import { runHousekeeping } from '../src/use-cases/housekeeping';

export const handler = scheduledHandler(async () => {
  const result = await runHousekeeping(housekeepingDeps(config()));
  logger.info('housekeeping done', { ...result, compacted: result.compacted.length });
  for (const m of result.compacted) logger.info('stale model deleted', { ...m });
  return result;
});
