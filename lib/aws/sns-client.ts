// The SNS client.
import { SNSClient } from '@aws-sdk/client-sns';
import { clientOptions, oncePerEndpoint } from './client-options';

export const snsClient = /* @__PURE__ */ oncePerEndpoint((c) => new SNSClient(clientOptions(c)));
