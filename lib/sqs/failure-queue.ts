// The stream failure queue as /health sees it: how many failure records wait there for
// `npm run replay-failures` (records that exhausted their retries, or alerts Slack never got).
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { awsError } from '../aws/errors';
import type { FailureQueue } from '../../src/use-cases/health-report';

export class SqsFailureQueue implements FailureQueue {
  constructor(
    private readonly sqs: SQSClient,
    readonly queueUrl: string,
    private readonly endpoint: string | undefined,
  ) {}

  /** Visible and in-flight messages: one being replayed is still lost until the replay deletes it. */
  async pendingCount(): Promise<number> {
    try {
      const out = await this.sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: this.queueUrl,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      );
      const a = out.Attributes ?? {};
      return (
        Number(a.ApproximateNumberOfMessages ?? 0) +
        Number(a.ApproximateNumberOfMessagesNotVisible ?? 0)
      );
    } catch (err) {
      throw awsError(err, `SQS queue '${this.queueUrl}'`, this.endpoint);
    }
  }
}
