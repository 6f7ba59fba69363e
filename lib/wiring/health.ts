// The api function's view of the stream failure queue for GET /health; null when the environment
// names no queue (a stack without one, or a test).
import type { AppConfig } from '../config';
import { sqsClient } from '../aws/sqs-client';
import { SqsFailureQueue } from '../sqs/failure-queue';
import { perConfig } from './per-config';

export const failureQueue = perConfig((c: AppConfig) =>
  c.failureQueueUrl ? new SqsFailureQueue(sqsClient(c), c.failureQueueUrl, c.endpoint) : null,
);
