// The CloudWatch client.
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { clientOptions, oncePerEndpoint } from './client-options';

export const cloudwatchClient = /* @__PURE__ */ oncePerEndpoint(
  (c) => new CloudWatchClient(clientOptions(c)),
);
