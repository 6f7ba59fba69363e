// Queue workers' load (SPEC X3): for each service whose scaling.queue names an SQS queue, its backlog
// (ApproximateNumberOfMessages + ApproximateNumberOfMessagesNotVisible: waiting and in flight, as
// KEDA's SQS scaler counts by default) as `queue_backlog`, read now and stamped on the last complete
// minute so this tick uses it. Arrivals (`queue_arrivals`, per second) come from CloudWatch's
// NumberOfMessagesSent through the CloudWatch source (queueArrivalMetrics).
import { GetQueueAttributesCommand, GetQueueUrlCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { CustomMetric, Service } from '../../src/model';
import type { MetricBatch, MetricSource } from '../../src/ports';
import { awsError } from '../aws/errors';
import { logger } from '../logger';

const MINUTE = 60_000;
/** Queues read at once: a large fleet of workers must not open hundreds of sockets in one tick. */
const CONCURRENCY = 8;

function isUrl(nameOrUrl: string): boolean {
  return /^https?:\/\//.test(nameOrUrl);
}

/** The queue's name (CloudWatch's QueueName dimension): itself, or the last part of its URL. */
export function queueNameOf(nameOrUrl: string): string {
  return isUrl(nameOrUrl) ? nameOrUrl.replace(/\/+$/, '').split('/').pop()! : nameOrUrl;
}

/** NumberOfMessagesSent, a one-minute Sum, as messages arriving per second. */
export function queueArrivalMetrics(service: Service): CustomMetric[] {
  const queue = service.scaling.queue?.name;
  if (!queue) return [];
  return [
    {
      id: 'queue_arrivals',
      namespace: 'AWS/SQS',
      name: 'NumberOfMessagesSent',
      dimensions: { QueueName: queueNameOf(queue) },
      statistic: 'Sum',
      unit: 'per-minute',
    },
  ];
}

export class QueueSource implements MetricSource {
  private readonly urls = new Map<string, string>();

  constructor(
    private readonly sqs: SQSClient,
    private readonly endpoint?: string,
  ) {}

  async fetch(
    services: readonly Service[],
    from: Date,
    to: Date,
    _report?: unknown,
    history = false,
  ): Promise<MetricBatch> {
    const batch: MetricBatch = new Map();
    const minute = Math.floor(to.getTime() / MINUTE) * MINUTE - MINUTE;
    // The backlog is read now: it belongs to no window of history.
    if (history || minute < from.getTime()) return batch;
    const workers = services.filter((s) => s.scaling.queue?.name);
    for (let i = 0; i < workers.length; i += CONCURRENCY) {
      await Promise.all(
        workers.slice(i, i + CONCURRENCY).map(async (s) => {
          // One unreadable queue costs that service its backlog this tick, not the whole tick.
          const backlog = await this.backlog(s.scaling.queue!.name!).catch((err: Error) => {
            logger.warn('queue backlog not read', { serviceId: s.id, error: err.message });
            return null;
          });
          if (backlog === null) return;
          batch.set(s.id, new Map([['queue_backlog', [{ timestamp: minute, value: backlog }]]]));
        }),
      );
    }
    return batch;
  }

  private async backlog(queue: string): Promise<number> {
    const out = await this.sqs
      .send(
        new GetQueueAttributesCommand({
          QueueUrl: await this.urlOf(queue),
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      )
      .catch((err) => {
        throw awsError(err, `SQS queue '${queue}'`, this.endpoint);
      });
    const a = out.Attributes ?? {};
    return (
      Number(a.ApproximateNumberOfMessages ?? 0) +
      Number(a.ApproximateNumberOfMessagesNotVisible ?? 0)
    );
  }

  private async urlOf(queue: string): Promise<string> {
    if (isUrl(queue)) return queue;
    const known = this.urls.get(queue);
    if (known) return known;
    const out = await this.sqs.send(new GetQueueUrlCommand({ QueueName: queue })).catch((err) => {
      throw awsError(err, `SQS queue '${queue}'`, this.endpoint);
    });
    this.urls.set(queue, out.QueueUrl!);
    return out.QueueUrl!;
  }
}
