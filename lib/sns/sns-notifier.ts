// Publishes alerts to the SNS topic with severity / service / kind attributes for subscription filters.
// A Publish is sent so that it publishes at most once per call: a throttled call (refused, so not
// published) is sent again after a pause; a call that got no answer — a timeout, a cut connection, a
// 5xx — may have published, and is an OutcomeUnknownError for the caller to settle (the topic's echo,
// lib/sns/topic-echo.ts), never resent here.
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { Notifier, OutboundMessage } from '../../src/ports';
import { OutcomeUnknownError } from '../../src/errors';
import { isCircuitOpen } from '../../src/resilience/circuit-breaker';
import { awsError } from '../aws/errors';

/** SNS limits the email subject to 100 printable ASCII characters without line breaks. */
export function snsSubject(subject: string): string {
  const ascii = subject.replace(/[^\x20-\x7E]/g, '').trim();
  return ascii.length > 100 ? `${ascii.slice(0, 99)}…`.replace(/…$/, '.') : ascii;
}

const THROTTLED_ATTEMPTS = 4;

/** Node's names for "the request never left": nothing can have been published. */
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH']);

function errorCode(err: unknown): string {
  const e = err as { name?: string; code?: string; cause?: { code?: string } } | null;
  return e?.cause?.code ?? e?.code ?? e?.name ?? 'Error';
}

function httpStatusOf(err: unknown): number | undefined {
  return (err as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
}

export function isThrottled(err: unknown): boolean {
  const code = errorCode(err);
  return (
    httpStatusOf(err) === 429 ||
    code === 'Throttling' ||
    code === 'ThrottlingException' ||
    code === 'ThrottledException'
  );
}

/** SNS refused it (4xx) or it never left: not published. No status, or a 5xx, may hide a publish. */
export function mayHavePublished(err: unknown): boolean {
  if (isCircuitOpen(err) || NEVER_SENT.has(errorCode(err))) return false;
  const status = httpStatusOf(err);
  return status === undefined || status >= 500;
}

export class SnsNotifier implements Notifier {
  constructor(
    private readonly sns: SNSClient,
    private readonly topicArn: string,
    private readonly endpoint?: string,
    /** The pause before resending a throttled Publish (tests pass 0). */
    private readonly throttlePauseMs = 100,
  ) {}

  async publish(message: OutboundMessage) {
    const attributes = Object.fromEntries(
      Object.entries(message.attributes).map(([k, v]) => [
        k,
        { DataType: 'String', StringValue: v },
      ]),
    );
    const command = new PublishCommand({
      TopicArn: this.topicArn,
      Subject: snsSubject(message.subject),
      Message: message.body,
      MessageStructure: message.structure,
      MessageAttributes: attributes,
    });
    const what = `SNS topic '${this.topicArn}'`;
    for (let attempt = 1; ; attempt++) {
      try {
        const out = await this.sns.send(command);
        return { messageId: out.MessageId ?? '' };
      } catch (err) {
        if (isThrottled(err) && attempt < THROTTLED_ATTEMPTS) {
          const pause = this.throttlePauseMs * 2 ** attempt * (0.5 + Math.random());
          await new Promise((r) => setTimeout(r, pause));
          continue;
        }
        if (mayHavePublished(err)) {
          throw new OutcomeUnknownError(
            `${what}: Publish got no answer (${errorCode(err)}); it may have been published`,
            err,
          );
        }
        throw awsError(err, what, this.endpoint);
      }
    }
  }
}
