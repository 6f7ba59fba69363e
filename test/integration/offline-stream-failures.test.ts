// serverless offline's stream plugin as the local plugin scripts/offline-stream-failures-plugin.cjs
// patches it (issue 11): records a consumer keeps reporting as failed reach the failure queue, in a
// shape `npm run replay-failures` re-drives (before: the plugin took batchItemFailures as success
// and only knew a function's async destinations, so the queue stayed empty); and after the
// emulator lost its state and the stack was created again, the poller reads the new stream
// (before: it polled the old one forever).
import { createRequire } from 'node:module';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterEach, describe, expect, it } from 'vitest';
import { localClientConfig } from '../../scripts/lib/local-stack';
import { freshLocalStack } from '../support/local-aws';

const require = createRequire(import.meta.url);
// As scripts/lib/offline.ts preloads it into serverless offline, before the plugin loads.
const resilience = require('../../scripts/lib/offline-resilience.cjs') as {
  patchStreamsPlugin(fromDir: string, log?: (line: string) => void): boolean;
};
const logged: string[] = [];
resilience.patchStreamsPlugin(process.cwd(), (l) => logged.push(l));
const plugin = require('../../scripts/offline-stream-failures-plugin.cjs') as {
  patchFrom(
    dir: string,
    o: { functionNameOf(key: string): string; log(line: string): void; watchMs?: number },
  ): boolean;
};
plugin.patchFrom(process.cwd(), {
  functionNameOf: (key) => `vigia-dev-${key}`,
  log: (l) => logged.push(l),
  watchMs: 300,
});
const DynamodbStreams =
  require('serverless-offline-dynamodb-streams/src/dynamodb-streams.js') as new (
    lambda: unknown,
    options: Record<string, unknown>,
    log: unknown,
  ) => {
    create(events: unknown[]): Promise<unknown>;
    start(): void;
    stop(): void;
    readables: { destroy(): void }[];
  };

interface StreamEvent {
  Records: {
    eventName: string;
    dynamodb: { SequenceNumber: string; Keys: { pk: { S: string } } };
  }[];
}

interface FailureRecord {
  requestContext: { functionArn: string };
  requestPayload: StreamEvent;
}

const keysOf = (e: StreamEvent) => e.Records.map((r) => r.dynamodb.Keys.pk.S);

/** serverless offline's Lambda registry for one consumer: each run recorded, answered by `reply`. */
function consumer(reply: (e: StreamEvent) => unknown) {
  const runs: StreamEvent[] = [];
  return {
    runs,
    registry: {
      get: () => {
        let event: StreamEvent;
        return {
          setEvent: (e: StreamEvent) => (event = e),
          runHandler: async () => {
            runs.push(event);
            return reply(event);
          },
        };
      },
    },
  };
}

async function streamsFor(stack: Awaited<ReturnType<typeof freshLocalStack>>, registry: unknown) {
  const queueName = stack.failureQueueUrl.split('/').pop()!;
  const streams = new DynamodbStreams(
    registry,
    {
      endpoint: stack.endpoint,
      region: 'us-east-1',
      accountId: '000000000000',
      accessKeyId: 'test',
      secretAccessKey: 'test',
      readInterval: 100,
      checkpointFile: path.join(mkdtempSync(path.join(tmpdir(), 'vigia-streams-')), 'cp.json'),
      resources: {
        Resources: {
          StreamFailureQueue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: queueName } },
        },
      },
    },
    {
      warning: (m: unknown) => logged.push(`warning: ${String(m).slice(0, 160)}`),
      debug: () => undefined,
      notice: () => undefined,
    },
  );
  // serverless.yml's mapping: 3 retries, failures reported per record, on-failure to the queue.
  await streams.create([
    {
      functionKey: 'decide',
      destinations: undefined,
      dynamodbStreams: {
        tableName: stack.tableName,
        batchSize: 10,
        startingPosition: 'TRIM_HORIZON',
        maximumRetryAttempts: 3,
        destinations: {
          onFailure: { type: 'sqs', arn: { 'Fn::GetAtt': ['StreamFailureQueue', 'Arn'] } },
        },
      },
    },
  ]);
  streams.start();
  return streams;
}

async function putItem(endpoint: string, tableName: string, pk: string) {
  await new DynamoDBClient(localClientConfig(endpoint)).send(
    new PutItemCommand({
      TableName: tableName,
      Item: { pk: { S: pk }, sk: { S: 'X' }, kind: { S: 'test' } },
    }),
  );
}

async function until<T>(what: string, read: () => Promise<T | undefined>, ms = 60_000) {
  const end = Date.now() + ms;
  for (;;) {
    const got = await read();
    if (got !== undefined) return got;
    if (Date.now() > end)
      throw new Error(`timed out waiting for ${what}; log: ${logged.join(' | ')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

let running: InstanceType<typeof DynamodbStreams> | undefined;
afterEach(() => {
  running?.stop();
  for (const r of running?.readables ?? []) r.destroy();
  running = undefined;
});

describe('serverless offline stream consumers (local plugin)', () => {
  it('sends the records a consumer keeps failing to the failure queue, naming the function', async () => {
    const stack = await freshLocalStack();
    const c = consumer((e) => ({
      batchItemFailures: e.Records.map((r) => ({ itemIdentifier: r.dynamodb.SequenceNumber })),
    }));
    running = await streamsFor(stack, c.registry);
    await putItem(stack.endpoint, stack.tableName, 'FAILS#1');

    const sqs = new SQSClient(localClientConfig(stack.endpoint));
    const body = await until('the failure record of FAILS#1', async () => {
      const out = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: stack.failureQueueUrl,
          WaitTimeSeconds: 1,
          MaxNumberOfMessages: 10,
        }),
      );
      return (out.Messages ?? [])
        .map((m) => JSON.parse(m.Body!) as FailureRecord)
        .find((b) => keysOf(b.requestPayload).includes('FAILS#1'));
    });

    expect(body.requestContext.functionArn).toMatch(/:function:vigia-dev-decide$/);
    expect(keysOf(body.requestPayload)).toEqual(['FAILS#1']);
    // The first delivery and its retries (maximumRetryAttempts 3), then the queue.
    expect(c.runs.filter((e) => keysOf(e).includes('FAILS#1'))).toHaveLength(3);
  }, 150_000);

  it('reads the new stream once the emulator lost its state and the stack was created again', async () => {
    const first = await freshLocalStack();
    const c = consumer(() => ({ batchItemFailures: [] }));
    running = await streamsFor(first, c.registry);
    await putItem(first.endpoint, first.tableName, 'BEFORE#1');
    await until('the first record', async () => (c.runs.length > 0 ? true : undefined));

    // The emulator restarted without its state; `npm run local:up` creates the stack again.
    const second = await freshLocalStack();
    await new Promise((r) => setTimeout(r, 1_500));
    await putItem(second.endpoint, second.tableName, 'AFTER#1');

    const keys = await until('the record written after', async () => {
      const seen = c.runs.flatMap(keysOf);
      return seen.includes('AFTER#1') ? seen : undefined;
    });
    expect(keys).toContain('BEFORE#1');
  }, 150_000);
});
