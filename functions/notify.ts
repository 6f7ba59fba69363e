// Stream consumer for anomalies and decision outcomes: publishes each to the alerts topic once.
import { adapters } from '../lib/adapters';
import { systemClock } from '../lib/clock';
import { logger } from '../lib/logger';
import { streamHandler } from '../lib/middleware/stream';
import { anomalySchema, decisionSchema, parseWith } from '../src/model';
import type { NotifiableEvent } from '../src/use-cases/notification-messages';
import { publishNotification } from '../src/use-cases/publish-notification';

const notifiedDecisionStates = new Set(['proposed', 'executed', 'failed']);

export const handler = streamHandler(async (image) => {
  let event: NotifiableEvent;
  if (image.kind === 'anomaly' && image.eventName === 'INSERT') {
    event = {
      kind: 'anomaly',
      anomaly: parseWith(
        anomalySchema,
        image.newImage,
        `anomaly in stream record ${image.eventId}`,
      ),
    };
  } else if (image.kind === 'decision') {
    const decision = parseWith(
      decisionSchema,
      image.newImage,
      `decision in stream record ${image.eventId}`,
    );
    if (!notifiedDecisionStates.has(decision.status) || image.oldImage?.status === decision.status)
      return;
    event = { kind: 'decision', decision };
  } else {
    return;
  }
  const a = adapters();
  const outcome = await publishNotification(
    {
      clock: systemClock,
      log: a.store,
      notifier: a.notifier(),
      statusPageUrl: a.config.statusPageUrl,
    },
    event,
  );
  logger.info('notification', { kind: event.kind, outcome });
});
