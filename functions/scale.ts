// Stream consumer for approved decisions: executes each on ECS exactly once.
import { config } from '../lib/config';
import { logger } from '../lib/logger';
import { streamHandler } from '../lib/middleware/stream';
import { executeDeps } from '../lib/wiring/decisions';
import { decisionSchema, parseWith } from '../src/model';
import { executeDecision } from '../src/use-cases/execute-decision';

export const handler = streamHandler(async (image) => {
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
});
