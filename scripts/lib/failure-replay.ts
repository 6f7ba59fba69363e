// Re-drives what landed in the stream failure queue. On AWS an event source mapping sends there a
// metadata record (shard and sequence range, the function's ARN), not the stream records; the slack
// function's async on-failure record carries its event in `requestPayload`. For the first, the
// records are read back from the stream (retained 24 h) and the named consumer is invoked with the
// same event shape Lambda uses; for the second, the function is invoked with its payload again.
// Consumers are safe to run twice, so a replay may overlap work already done. A message is deleted
// only after its records were handled without failures; anything else stays for the next run.
import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  type DynamoDBStreamsClient,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import {
  DeleteMessageCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';

/** The metadata an event source mapping sends to its on-failure destination. */
export interface StreamBatchFailure {
  requestContext?: { functionArn?: string; condition?: string };
  DDBStreamBatchInfo: {
    shardId: string;
    startSequenceNumber: string;
    endSequenceNumber: string;
    streamArn: string;
    batchSize?: number;
  };
}

export interface ReplayDeps {
  sqs: SQSClient;
  queueUrl: string;
  streams: DynamoDBStreamsClient;
  /**
   * The function's stream filter patterns (serverless.yml): a failed batch's sequence range also
   * holds records the mapping filtered out, which Lambda never gave the function.
   */
  filterFor?(functionName: string): FilterPattern[] | undefined;
  /** Invokes a function by name with an event (Lambda Invoke, or serverless offline's). */
  invoke(functionName: string, event: unknown): Promise<unknown>;
  log(line: string): void;
}

export interface ReplaySummary {
  replayed: number;
  kept: number;
}

/** An event filter pattern: nested keys whose leaves list the accepted values. */
export type FilterPattern = { [key: string]: FilterPattern | unknown[] };

/** Lambda's event filtering for the exact-value subset serverless.yml uses. */
export function matchesFilter(pattern: FilterPattern, value: unknown): boolean {
  return Object.entries(pattern).every(([key, want]) => {
    const got = (value as Record<string, unknown> | null | undefined)?.[key];
    return Array.isArray(want) ? want.includes(got) : matchesFilter(want, got);
  });
}

/** `arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]` → name. */
export function functionNameOf(arn: string | undefined): string | undefined {
  const m = /:function:([^:]+)/.exec(arn ?? '');
  return m?.[1];
}

/** Reads the records of one failed batch back from its shard, in order. */
export async function readBatch(
  streams: DynamoDBStreamsClient,
  info: StreamBatchFailure['DDBStreamBatchInfo'],
): Promise<_Record[]> {
  const end = BigInt(info.endSequenceNumber);
  const { ShardIterator } = await streams.send(
    new GetShardIteratorCommand({
      StreamArn: info.streamArn,
      ShardId: info.shardId,
      ShardIteratorType: 'AT_SEQUENCE_NUMBER',
      SequenceNumber: info.startSequenceNumber,
    }),
  );
  const records: _Record[] = [];
  let iterator = ShardIterator;
  // An open shard answers empty pages at its tip: a few in a row means the range is read.
  for (let empty = 0; iterator && empty < 3;) {
    const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 100 }));
    const got = page.Records ?? [];
    empty = got.length === 0 ? empty + 1 : 0;
    for (const r of got) {
      if (BigInt(r.dynamodb?.SequenceNumber ?? '0') > end) return records;
      records.push(r);
    }
    iterator = page.NextShardIterator;
  }
  return records;
}

/** The stream record as Lambda hands it to a function (dates as epoch seconds, the stream ARN). */
export function lambdaRecord(r: _Record, streamArn: string) {
  const created = r.dynamodb?.ApproximateCreationDateTime;
  return {
    ...r,
    eventSourceARN: streamArn,
    dynamodb: {
      ...r.dynamodb,
      ...(created ? { ApproximateCreationDateTime: Math.floor(created.getTime() / 1000) } : {}),
    },
  };
}

function failuresIn(response: unknown): number {
  const failures = (response as { batchItemFailures?: unknown[] } | null)?.batchItemFailures;
  return Array.isArray(failures) ? failures.length : 0;
}

/** Handles one message; true when its work was re-driven and it may be deleted. */
async function replayMessage(deps: ReplayDeps, body: Record<string, unknown>): Promise<boolean> {
  const context = body.requestContext as { functionArn?: string } | undefined;
  const fn = functionNameOf(context?.functionArn);
  if (!fn) {
    deps.log('  no function named (requestContext.functionArn): kept');
    return false;
  }
  let event: unknown;
  if (body.DDBStreamBatchInfo) {
    const info = (body as unknown as StreamBatchFailure).DDBStreamBatchInfo;
    const patterns = deps.filterFor?.(fn);
    const records = (await readBatch(deps.streams, info)).filter(
      (r) => !patterns || patterns.some((p) => matchesFilter(p, r)),
    );
    if (records.length === 0) {
      deps.log(
        `  ${fn}: no records left in ${info.shardId} from ${info.startSequenceNumber} (older than the stream's 24 h?): kept`,
      );
      return false;
    }
    event = { Records: records.map((r) => lambdaRecord(r, info.streamArn)) };
    deps.log(
      `  ${fn}: ${records.length} record(s) ${info.startSequenceNumber}…${info.endSequenceNumber}`,
    );
  } else if ('requestPayload' in body) {
    event = body.requestPayload;
    deps.log(`  ${fn}: its original event again`);
  } else {
    deps.log('  not a failure record vigia knows: kept');
    return false;
  }
  const response = await deps.invoke(fn, event);
  const failed = failuresIn(response);
  if (failed > 0) {
    deps.log(`  ${fn} still fails ${failed} record(s): kept`);
    return false;
  }
  return true;
}

export async function replayFailures(deps: ReplayDeps): Promise<ReplaySummary> {
  const summary: ReplaySummary = { replayed: 0, kept: 0 };
  const seen = new Set<string>();
  for (;;) {
    const { Messages = [] } = await deps.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: deps.queueUrl,
        MaxNumberOfMessages: 10,
        // Long enough to re-drive a batch; a kept message comes back after it.
        VisibilityTimeout: 120,
        WaitTimeSeconds: 0,
      }),
    );
    const fresh = Messages.filter((m) => !seen.has(m.MessageId ?? ''));
    if (fresh.length === 0) return summary;
    for (const m of fresh) {
      seen.add(m.MessageId ?? '');
      if (await handle(deps, m)) {
        await deps.sqs.send(
          new DeleteMessageCommand({ QueueUrl: deps.queueUrl, ReceiptHandle: m.ReceiptHandle }),
        );
        deps.log(`  replayed, message ${m.MessageId} deleted`);
        summary.replayed += 1;
      } else {
        summary.kept += 1;
      }
    }
  }
}

async function handle(deps: ReplayDeps, m: Message): Promise<boolean> {
  deps.log(`message ${m.MessageId}:`);
  try {
    const body = JSON.parse(m.Body ?? '') as Record<string, unknown>;
    return await replayMessage(deps, body);
  } catch (err) {
    deps.log(`  failed: ${(err as Error).message}: kept`);
    return false;
  }
}
