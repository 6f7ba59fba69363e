// Stream consumer for new anomaly items: writes one decision per anomaly.
import { config } from '../lib/config';
import { logger } from '../lib/logger';
import { streamHandler } from '../lib/middleware/stream';
import { decideDeps } from '../lib/wiring/decisions';
import { anomalySchema, parseWith } from '../src/model';
import { decideOnAnomaly } from '../src/use-cases/decide-on-anomaly';

export const handler = streamHandler(async (image) => {
  if (image.kind !== 'anomaly' || image.eventName !== 'INSERT') return;
  const anomaly = parseWith(
    anomalySchema,
    image.newImage,
    `anomaly in stream record ${image.eventId}`,
  );
  const c = config();
  const { decision, created } = await decideOnAnomaly(decideDeps(c), anomaly, c.decisionSwitches);
  logger.info(created ? 'decision written' : 'decision already existed', {
    decisionId: decision.id,
    action: decision.action,
    status: decision.status,
    diagnosis: decision.diagnosis,
    result: decision.result,
  });
});
