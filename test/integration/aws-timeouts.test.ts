// An AWS endpoint that accepts connections and never answers (a frozen emulator, a stuck network
// path) makes every call fail after its retries, instead of hanging the function until Lambda kills
// it (issue 11: with the emulator frozen, /health and /status hung).
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoClient } from '../../lib/aws/dynamo-client';
import { parseEnv } from '../../lib/config';

let frozen: net.Server;
let endpoint: string;
const held: net.Socket[] = [];

beforeAll(async () => {
  process.env.AWS_ACCESS_KEY_ID ??= 'test';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
  frozen = net.createServer((socket) => held.push(socket));
  await new Promise<void>((resolve) => frozen.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(frozen.address() as net.AddressInfo).port}`;
});

afterAll(async () => {
  for (const s of held) s.destroy();
  await new Promise((resolve) => frozen.close(resolve));
});

describe('AWS clients', () => {
  it('give up on an endpoint that never answers, after their retries, within the configured timeout', async () => {
    const c = parseEnv({
      VIGIA_TABLE: 'frozen',
      VIGIA_AWS_ENDPOINT: endpoint,
      VIGIA_AWS_REQUEST_TIMEOUT_MS: '300',
    });
    const started = Date.now();
    const call = dynamoClient(c).send(
      new GetCommand({ TableName: 'frozen', Key: { pk: 'a', sk: 'b' } }),
    );

    await expect(call).rejects.toThrow(/timeout|timed out/i);
    // 4 attempts of 300 ms plus the SDK's backoff between them; without a timeout it never ends.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(held.length).toBeGreaterThanOrEqual(2);
  });

  it('default to a few seconds per attempt', () => {
    expect(parseEnv({ VIGIA_TABLE: 't' }).requestTimeoutMs).toBe(4_000);
  });
});
