// The soak's stand-in for Lambda's DynamoDB event source mappings: reads the table's stream from
// moto (DescribeStream, GetShardIterator, GetRecords), filters each consumer's records with its
// filter patterns from serverless.yml, hands them in batches of up to 10 to the real handler, and
// — harsher than Lambda — delivers every batch three times. The consumers run concurrently (one
// mapping each), every consumer's batches one after another. Like a mapping with
// ReportBatchItemFailures it retries from the first failed record (3 retries), then records what
// is left as sent to the failure queue. A handler that throws instead of reporting is counted.
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import type { Context, DynamoDBBatchResponse } from 'aws-lambda';
import { lambdaRecord, matchesFilter, type FilterPattern } from '../../scripts/lib/failure-replay';

export type StreamHandler = (event: unknown, context: Context) => Promise<unknown>;

export interface Consumer {
  name: string;
  patterns: FilterPattern[];
  handler: StreamHandler;
}

export interface DeliveryStats {
  batches: number;
  invocations: number;
  itemFailures: number;
  /** Handler rejections: Lambda would retry the whole batch; vigia should report items instead. */
  unhandledErrors: { consumer: string; error: string }[];
  /** Records whose retries ran out (eventID → consumer), as the failure queue would hold them. */
  deadLettered: Map<string, { consumer: string; record: unknown }>;
}

const BATCH_SIZE = 10;
const MAX_RETRIES = 3;
const DELIVERIES = 3;

/** Each function's timeout in serverless.yml (the provider's 30 s unless it sets its own). */
const TIMEOUT_SECONDS: Record<string, number> = {
  collect: 55,
  'collect-shard': 55,
  decide: 55,
  sweep: 55,
  verify: 55,
  'alert-timers': 55,
  slack: 60,
};

export function lambdaContext(name: string): Context {
  // middy ends a handler when this runs out, as Lambda's timeout would; like Lambda's, it counts
  // down from the invocation's start (wall time), so a handler can see its deadline coming.
  const timeoutMs = (TIMEOUT_SECONDS[name] ?? 30) * 1000;
  const startedAt = Date.now();
  return {
    functionName: `vigia-soak-${name}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:vigia-soak-${name}`,
    memoryLimitInMB: '256',
    awsRequestId: `soak-${name}`,
    logGroupName: `/aws/lambda/vigia-soak-${name}`,
    logStreamName: 'soak',
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => Math.max(0, timeoutMs - (Date.now() - startedAt)),
  } as unknown as Context;
}

export class StreamDelivery {
  readonly stats: DeliveryStats = {
    batches: 0,
    invocations: 0,
    itemFailures: 0,
    unhandledErrors: [],
    deadLettered: new Map(),
  };
  /** Wall milliseconds per consumer and for reading the stream. */
  readonly wallMs = new Map<string, number>();
  private readonly iterators = new Map<string, string | undefined>();

  constructor(
    private readonly streams: DynamoDBStreamsClient,
    private readonly streamArn: string,
    private readonly consumers: Consumer[],
  ) {}

  /** Reads everything new on every shard and delivers it; returns the number of records read. */
  async pump(): Promise<number> {
    const { StreamDescription } = await this.streams.send(
      new DescribeStreamCommand({ StreamArn: this.streamArn }),
    );
    let read = 0;
    for (const shard of StreamDescription?.Shards ?? []) {
      const id = shard.ShardId!;
      if (!this.iterators.has(id)) {
        const it = await this.streams.send(
          new GetShardIteratorCommand({
            StreamArn: this.streamArn,
            ShardId: id,
            ShardIteratorType: 'TRIM_HORIZON',
          }),
        );
        this.iterators.set(id, it.ShardIterator);
      }
      for (;;) {
        const iterator = this.iterators.get(id);
        if (!iterator) break;
        const t = Date.now();
        const page = await this.streams.send(
          new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }),
        );
        this.wallMs.set('read', (this.wallMs.get('read') ?? 0) + Date.now() - t);
        this.iterators.set(id, page.NextShardIterator);
        const records = page.Records ?? [];
        if (records.length === 0) break;
        read += records.length;
        // Each consumer is its own event source mapping: they run side by side, as on Lambda, and
        // each takes its batches in stream order, one after another.
        await Promise.all(
          this.consumers.map(async (c) => {
            const t0 = Date.now();
            await this.deliverAll(c, records);
            this.wallMs.set(c.name, (this.wallMs.get(c.name) ?? 0) + Date.now() - t0);
          }),
        );
      }
    }
    return read;
  }

  private async deliverAll(c: Consumer, records: _Record[]) {
    const mine = records
      .filter((r) => c.patterns.some((p) => matchesFilter(p, r)))
      .map((r) => lambdaRecord(r, this.streamArn));
    for (let i = 0; i < mine.length; i += BATCH_SIZE) {
      const batch = mine.slice(i, i + BATCH_SIZE);
      this.stats.batches += 1;
      for (let n = 0; n < DELIVERIES; n++) await this.deliver(c, batch);
    }
  }

  /** One delivery with the mapping's retries: from the first failed record on, 3 more times. */
  private async deliver(c: Consumer, batch: ReturnType<typeof lambdaRecord>[]) {
    let pending = batch;
    for (let attempt = 0; attempt <= MAX_RETRIES && pending.length > 0; attempt++) {
      this.stats.invocations += 1;
      let failedIds: string[];
      try {
        const response = (await c.handler({ Records: pending }, lambdaContext(c.name))) as
          DynamoDBBatchResponse | undefined;
        failedIds = (response?.batchItemFailures ?? []).map((f) => String(f.itemIdentifier));
      } catch (err) {
        this.stats.unhandledErrors.push({ consumer: c.name, error: (err as Error).message });
        failedIds = [String(pending[0]?.dynamodb?.SequenceNumber)];
      }
      if (failedIds.length === 0) return;
      this.stats.itemFailures += failedIds.length;
      const first = pending.findIndex((r) =>
        failedIds.includes(String(r.dynamodb?.SequenceNumber)),
      );
      pending = first < 0 ? [] : pending.slice(first);
    }
    for (const r of pending) {
      this.stats.deadLettered.set(`${c.name}:${r.eventID}`, { consumer: c.name, record: r });
    }
  }

  /** Records the replay could not finish: consumer, keys and the error, for the report. */
  readonly stillFailing: { consumer: string; keys: unknown; error: string }[] = [];

  /** The operator's `npm run replay-failures`: each dead-lettered record once more, in order. */
  async replayDeadLettered(): Promise<number> {
    let stillFailing = 0;
    const byConsumer = new Map<string, unknown[]>();
    for (const { consumer, record } of this.stats.deadLettered.values()) {
      byConsumer.set(consumer, [...(byConsumer.get(consumer) ?? []), record]);
    }
    for (const [name, records] of byConsumer) {
      const c = this.consumers.find((x) => x.name === name)!;
      for (const r of records) {
        let error = 'reported as failed';
        const response = (await c
          .handler({ Records: [r] }, lambdaContext(name))
          .catch((err: Error) => {
            error = err.message;
            return { batchItemFailures: [{ itemIdentifier: 'x' }] };
          })) as DynamoDBBatchResponse | undefined;
        if ((response?.batchItemFailures ?? []).length > 0) {
          stillFailing += 1;
          const keys = (r as { dynamodb?: { Keys?: unknown } }).dynamodb?.Keys;
          this.stillFailing.push({ consumer: name, keys, error: error.slice(0, 200) });
        }
      }
    }
    return stillFailing;
  }
}
