// Stream consumer for approved decisions: executes each on ECS exactly once. Its `sweep` runs every
// minute and finishes decisions that no stream record will bring back (a scaler that died or could
// not record its result, a record lost after its retries).
import { config } from '../lib/config';
import { logger } from '../lib/logger';
import { scheduledHandler } from '../lib/middleware/scheduled';
import { streamHandler } from '../lib/middleware/stream';
import { executeDeps } from '../lib/wiring/decisions';
import { decisionSchema, parseWith } from '../src/model';
import { executeDecision } from '../src/use-cases/execute-decision';
import { sweepUnfinishedDecisions } from '../src/use-cases/sweep-decisions';

export const handler = streamHandler(
  async (image) => {
    if (image.kind !== 'decision') return;
    const decision = parseWith(
      decisionSchema,
      image.newImage,
      `decision in stream record ${image.eventId}`,
    );
    if (decision.status !== 'approved') return;
    const c = config();
    const outcome = await executeDecision(executeDeps(c), decision, c.decisionSwitches);
    logger.info('decision handled', { decisionId: decision.id, action: decision.action, outcome });
  },
  { inOrderPerPartition: true },
);

export const sweep = scheduledHandler(async () => {
  const c = config();
  const result = await sweepUnfinishedDecisions(executeDeps(c), c.decisionSwitches);
  for (const failure of result.failures) logger.error('decisions not swept', failure);
  for (const f of result.finished) logger.warn('unfinished decision finished by the sweep', f);
  return { finished: result.finished.length, failures: result.failures.length };
});
