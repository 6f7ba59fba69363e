// Publishes alerts to the SNS topic with severity / service / kind attributes for subscription filters.
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { Notifier, OutboundMessage } from '../../src/ports';
import { awsError } from '../aws/errors';

/** SNS limits the email subject to 100 printable ASCII characters without line breaks. */
export function snsSubject(subject: string): string {
  const ascii = subject.replace(/[^\x20-\x7E]/g, '').trim();
  return ascii.length > 100 ? `${ascii.slice(0, 99)}…`.replace(/…$/, '.') : ascii;
}

export class SnsNotifier implements Notifier {
  constructor(
    private readonly sns: SNSClient,
    private readonly topicArn: string,
    private readonly endpoint?: string,
  ) {}

  async publish(message: OutboundMessage) {
    const attributes = Object.fromEntries(
      Object.entries(message.attributes).map(([k, v]) => [
        k,
        { DataType: 'String', StringValue: v },
      ]),
    );
    const out = await this.sns
      .send(
        new PublishCommand({
          TopicArn: this.topicArn,
          Subject: snsSubject(message.subject),
          Message: message.body,
          MessageStructure: message.structure,
          MessageAttributes: attributes,
        }),
      )
      .catch((err) => {
        throw awsError(err, `SNS topic '${this.topicArn}'`, this.endpoint);
      });
    return { messageId: out.MessageId ?? '' };
  }
}
