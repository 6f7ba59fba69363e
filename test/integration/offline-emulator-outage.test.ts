// serverless offline's stream poller across an emulator outage: the plugin's own poller
// (dynamodb-streams-readable over its callback client), patched as scripts/lib/offline.ts preloads
// it, keeps its place while the emulator is unreachable and delivers the next record afterwards,
// instead of the unhandled ECONNREFUSED that used to end the local stack.
import { createRequire } from 'node:module';
import net from 'node:net';
import { DescribeTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { afterEach, describe, expect, it } from 'vitest';
import { localClientConfig } from '../../scripts/lib/local-stack';
import { freePort } from '../support/free-port';
import { freshLocalStack } from '../support/local-aws';

const require = createRequire(import.meta.url);
const resilience = require('../../scripts/lib/offline-resilience.cjs') as {
  patchStreamsPlugin(fromDir: string, log?: (line: string) => void): boolean;
};

/** A TCP forwarder to the emulator that can be taken down and brought back on the same port. */
async function outageProxy(target: URL) {
  const port = await freePort();
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  const up = () =>
    new Promise<void>((resolve) => {
      server = net.createServer((client) => {
        const upstream = net.connect(Number(target.port), target.hostname);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('error', () => undefined);
          s.on('close', () => sockets.delete(s));
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, '127.0.0.1', () => resolve());
    });
  const down = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server?.close(() => resolve());
    });
  await up();
  return { endpoint: `http://127.0.0.1:${port}`, up, down };
}

describe('stream poller across an emulator outage', () => {
  let stop: (() => void) | undefined;
  afterEach(() => stop?.());

  it('keeps polling through 3 s of ECONNREFUSED and delivers the record written after', async () => {
    const stack = await freshLocalStack();
    const proxy = await outageProxy(new URL(stack.endpoint));
    const direct = new DynamoDBClient(localClientConfig(stack.endpoint));
    const { Table } = await direct.send(new DescribeTableCommand({ TableName: stack.tableName }));
    const streamArn = Table!.LatestStreamArn!;

    const logged: string[] = [];
    expect(resilience.patchStreamsPlugin(process.cwd(), (l) => logged.push(l))).toBe(true);
    const {
      buildCallbackClient,
    } = require('serverless-offline-dynamodb-streams/src/callback-adapter.js');
    const DynamodbStreamsReadable = require('dynamodb-streams-readable');
    // The plugin's poller, talking to the emulator through the proxy, as serverless offline does.
    const streams = new DynamoDBStreamsClient({
      ...localClientConfig(proxy.endpoint),
      maxAttempts: 1,
    });
    const client = buildCallbackClient(streams, {
      describeStream: DescribeStreamCommand,
      getShardIterator: GetShardIteratorCommand,
      getRecords: GetRecordsCommand,
    });
    const readable = DynamodbStreamsReadable(client, streamArn, { limit: 10, readInterval: 100 });
    const seen: string[] = [];
    const errors: Error[] = [];
    readable.on('error', (e: Error) => errors.push(e));
    readable.on('data', (records: { dynamodb: { Keys: { pk: { S: string } } } }[]) => {
      for (const r of records) seen.push(r.dynamodb.Keys.pk.S);
    });
    stop = () => readable.pause();

    const put = (pk: string) =>
      direct.send(
        new PutItemCommand({
          TableName: stack.tableName,
          Item: { pk: { S: pk }, sk: { S: 'X' }, kind: { S: 'test' } },
        }),
      );
    const arrived = async (pk: string) => {
      for (let i = 0; i < 60 && !seen.includes(pk); i++)
        await new Promise((r) => setTimeout(r, 250));
      return seen.includes(pk);
    };
    await put('before');
    expect(await arrived('before')).toBe(true);

    await proxy.down();
    await new Promise((r) => setTimeout(r, 3000));
    await put('after');
    await proxy.up();

    expect(await arrived('after')).toBe(true);
    expect(errors).toEqual([]);
    expect(logged.join('\n')).toMatch(/cannot reach the emulator/);
  });
});
