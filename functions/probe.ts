// Scheduled every minute: checks every service's declared dependencies (SPEC C4) and writes
// probe_latency_ms, availability and probe_failures for the next collect tick.
import { config } from '../lib/config';
import { logger } from '../lib/logger';
import { scheduledHandler } from '../lib/middleware/scheduled';
import { probeDeps } from '../lib/wiring/probe';
import { probeDependencies } from '../src/use-cases/probe-dependencies';

export const handler = scheduledHandler(async () => {
  const result = await probeDependencies(probeDeps(config()));
  for (const c of result.checks.filter((x) => !x.ok)) logger.warn('dependency down', { ...c });
  for (const e of result.errors) logger.error('probe results not stored', e);
  logger.info('probe run', { checks: result.checks.length, failures: result.failures });
  return { checks: result.checks.length, failures: result.failures, errors: result.errors };
});
