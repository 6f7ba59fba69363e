// `npm run replay-failures` against the emulator: an on-failure record in the format a DynamoDB
// event source mapping sends (metadata only) is turned back into the stream records, the named
// consumer decides on them, and the message is deleted; a record it cannot re-drive is kept.
import { readFileSync } from 'node:fs';
import { DescribeTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import { GetQueueAttributesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { replayFailures } from '../../scripts/lib/failure-replay';
import { localClientConfig } from '../../scripts/lib/local-stack';
import { freshLocalStack, localAdapters, useStackEnvironment } from '../support/local-aws';

const context = {
  functionName: 'vigia-dev-decide',
  awsRequestId: 'replay-test',
  getRemainingTimeInMillis: () => 30_000,
} as unknown as Context;

type Handler = (e: unknown, c: Context) => Promise<unknown>;

describe('replay-failures', () => {
  let stack: Awaited<ReturnType<typeof freshLocalStack>>;
  let decide: Handler;

  beforeAll(async () => {
    stack = await freshLocalStack();
    useStackEnvironment(stack);
    decide = (await import('../../functions/decide')).handler as unknown as Handler;
  });

  it('re-drives the lost anomaly to decide and deletes the message', async () => {
    const cfg = localClientConfig(stack.endpoint);
    const dynamo = new DynamoDBClient(cfg);
    const streams = new DynamoDBStreamsClient(cfg);
    const sqs = new SQSClient(cfg);
    // The anomaly insert whose decide invocation exhausted its retries.
    const sample = JSON.parse(readFileSync('events/dynamodb-stream.insert-anomaly.json', 'utf8'));
    // In the same failed range, a record decide's filter never let through.
    await dynamo.send(
      new PutItemCommand({
        TableName: stack.tableName,
        Item: { pk: { S: 'SVC#web' }, sk: { S: 'NOTE#1' }, kind: { S: 'note' } },
      }),
    );
    await dynamo.send(
      new PutItemCommand({ TableName: stack.tableName, Item: sample.Records[0].dynamodb.NewImage }),
    );
    const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: stack.tableName }));
    const streamArn = Table!.LatestStreamArn!;
    const { StreamDescription } = await streams.send(
      new DescribeStreamCommand({ StreamArn: streamArn }),
    );
    const shardId = StreamDescription!.Shards![0]!.ShardId!;
    const { ShardIterator } = await streams.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shardId,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    const records: _Record[] =
      (await streams.send(new GetRecordsCommand({ ShardIterator }))).Records ?? [];
    const anomaly = records.find((r) => r.dynamodb?.NewImage?.kind?.S === 'anomaly')!;
    const seq = anomaly.dynamodb!.SequenceNumber!;
    const first = records[0]!.dynamodb!.SequenceNumber!;
    // What Lambda sends to the on-failure destination: metadata, not the record.
    const failure = {
      requestContext: {
        requestId: '316aa6d0-8154-xmpl-9af7-85d5f4a6bc81',
        functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:vigia-dev-decide',
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: 4,
      },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      version: '1.0',
      timestamp: '2026-11-22T10:01:12.717Z',
      DDBStreamBatchInfo: {
        shardId,
        startSequenceNumber: first,
        endSequenceNumber: seq,
        approximateArrivalOfFirstRecord: '2026-11-22T10:01:01Z',
        approximateArrivalOfLastRecord: '2026-11-22T10:01:01Z',
        batchSize: 2,
        streamArn,
      },
    };
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: stack.failureQueueUrl,
        MessageBody: JSON.stringify(failure),
      }),
    );
    // A message no one can re-drive (no function named) stays for a person to look at.
    await sqs.send(
      new SendMessageCommand({ QueueUrl: stack.failureQueueUrl, MessageBody: '{"what":"?"}' }),
    );

    const invoked: { fn: string; records: number }[] = [];
    const lines: string[] = [];
    const summary = await replayFailures({
      sqs,
      queueUrl: stack.failureQueueUrl,
      streams,
      log: (l) => lines.push(l),
      filterFor: (fn) =>
        fn === 'vigia-dev-decide'
          ? [{ eventName: ['INSERT'], dynamodb: { NewImage: { kind: { S: ['anomaly'] } } } }]
          : undefined,
      async invoke(fn, event) {
        invoked.push({ fn, records: (event as { Records: unknown[] }).Records.length });
        if (fn !== 'vigia-dev-decide') throw new Error(`no function ${fn}`);
        return decide(event, context);
      },
    });

    expect(summary).toEqual({ replayed: 1, kept: 1 });
    expect(invoked).toEqual([{ fn: 'vigia-dev-decide', records: 1 }]);
    const { store } = localAdapters(stack.endpoint, stack.tableName);
    expect(
      await store.getDecision('web', 'web~2026-11-22T10:00:00.000Z~cpu~decision'),
    ).toMatchObject({ serviceId: 'web' });
    expect(lines.join('\n')).toMatch(/vigia-dev-decide: 1 record\(s\)/);
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: stack.failureQueueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    // Only the unknown message is left (in flight until its visibility timeout ends).
    expect(
      Number(Attributes!.ApproximateNumberOfMessages) +
        Number(Attributes!.ApproximateNumberOfMessagesNotVisible),
    ).toBe(1);
  });
});
