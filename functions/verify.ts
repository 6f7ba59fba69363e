// Scheduled every minute: judge executed actions whose verification window has passed, learn from
// the outcome, and undo what made things worse.
import { config } from '../lib/config';
import { logger } from '../lib/logger';
import { scheduledHandler } from '../lib/middleware/scheduled';
import { verifyDeps } from '../lib/wiring/decisions';
import { verifyActions } from '../src/use-cases/verify-actions';

export const handler = scheduledHandler(async () => {
  const c = config();
  const result = await verifyActions(verifyDeps(c), c.decisionSwitches);
  for (const failure of result.failures) logger.error('service not verified', failure);
  for (const v of result.verified) logger.info('action verified', { ...v });
  if (result.failures.length > 0 && result.verified.length === 0) {
    throw new Error(`verify failed: ${result.failures.map((f) => f.error).join('; ')}`);
  }
  return { verified: result.verified.length, waiting: result.waiting };
});
