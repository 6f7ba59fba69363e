// Stream consumer for new anomaly items: writes one decision per anomaly.
import { systemClock } from '../lib/clock';
import { logger } from '../lib/logger';
import { streamHandler } from '../lib/middleware/stream';
import { decisionAdapters } from '../lib/store/decision-adapters';
import { anomalySchema, parseWith } from '../src/model';
import { decideOnAnomaly } from '../src/use-cases/decide-on-anomaly';

export const handler = streamHandler(async (image) => {
  if (image.kind !== 'anomaly' || image.eventName !== 'INSERT') return;
  const anomaly = parseWith(
    anomalySchema,
    image.newImage,
    `anomaly in stream record ${image.eventId}`,
  );
  const a = decisionAdapters();
  const { decision, created } = await decideOnAnomaly(
    {
      clock: systemClock,
      registry: a.registry,
      decisions: a.store,
      ledger: a.ledger,
      observations: a.store,
      learning: a.learning,
      models: a.store,
    },
    anomaly,
    a.switches,
  );
  logger.info(created ? 'decision written' : 'decision already existed', {
    decisionId: decision.id,
    action: decision.action,
    status: decision.status,
    diagnosis: decision.diagnosis,
    result: decision.result,
  });
});
