// The SQS client (the stream failure queue, queue workers' backlogs).
import { SQSClient } from '@aws-sdk/client-sqs';
import { clientOptions, oncePerEndpoint } from './client-options';

export const sqsClient = /* @__PURE__ */ oncePerEndpoint((c) => new SQSClient(clientOptions(c)));
