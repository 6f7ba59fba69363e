// The soak's stand-in for Lambda's DynamoDB event source mappings: reads the table's stream from
// moto (DescribeStream, GetShardIterator, GetRecords), filters each consumer's records with its
// filter patterns from serverless.yml, hands them in batches of up to 10 to the real handler, and
// — harsher than Lambda — delivers every batch three times. Each consumer is its own mapping, as on
// Lambda: the mappings run independently of each other (one never waits for another to finish a
// page), each takes its batches in stream order, one after another. Like a mapping with
// ReportBatchItemFailures it retries from the first failed record (3 retries), then records what
// is left as sent to the failure queue. A handler that throws instead of reporting is counted.
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import { createHash } from 'node:crypto';
import type { Context, DynamoDBBatchResponse } from 'aws-lambda';
import { lambdaRecord, matchesFilter, type FilterPattern } from '../../scripts/lib/failure-replay';
import { traced } from './trace';

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
  /**
   * Invocations that returned after their function's timeout (middy ends only the handler at it;
   * what runs after it, the heartbeat, is not cut): Lambda would have ended them, an invocation
   * error. Apart from `unhandledErrors`: the harness's one process can stall (`eventLoopDelayMs`).
   */
  pastTimeout: { consumer: string; overMs: number }[];
  /** Records handed to each consumer, by item kind (what its wall time was spent on). */
  records: Record<string, Record<string, number>>;
  /**
   * Responses that named a record not in their batch: Lambda takes such an answer as a failure of
   * the whole batch (and so does this harness). A consumer's batches mixed up with each other's.
   */
  foreignFailureIds: { consumer: string; ids: string[] }[];
  /** Records sent to the failure queue over the run (the replay empties `deadLettered`). */
  sentToFailureQueue: number;
  /**
   * Records whose retries ran out (eventID → consumer), as the failure queue would hold them, with
   * the error of each replay that failed them since.
   */
  deadLettered: Map<string, { consumer: string; record: unknown; replayErrors: string[] }>;
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

export function timeoutMsOf(name: string): number {
  return (TIMEOUT_SECONDS[name] ?? 30) * 1000;
}

export function lambdaContext(name: string): Context {
  // middy ends a handler when this runs out, as Lambda's timeout would; like Lambda's, it counts
  // down from the invocation's start (wall time), so a handler can see its deadline coming.
  const timeoutMs = timeoutMsOf(name);
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

/**
 * The shard a record is on. moto's stream has one shard; a new on-demand table on AWS has four
 * partitions (its initial 4,000 writes a second), and its stream a shard per partition: an item's
 * partition key decides its partition, so one partition key's records (one service's samples,
 * anomalies and decisions) stay on one shard, in order, while other keys' records may be on others.
 */
export function shardOf(r: _Record, shardCount: number): number {
  if (shardCount <= 1) return 0;
  const pk = r.dynamodb?.Keys?.pk?.S ?? '';
  return createHash('md5').update(pk).digest().readUInt32BE(0) % shardCount;
}

export class StreamDelivery {
  readonly stats: DeliveryStats = {
    batches: 0,
    invocations: 0,
    itemFailures: 0,
    unhandledErrors: [],
    pastTimeout: [],
    foreignFailureIds: [],
    sentToFailureQueue: 0,
    records: {},
    deadLettered: new Map(),
  };
  /** Wall milliseconds per consumer and for reading the stream. */
  readonly wallMs = new Map<string, number>();
  private readonly iterators = new Map<string, string | undefined>();

  constructor(
    private readonly streams: DynamoDBStreamsClient,
    private readonly streamArn: string,
    private readonly consumers: Consumer[],
    /** The stream's shards as on AWS (moto keeps one): see `shardOf`. */
    private readonly shardCount = 1,
  ) {}

  /**
   * Each consumer's mapping: the records it has been handed and not finished, one after another.
   * The mappings are independent, as on Lambda: a slow one (notify) never holds back another
   * (scale) from the records the stream has since brought.
   */
  private readonly mappings = new Map<string, Promise<void>>();
  private readonly busy = new Set<string>();
  private shards: string[] = [];

  /**
   * Delivers until the stream is quiet: every mapping idle and nothing new on the stream (at most
   * `rounds` reads that found records while every mapping was idle, as the soak's earlier rounds).
   * While a mapping works, the stream is polled every `pollMs`, as Lambda polls a shard.
   */
  async drain(rounds = 8, pollMs = 1_000): Promise<void> {
    for (let r = 0; r < rounds;) {
      // While a mapping works, only the shards already known are polled (moto answers every call
      // from one process: polling must not slow the calls under test).
      const read = await this.read(this.busy.size === 0);
      if (this.busy.size > 0) {
        await Promise.race([
          Promise.all(this.mappings.values()),
          new Promise((resolve) => setTimeout(resolve, pollMs)),
        ]);
        continue;
      }
      if (read === 0) {
        await this.idle();
        if ((await this.read()) === 0 && this.busy.size === 0) return;
      }
      r += 1;
    }
    await this.idle();
  }

  /** Until every mapping has finished what it was handed. */
  async idle(): Promise<void> {
    while (this.busy.size > 0) await Promise.all(this.mappings.values());
  }

  /** Reads everything new on every shard and hands it to each consumer's mapping. */
  private async read(describe = true): Promise<number> {
    if (describe || this.shards.length === 0) {
      const { StreamDescription } = await this.streams.send(
        new DescribeStreamCommand({ StreamArn: this.streamArn }),
      );
      this.shards = (StreamDescription?.Shards ?? []).map((s) => s.ShardId!);
    }
    let read = 0;
    for (const id of this.shards) {
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
        for (const c of this.consumers) this.handTo(c, records);
      }
    }
    return read;
  }

  /**
   * Queues records on a consumer's mapping, shard by shard: each shard's records after what that
   * shard holds, in stream order; the shards side by side, as Lambda runs one batch per shard.
   */
  private handTo(c: Consumer, records: _Record[]) {
    const byShard = new Map<number, _Record[]>();
    for (const r of records) {
      const shard = shardOf(r, this.shardCount);
      byShard.set(shard, [...(byShard.get(shard) ?? []), r]);
    }
    for (const [shard, mine] of byShard) {
      const key = `${c.name}#${shard}`;
      this.busy.add(key);
      const next = (this.mappings.get(key) ?? Promise.resolve()).then(async () => {
        const t0 = Date.now();
        await this.deliverAll(c, mine).catch((err: Error) =>
          this.stats.unhandledErrors.push({ consumer: c.name, error: `mapping: ${err.message}` }),
        );
        this.wallMs.set(c.name, (this.wallMs.get(c.name) ?? 0) + Date.now() - t0);
        if (this.mappings.get(key) === next) this.busy.delete(key);
      });
      this.mappings.set(key, next);
    }
  }

  private async deliverAll(c: Consumer, records: _Record[]) {
    const mine = records
      .filter((r) => c.patterns.some((p) => matchesFilter(p, r)))
      .map((r) => lambdaRecord(r, this.streamArn));
    const kinds = (this.stats.records[c.name] ??= {});
    for (const r of mine) {
      const kind = String(r.dynamodb?.NewImage?.kind?.S ?? r.dynamodb?.OldImage?.kind?.S ?? '?');
      kinds[kind] = (kinds[kind] ?? 0) + 1;
    }
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
      const startedAt = Date.now();
      try {
        const response = (await traced(c.name, () =>
          c.handler({ Records: pending }, lambdaContext(c.name)),
        ).finally(() => {
          const overMs = Date.now() - startedAt - timeoutMsOf(c.name);
          if (overMs > 0) this.stats.pastTimeout.push({ consumer: c.name, overMs });
        })) as DynamoDBBatchResponse | undefined;
        failedIds = (response?.batchItemFailures ?? []).map((f) => String(f.itemIdentifier));
      } catch (err) {
        this.stats.unhandledErrors.push({ consumer: c.name, error: (err as Error).message });
        failedIds = [String(pending[0]?.dynamodb?.SequenceNumber)];
      }
      if (failedIds.length === 0) return;
      const inBatch = new Set(pending.map((r) => String(r.dynamodb?.SequenceNumber)));
      const foreign = failedIds.filter((id) => !inBatch.has(id));
      if (foreign.length > 0) {
        // Before session 12 such an answer counted as done: the batch's own failures were lost.
        this.stats.foreignFailureIds.push({ consumer: c.name, ids: foreign });
        failedIds = [String(pending[0]?.dynamodb?.SequenceNumber)];
      }
      this.stats.itemFailures += failedIds.length;
      const first = pending.findIndex((r) =>
        failedIds.includes(String(r.dynamodb?.SequenceNumber)),
      );
      pending = first < 0 ? [] : pending.slice(first);
    }
    for (const r of pending) {
      this.stats.sentToFailureQueue += 1;
      const key = `${c.name}:${r.eventID}`;
      const replayErrors = this.stats.deadLettered.get(key)?.replayErrors ?? [];
      this.stats.deadLettered.set(key, { consumer: c.name, record: r, replayErrors });
    }
  }

  /**
   * The operator's `npm run replay-failures`: each dead-lettered record once more, in order, until
   * the queue is empty or `rounds` replays are done; returns what stays.
   */
  async replayDeadLettered(rounds = 5): Promise<number> {
    for (let round = 1; round <= rounds && this.stats.deadLettered.size > 0; round++) {
      for (const [key, entry] of [...this.stats.deadLettered]) {
        const c = this.consumers.find((x) => x.name === entry.consumer)!;
        let error = 'reported as failed';
        const response = (await traced(entry.consumer, () =>
          c.handler({ Records: [entry.record] }, lambdaContext(entry.consumer)),
        ).catch((err: Error) => {
          error = err.message;
          return { batchItemFailures: [{ itemIdentifier: 'x' }] };
        })) as DynamoDBBatchResponse | undefined;
        if ((response?.batchItemFailures ?? []).length > 0) {
          entry.replayErrors.push(error.slice(0, 200));
        } else this.stats.deadLettered.delete(key);
      }
    }
    return this.stats.deadLettered.size;
  }

  /**
   * What the failure queue holds: consumer, keys, and each replay's error (none: it reached the
   * queue after the last replay, e.g. handed on by what a replayed record wrote).
   */
  stillFailing(): { consumer: string; keys: unknown; replayErrors: string[] }[] {
    return [...this.stats.deadLettered.values()].map(({ consumer, record, replayErrors }) => ({
      consumer,
      keys: (record as { dynamodb?: { Keys?: unknown } }).dynamodb?.Keys,
      replayErrors,
    }));
  }
}
