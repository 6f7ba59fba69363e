// The CloudWatch client, behind its circuit breaker.
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { guardClient } from '../breaker/breakers';
import { clientOptions, oncePerEndpoint } from './client-options';

export const cloudwatchClient = /* @__PURE__ */ oncePerEndpoint((c) =>
  guardClient(new CloudWatchClient(clientOptions(c)), 'cloudwatch'),
);
