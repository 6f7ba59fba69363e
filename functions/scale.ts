// Stream consumer for approved decisions: executes each on ECS exactly once.
import { systemClock } from '../lib/clock';
import { logger } from '../lib/logger';
import { streamHandler } from '../lib/middleware/stream';
import { decisionAdapters } from '../lib/store/decision-adapters';
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
  const a = decisionAdapters();
  const outcome = await executeDecision(
    {
      clock: systemClock,
      registry: a.registry,
      decisions: a.store,
      ledger: a.ledger,
      scaler: a.scaler,
    },
    decision,
    a.switches,
  );
  logger.info('decision handled', { decisionId: decision.id, action: decision.action, outcome });
});
