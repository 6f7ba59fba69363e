// The stream consumers' middy chain, run for real on a batch: one record at a time in stream order,
// and a failed record holds back the later records of its service (issue 11: "scale to 6, then to 2"
// once ended at 6 when a batch's decisions ran side by side).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { streamHandler } from '../../../lib/middleware/stream';
import { dynamoClient } from '../../../lib/aws/dynamo-client';
import { logger } from '../../../lib/logger';
import { DynamoHeartbeatStore } from '../../../lib/store/heartbeat-store';
import { Table } from '../../../lib/store/table';

function record(eventID: string, serviceId: string, toCount: number): DynamoDBRecord {
  const keys = { pk: { S: `SVC#${serviceId}` }, sk: { S: `DECISION#${eventID}` } };
  return {
    eventID,
    eventName: 'INSERT',
    eventSource: 'aws:dynamodb',
    dynamodb: {
      Keys: keys,
      NewImage: { ...keys, kind: { S: 'decision' }, toCount: { N: String(toCount) } },
      SequenceNumber: eventID,
    },
  } as DynamoDBRecord;
}

const context = { functionName: 'scale', awsRequestId: 'test' } as Context;

describe('stream consumers', () => {
  it('handle a batch one record at a time, in stream order', async () => {
    const log: string[] = [];
    const handler = streamHandler(async (image) => {
      log.push(`start ${String(image.newImage.toCount)}`);
      // The first record is the slow one: side by side, the second would finish first.
      await new Promise((r) => setTimeout(r, image.newImage.toCount === 6 ? 30 : 1));
      log.push(`end ${String(image.newImage.toCount)}`);
    });
    const event: DynamoDBStreamEvent = { Records: [record('1', 'web', 6), record('2', 'web', 2)] };

    const response = await handler(event, context);

    expect(log).toEqual(['start 6', 'end 6', 'start 2', 'end 2']);
    expect(response).toEqual({ batchItemFailures: [] });
  });

  it('report a batch whose every record failed as batch item failures instead of throwing', async () => {
    const handler = streamHandler(async () => {
      throw new Error('table unavailable');
    });
    const event: DynamoDBStreamEvent = { Records: [record('1', 'web', 6), record('2', 'api', 2)] };

    const response = await handler(event, context);

    expect(response).toEqual({
      batchItemFailures: [{ itemIdentifier: '1' }, { itemIdentifier: '2' }],
    });
  });

  it('that must apply in order hold back the later records of a service whose record failed, and go on with the others', async () => {
    const handled: string[] = [];
    const handler = streamHandler(
      async (image, r) => {
        if (r.eventID === '1') throw new Error('ECS unavailable');
        handled.push(r.eventID!);
        void image;
      },
      { inOrderPerPartition: true },
    );
    const event: DynamoDBStreamEvent = {
      Records: [record('1', 'web', 6), record('2', 'web', 2), record('3', 'api', 4)],
    };

    const response = await handler(event, context);

    expect(handled).toEqual(['3']);
    expect(response).toEqual({
      batchItemFailures: [{ itemIdentifier: '1' }, { itemIdentifier: '2' }],
    });
  });

  it('start no record near their timeout and report the rest as failed instead of being cut off', async () => {
    const handled: string[] = [];
    const handler = streamHandler(async (_image, r) => {
      await new Promise((resolve) => setTimeout(resolve, 60));
      handled.push(r.eventID!);
    });
    const startedAt = Date.now();
    // 300 ms to live: six records of 60 ms do not fit; middy ends the invocation at its timeout.
    const nearTimeout = {
      ...context,
      getRemainingTimeInMillis: () => 300 - (Date.now() - startedAt),
    } as Context;
    const event: DynamoDBStreamEvent = {
      Records: ['1', '2', '3', '4', '5', '6'].map((id) => record(id, `svc-${id}`, 1)),
    };

    const response = await handler(event, nearTimeout);

    // A third of the start (100 ms) is kept in reserve: records start at 0, 60, 120 and 180 ms; the
    // fifth would start with 60 ms left. Timer jitter may cost the fourth.
    expect(handled.length).toBeGreaterThanOrEqual(3);
    expect(handled.length).toBeLessThan(6);
    expect(response).toEqual({
      batchItemFailures: ['1', '2', '3', '4', '5', '6']
        .filter((id) => !handled.includes(id))
        .map((itemIdentifier) => ({ itemIdentifier })),
    });
  });
});

describe('a stream record whose work outlives its deadline', () => {
  // Aborting its AWS calls ends a record only if nothing else holds it: CPU the container cannot
  // get, a dependency that is not an AWS client, a back-off of its own. middy's timeout then ended
  // the invocation ("[AbortError]: The operation was aborted.", the soak's unhandled errors): the
  // whole batch again, instead of the one record.
  it('fails that record at its deadline instead of the invocation at its timeout', async () => {
    const handled: string[] = [];
    const handler = streamHandler(async (_image, r) => {
      await new Promise((resolve) => setTimeout(resolve, r.eventID === '1' ? 50 : 3_000));
      handled.push(r.eventID!);
    });
    const startedAt = Date.now();
    const context = {
      functionName: 'watch',
      awsRequestId: 'test',
      getRemainingTimeInMillis: () => 1_500 - (Date.now() - startedAt),
    } as Context;

    const response = await handler(
      { Records: [record('1', 'web', 6), record('2', 'api', 2), record('3', 'db', 3)] },
      context,
    );

    expect(handled).toEqual(['1']);
    expect(response).toEqual({
      batchItemFailures: [{ itemIdentifier: '2' }, { itemIdentifier: '3' }],
    });
    expect(Date.now() - startedAt).toBeLessThan(1_500);
  });
});

describe('two invocations of one consumer at the same time', () => {
  // One process may run a consumer's batches side by side: serverless offline and the soak (one
  // mapping per shard) do. The batch processor kept each batch's records, failures and handler in
  // one object per module: a second batch starting wiped the first one's failures (reported as
  // done, never retried: the soak's anomalies without a decision) and ran its records under the
  // second one's deadline (past the first one's timeout: the soak's "[AbortError]").
  const timed = (ms: number) => {
    const startedAt = Date.now();
    return {
      functionName: 'decide',
      awsRequestId: `test-${ms}`,
      getRemainingTimeInMillis: () => ms - (Date.now() - startedAt),
    } as Context;
  };

  it('each report their own failed records', async () => {
    // Prepare: the first batch fails its first record, then works on; the second starts meanwhile
    const handler = streamHandler(async (_image, r) => {
      if (r.eventID === '1') throw new Error('conditional write lost');
      await new Promise((resolve) => setTimeout(resolve, r.eventID === '2' ? 80 : 10));
    });
    // Act
    const first = handler(
      { Records: [record('1', 'web', 6), record('2', 'api', 2)] },
      timed(5_000),
    );
    await new Promise((resolve) => setTimeout(resolve, 30));
    const second = handler({ Records: [record('3', 'db', 3)] }, timed(5_000));
    // Assess
    expect(await first).toEqual({ batchItemFailures: [{ itemIdentifier: '1' }] });
    expect(await second).toEqual({ batchItemFailures: [] });
  });

  it("each end their records at their own deadline, not the other's", async () => {
    // Prepare: the first batch has 1.5 s and a record that needs 3 s; the second has 10 s
    const handler = streamHandler(async (_image, r) => {
      await new Promise((resolve) => setTimeout(resolve, r.eventID === '2' ? 3_000 : 50));
    });
    const startedAt = Date.now();
    // Act
    const first = handler(
      { Records: [record('1', 'web', 6), record('2', 'api', 2)] },
      timed(1_500),
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = handler({ Records: [record('3', 'db', 3)] }, timed(10_000));
    // Assess: the first reports its slow record failed, inside its own time
    expect(await first).toEqual({ batchItemFailures: [{ itemIdentifier: '2' }] });
    expect(Date.now() - startedAt).toBeLessThan(1_500);
    expect(await second).toEqual({ batchItemFailures: [] });
  });
});

describe('a stream record whose AWS call hangs', () => {
  // An endpoint that takes every request and never answers: a frozen dependency, which moto is not.
  let server: Server;
  let endpoint: string;
  const sockets = new Set<Socket>();
  beforeAll(async () => {
    process.env.AWS_ACCESS_KEY_ID ??= 'test';
    process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
    server = createServer(() => undefined);
    server.on('connection', (s) => sockets.add(s));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((r) => server.close(r));
  });

  it('fails that record before the invocation times out, instead of the whole invocation', async () => {
    // The client waits 30 s per attempt; the invocation has 1.5 s.
    const db = dynamoClient({ endpoint, region: 'us-east-1', requestTimeoutMs: 30_000 });
    const handler = streamHandler(async () => {
      await db.send(new GetCommand({ TableName: 't', Key: { pk: 'a', sk: 'b' } }));
    });
    const startedAt = Date.now();
    const context = {
      functionName: 'scale',
      awsRequestId: 'test',
      getRemainingTimeInMillis: () => 1_500 - (Date.now() - startedAt),
    } as Context;

    const response = await handler({ Records: [record('1', 'web', 6)] }, context);

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: '1' }] });
    expect(Date.now() - startedAt).toBeLessThan(1_500);
  });

  it('leaves its heartbeat within the invocation: a write that hangs is cut and logged, not carried past the timeout', async () => {
    // Prepare: a batch that ends with half a second left; the heartbeat's table never answers
    const table = new Table(
      dynamoClient({ endpoint, region: 'us-east-1', requestTimeoutMs: 30_000 }),
      't',
      endpoint,
    );
    const handler = streamHandler(
      async () => {
        await new Promise((r) => setTimeout(r, 1_000));
      },
      { heartbeat: { store: () => new DynamoHeartbeatStore(table), name: () => 'notify' } },
    );
    const startedAt = Date.now();
    const context = {
      functionName: 'notify',
      awsRequestId: 'test',
      getRemainingTimeInMillis: () => 1_500 - (Date.now() - startedAt),
    } as Context;
    const warn = vi.spyOn(logger, 'warn');
    try {
      // Act
      const response = await handler({ Records: [record('1', 'web', 6)] }, context);
      // Assess: the record succeeded, the invocation ended inside its time, the lost beat is logged
      expect(response).toEqual({ batchItemFailures: [] });
      expect(Date.now() - startedAt).toBeLessThan(1_500);
      expect(warn).toHaveBeenCalledWith('heartbeat not recorded', expect.anything());
    } finally {
      warn.mockRestore();
    }
  });
});
