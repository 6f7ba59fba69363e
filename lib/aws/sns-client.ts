// The SNS client, behind its circuit breaker.
import { SNSClient } from '@aws-sdk/client-sns';
import { guardClient } from '../breaker/breakers';
import { clientOptions, oncePerEndpoint } from './client-options';

export const snsClient = /* @__PURE__ */ oncePerEndpoint((c) =>
  guardClient(new SNSClient(clientOptions(c)), 'sns'),
);

/**
 * For the alerts' Publish alone: one attempt. A standard topic takes no idempotency token, so the
 * SDK's retry of a Publish whose answer was lost (a timeout, a cut connection, a 5xx) would send the
 * message twice. The notifier retries throttling itself (refused, so never published) and reports
 * any other failure without an answer as an unknown outcome, which the topic's echo settles.
 */
export const snsPublishClient = /* @__PURE__ */ oncePerEndpoint((c) =>
  guardClient(new SNSClient({ ...clientOptions(c), maxAttempts: 1 }), 'sns'),
);
