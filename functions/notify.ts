// Stream consumer for anomalies, samples, decisions and outcomes: folds each into its service's
// incidents and publishes what is due to the alerts topic, exactly once per message.
import { logger } from '../lib/logger';
import { streamHandler } from '../lib/middleware/stream';
import type { StreamImage } from '../lib/store/stream-image';
import { config } from '../lib/config';
import { alertDeps } from '../lib/wiring/alerting';
import { actionOutcomeSchema } from '../src/alerting';
import { anomalySchema, decisionSchema, parseWith, sampleSchema } from '../src/model';
import { processAlertInput, type AlertInput } from '../src/use-cases/alert-notifications';

/** The alert input a stream image carries; null when nothing in it concerns people. */
export function alertInputOf(image: StreamImage): AlertInput | null {
  const what = `${image.kind} in stream record ${image.eventId}`;
  switch (image.kind) {
    case 'anomaly':
      return { kind: 'anomaly', anomaly: parseWith(anomalySchema, image.newImage, what) };
    case 'sample':
      return { kind: 'sample', sample: parseWith(sampleSchema, image.newImage, what) };
    case 'outcome':
      return { kind: 'outcome', outcome: parseWith(actionOutcomeSchema, image.newImage, what) };
    case 'decision': {
      const decision = parseWith(decisionSchema, image.newImage, what);
      // The verifier judged an executed action: that is the recovery note (SPEC N5).
      if (decision.outcome && decision.verifiedAt && !image.oldImage?.outcome) {
        return {
          kind: 'outcome',
          outcome: parseWith(
            actionOutcomeSchema,
            {
              decisionId: decision.id,
              serviceId: decision.serviceId,
              verdict: decision.outcome,
              at: decision.verifiedAt,
              detail: decision.outcomeDetail ?? '',
            },
            what,
          ),
        };
      }
      // A MODIFY that kept the status (a claim timestamp, a result) is not news.
      if (image.oldImage?.status === decision.status) return null;
      return { kind: 'decision', decision };
    }
    default:
      return null;
  }
}

export const handler = streamHandler(async (image) => {
  const input = alertInputOf(image);
  if (input === null) return;
  const result = await processAlertInput(alertDeps(config()), input);
  if (result.published.length > 0 || result.duplicates.length > 0) {
    logger.info('alerts', { kind: input.kind, ...result });
  }
});
