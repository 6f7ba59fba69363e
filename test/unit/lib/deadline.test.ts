import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boundToDeadline, withDeadline } from '../../../lib/aws/deadline';

// A DynamoDB stand-in that answers every request after a short pause, so many are in flight at once.
let server: Server;
let endpoint: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    setTimeout(() => {
      res.setHeader('content-type', 'application/x-amz-json-1.0');
      res.end('{}');
    }, 50);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** A DynamoDB client of the stand-in, bound to the deadline as every client built in lib/aws is. */
function standInClient(maxAttempts?: number) {
  return boundToDeadline(
    new DynamoDBClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      ...(maxAttempts === undefined ? {} : { maxAttempts }),
    }),
  );
}

describe('the deadline of the work under way', () => {
  it('carries a fleet-wide burst of concurrent AWS calls without a memory-leak warning', async () => {
    // Prepare: alert-timers reads 8 services at once, each with reads of its own in parallel;
    // every call listens for the one deadline's abort (bench:soak printed
    // "MaxListenersExceededWarning: Possible EventTarget memory leak detected. 11 abort listeners")
    const client = standInClient();
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
    process.on('warning', onWarning);
    try {
      // Act
      const answers = await withDeadline(10_000, () =>
        Promise.all(
          Array.from({ length: 40 }, (_, i) =>
            client.send(new GetItemCommand({ TableName: 't', Key: { pk: { S: `k${i}` } } })),
          ),
        ),
      );
      await new Promise((r) => setImmediate(r));
      // Assess
      expect(answers).toHaveLength(40);
      expect(warnings.filter((w) => w.startsWith('MaxListenersExceededWarning'))).toEqual([]);
    } finally {
      process.off('warning', onWarning);
      client.destroy();
    }
  });

  it('still aborts every one of those calls when the time runs out', async () => {
    const client = standInClient(1);
    try {
      let calls: Promise<PromiseSettledResult<unknown>[]> | undefined;
      const work = withDeadline(20, () => {
        calls = Promise.allSettled(
          Array.from({ length: 12 }, (_, i) =>
            client.send(new GetItemCommand({ TableName: 't', Key: { pk: { S: `k${i}` } } })),
          ),
        );
        return calls;
      });
      await expect(work).rejects.toThrow(/ran out \(20 ms\)/);
      const outcomes = await calls!;
      expect(outcomes.map((o) => o.status)).toEqual(Array(12).fill('rejected'));
      expect(
        outcomes.map((o) => (o.status === 'rejected' ? (o.reason as Error).name : 'answered')),
      ).toEqual(Array(12).fill('AbortError'));
    } finally {
      client.destroy();
    }
  });
});
