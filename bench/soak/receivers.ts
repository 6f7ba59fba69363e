// The people's side of the soak: what each receiver of an alert gets, counted the way a user sees
// it. SNS delivers every message that reached the topic (the proxy saw moto accept the Publish) to
// its Lambda subscriber — the real slack function, run in the background like an asynchronous
// invocation (two retries, as Lambda does for SNS) — which posts to a local Slack webhook and a
// generic webhook served here. The email subscription (filter: severity critical) cannot
// deduplicate: each accepted Publish of a critical message is one email.
import { AsyncLocalStorage } from 'node:async_hooks';
import { createServer, type Server } from 'node:http';
import type { Context, SNSEvent } from 'aws-lambda';
import type { PublishCall } from './fault-proxy';
import { BackgroundWork, listenLocally, stopAfterWork } from './local-server';
import { traced } from './trace';

export type SnsSubscriber = (event: SNSEvent, context: Context) => Promise<unknown>;

const RETRIES = 2;

/**
 * Which SNS delivery a post came from (notification, SNS message id, try): the slack function's
 * posts carry it to the receivers in a header, so a copy says whether SNS had the message twice or
 * one message was posted twice.
 */
const deliveryLabel = new AsyncLocalStorage<string>();
const DELIVERY_HEADER = 'x-soak-delivery';
let fetchLabelled = false;

function labelFetches() {
  if (fetchLabelled) return;
  fetchLabelled = true;
  const original = globalThis.fetch;
  globalThis.fetch = (input, init) => {
    const label = deliveryLabel.getStore();
    if (label === undefined) return original(input, init);
    const headers = new Headers(init?.headers);
    headers.set(DELIVERY_HEADER, label);
    return original(input, { ...init, headers });
  };
}

export interface ReceiverCounts {
  /** Posts per receiver and message (Slack: the rendered body; webhook and email: the id). */
  slack: Map<string, number>;
  webhook: Map<string, number>;
  email: Map<string, number>;
  subscriberRuns: number;
  subscriberFailures: { error: string }[];
  /** Per receiver and message: the deliveries that posted it (`notification message try`). */
  postedBy: Map<string, string[]>;
}

/** SNS's Lambda deliveries whose retries ran out (the slack function's on-failure queue). */
type FailedDelivery = { event: SNSEvent; error: string; replayErrors: string[] };

/** A delivery waiting for its retry: tries so far, due on the simulated clock. */
interface PendingDelivery {
  event: SNSEvent;
  notification: string;
  messageId: string;
  tries: number;
  due?: number;
}

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
    postedBy: new Map(),
  };
  private server: Server | undefined;
  private readonly work = new BackgroundWork();
  private readonly failed: FailedDelivery[] = [];
  private retrying: (PendingDelivery & { due: number })[] = [];
  private n = 0;

  constructor(
    private readonly subscriber: SnsSubscriber,
    private readonly contextOf: () => Context,
    private readonly topicArn: string,
    /** The simulated clock: retries wait on it. */
    private readonly now: () => Date,
  ) {}

  /** Starts the webhook receivers; returns the Slack and the generic webhook URL. */
  async start(): Promise<{ slackUrl: string; webhookUrl: string }> {
    labelFetches();
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const by = String(req.headers[DELIVERY_HEADER] ?? '?');
        if (req.url === '/slack') {
          bump(this.counts.slack, body);
          record(this.counts.postedBy, `slack ${body}`, by);
        } else {
          let id = body;
          try {
            id = (JSON.parse(body) as { notification?: { id?: string } }).notification?.id ?? body;
          } catch {
            // counted by its body
          }
          bump(this.counts.webhook, id);
          record(this.counts.postedBy, `webhook ${id}`, by);
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
    await this.attempt({ event, notification: notificationIdOfPublish(p), messageId, tries: 0 });
  }

  /**
   * One invocation of the subscriber. A failed one is retried like Lambda's asynchronous
   * invocation: not at once but a minute, then two minutes later (`retryDue`, called by the soak
   * each simulated minute that far on); after two retries it goes to the failure queue.
   */
  private async attempt(d: PendingDelivery) {
    this.counts.subscriberRuns += 1;
    const tries = d.tries + 1;
    try {
      await deliveryLabel.run(`${d.notification} ${d.messageId} try ${tries}`, () =>
        traced('slack', () => this.subscriber(d.event, this.contextOf())),
      );
    } catch (err) {
      const error = (err as Error).message;
      if (tries <= RETRIES) {
        this.retrying.push({ ...d, tries, due: this.now().getTime() + tries * 60_000 });
        return;
      }
      this.counts.subscriberFailures.push({ error: error.slice(0, 300) });
      this.failed.push({ event: d.event, error, replayErrors: [] });
    }
  }

  /** Runs the retries whose delay has passed on the simulated clock (in the background). */
  retryDue() {
    const now = this.now().getTime();
    const due = this.retrying.filter((d) => d.due <= now);
    this.retrying = this.retrying.filter((d) => d.due > now);
    for (const d of due) this.work.add(this.attempt(d));
  }

  /**
   * The operator's replay of the failure queue (`npm run replay-failures`), run until the queue is
   * empty or `rounds` replays left it unchanged; returns what stays (listed by `stillFailing`).
   */
  async replayFailed(rounds = 5): Promise<number> {
    await this.idle();
    // The end: retries still waiting have had their delay; what fails them goes to the queue.
    while (this.retrying.length > 0) {
      for (const d of this.retrying.splice(0)) {
        this.work.add(this.attempt({ ...d, tries: RETRIES }));
      }
      await this.idle();
    }
    for (let round = 1; round <= rounds && this.failed.length > 0; round++) {
      for (const f of this.failed.splice(0)) {
        this.counts.subscriberRuns += 1;
        const record = f.event.Records[0]!;
        const label = `${notificationIdOfSns(record.Sns.Message)} ${record.Sns.MessageId} replay ${round}`;
        await deliveryLabel
          .run(label, () => traced('slack', () => this.subscriber(f.event, this.contextOf())))
          .catch((err: Error) =>
            this.failed.push({
              ...f,
              error: err.message,
              replayErrors: [...f.replayErrors, err.message.slice(0, 200)],
            }),
          );
      }
    }
    return this.failed.length;
  }

  /** Deliveries in the failure queue. */
  get failedCount(): number {
    return this.failed.length;
  }

  /** Deliveries still waiting for SNS's retry (not yet in the failure queue). */
  get retryingCount(): number {
    return this.retrying.length;
  }

  /** What the failure queue holds: notification, message, and each replay's error. */
  stillFailing(): {
    notification: string;
    messageId: string;
    lastError: string;
    replayErrors: string[];
  }[] {
    return this.failed.map((f) => {
      const record = f.event.Records[0]!;
      return {
        notification: notificationIdOfSns(record.Sns.Message),
        messageId: record.Sns.MessageId,
        lastError: f.error.slice(0, 200),
        replayErrors: f.replayErrors,
      };
    });
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

/** The notification id in the message a Lambda subscriber gets. */
function notificationIdOfSns(message: string): string {
  try {
    return (JSON.parse(message) as { notification?: { id?: string } }).notification?.id ?? '?';
  } catch {
    return '?';
  }
}

function record(map: Map<string, string[]>, key: string, by: string) {
  map.set(key, [...(map.get(key) ?? []), by]);
}

/** Each message a receiver got more than once, with the deliveries that posted it. */
export function copiesAtReceivers(counts: ReceiverCounts) {
  return [...counts.postedBy]
    .filter(([, by]) => by.length > 1)
    .map(([key, by]) => ({
      receiver: key.split(' ')[0],
      message: key.slice(key.indexOf(' ') + 1, key.indexOf(' ') + 161),
      postedBy: by,
    }));
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
