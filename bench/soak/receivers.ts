// The people's side of the soak: what each receiver of an alert gets, counted the way a user sees
// it. SNS delivers every message that reached the topic (the proxy saw moto accept the Publish) to
// its Lambda subscriber — the real slack function, run in the background like an asynchronous
// invocation (two retries, as Lambda does for SNS) — which posts to a local Slack webhook and a
// generic webhook served here. The email subscription (filter: severity critical) cannot
// deduplicate: each accepted Publish of a critical message is one email.
import { createServer, type Server } from 'node:http';
import type { Context, SNSEvent } from 'aws-lambda';
import type { PublishCall } from './fault-proxy';
import { BackgroundWork, listenLocally, stopAfterWork } from './local-server';

export type SnsSubscriber = (event: SNSEvent, context: Context) => Promise<unknown>;

const RETRIES = 2;

export interface ReceiverCounts {
  /** Posts per receiver and message (Slack: the rendered body; webhook and email: the id). */
  slack: Map<string, number>;
  webhook: Map<string, number>;
  email: Map<string, number>;
  subscriberRuns: number;
  subscriberFailures: { error: string }[];
}

/** SNS's Lambda deliveries whose retries ran out (the slack function's on-failure queue). */
type FailedDelivery = { event: SNSEvent; error: string };

export function notificationIdOfPublish(p: Pick<PublishCall, 'message'>): string {
  try {
    const outer = JSON.parse(p.message) as { default?: string };
    const inner = JSON.parse(outer.default ?? '{}') as { notification?: { id?: string } };
    return inner.notification?.id ?? p.message;
  } catch {
    return p.message;
  }
}

export class Receivers {
  readonly counts: ReceiverCounts = {
    slack: new Map(),
    webhook: new Map(),
    email: new Map(),
    subscriberRuns: 0,
    subscriberFailures: [],
  };
  private server: Server | undefined;
  private readonly work = new BackgroundWork();
  private readonly failed: FailedDelivery[] = [];
  private n = 0;

  constructor(
    private readonly subscriber: SnsSubscriber,
    private readonly contextOf: () => Context,
    private readonly topicArn: string,
  ) {}

  /** Starts the webhook receivers; returns the Slack and the generic webhook URL. */
  async start(): Promise<{ slackUrl: string; webhookUrl: string }> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if (req.url === '/slack') bump(this.counts.slack, body);
        else {
          let id = body;
          try {
            id = (JSON.parse(body) as { notification?: { id?: string } }).notification?.id ?? body;
          } catch {
            // counted by its body
          }
          bump(this.counts.webhook, id);
        }
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('ok');
      });
    });
    const base = await listenLocally(this.server);
    return { slackUrl: `${base}/slack`, webhookUrl: `${base}/webhook` };
  }

  /** A Publish moto accepted: SNS fans it out to the email filter and the Lambda subscriber. */
  published(p: PublishCall, messageId: string) {
    if (p.attributes.severity === 'critical') bump(this.counts.email, notificationIdOfPublish(p));
    this.work.add(this.deliver(p, messageId));
  }

  idle(): Promise<void> {
    return this.work.idle();
  }

  stop(): Promise<void> {
    return stopAfterWork(this.server, this.work);
  }

  private async deliver(p: PublishCall, messageId: string) {
    this.n += 1;
    const event = {
      Records: [
        {
          EventSource: 'aws:sns',
          EventVersion: '1.0',
          EventSubscriptionArn: `${this.topicArn}:soak-${this.n}`,
          Sns: {
            Type: 'Notification',
            MessageId: messageId,
            TopicArn: this.topicArn,
            Subject: null,
            // A Lambda subscriber gets the JSON structure's `default` body.
            Message: lambdaBody(p.message),
            Timestamp: new Date().toISOString(),
            SignatureVersion: '1',
            Signature: '',
            SigningCertUrl: '',
            UnsubscribeUrl: '',
            MessageAttributes: Object.fromEntries(
              Object.entries(p.attributes).map(([k, v]) => [k, { Type: 'String', Value: v }]),
            ),
          },
        },
      ],
    } as unknown as SNSEvent;
    let last = '';
    for (let attempt = 0; attempt <= RETRIES; attempt++) {
      this.counts.subscriberRuns += 1;
      try {
        await this.subscriber(event, this.contextOf());
        return;
      } catch (err) {
        last = (err as Error).message;
      }
    }
    this.counts.subscriberFailures.push({ error: last.slice(0, 300) });
    this.failed.push({ event, error: last });
  }

  /** The operator's replay of the failure queue: each failed delivery once more; still failing. */
  async replayFailed(): Promise<number> {
    await this.idle();
    let stillFailing = 0;
    for (const f of this.failed.splice(0)) {
      this.counts.subscriberRuns += 1;
      await this.subscriber(f.event, this.contextOf()).catch(() => (stillFailing += 1));
    }
    return stillFailing;
  }
}

function lambdaBody(message: string): string {
  try {
    const outer = JSON.parse(message) as { lambda?: string; default?: string };
    return outer.lambda ?? outer.default ?? message;
  } catch {
    return message;
  }
}

function bump(map: Map<string, number>, key: string) {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/** Copies a receiver got beyond the first, summed over receivers. */
export function duplicatesAtReceivers(counts: ReceiverCounts): {
  total: number;
  byReceiver: Record<string, number>;
} {
  const extra = (m: Map<string, number>) => [...m.values()].reduce((n, c) => n + c - 1, 0);
  const byReceiver = {
    slack: extra(counts.slack),
    webhook: extra(counts.webhook),
    email: extra(counts.email),
  };
  return { total: byReceiver.slack + byReceiver.webhook + byReceiver.email, byReceiver };
}
