// Stream consumer for new anomaly items: writes one decision per anomaly.
import { adapters } from '../lib/adapters';
import { systemClock } from '../lib/clock';
import { logger } from '../lib/logger';
import { streamHandler } from '../lib/middleware/stream';
import { anomalySchema, parseWith } from '../src/model';
import { decideOnAnomaly } from '../src/use-cases/decide-on-anomaly';

export const handler = streamHandler(async (image) => {
  if (image.kind !== 'anomaly' || image.eventName !== 'INSERT') return;
  const anomaly = parseWith(
    anomalySchema,
    image.newImage,
    `anomaly in stream record ${image.eventId}`,
  );
  const a = adapters();
  const { decision, created } = await decideOnAnomaly(
    { clock: systemClock, registry: a.registry, decisions: a.store },
    anomaly,
    { autoScaling: a.config.switches.autoScaling },
  );
  logger.info(created ? 'decision written' : 'decision already existed', {
    decisionId: decision.id,
    action: decision.action,
    status: decision.status,
  });
});
