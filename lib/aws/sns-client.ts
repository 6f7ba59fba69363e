// The SNS client, behind its circuit breaker.
import { SNSClient } from '@aws-sdk/client-sns';
import { guardClient } from '../breaker/breakers';
import { clientOptions, oncePerEndpoint } from './client-options';

export const snsClient = /* @__PURE__ */ oncePerEndpoint((c) =>
  guardClient(new SNSClient(clientOptions(c)), 'sns'),
);
