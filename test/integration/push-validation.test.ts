// POST /metrics through the real api handler against the emulator: a value DynamoDB cannot store, or
// a load value no ECS service reports, is a 400 naming the field and stores nothing of the push; a
// good push stores its points and its scaling reading together.
import { readFileSync } from 'node:fs';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PushedMetricStore } from '../../lib/store/pushed-metric-store';
import { apiKit } from '../e2e/api-support';
import { freshLocalStack, useStackEnvironment } from '../support/local-aws';

const context = {
  functionName: 'vigia-test',
  awsRequestId: 'test-request',
  getRemainingTimeInMillis: () => 30_000,
} as unknown as Context;

let stack: Awaited<ReturnType<typeof freshLocalStack>>;
let kit: ReturnType<typeof apiKit>;
let api: (e: APIGatewayProxyEventV2, c: Context) => Promise<{ statusCode: number; body: string }>;
let key: string;

beforeAll(async () => {
  stack = await freshLocalStack();
  useStackEnvironment(stack);
  api = (await import('../../functions/api')).handler as never;
});

beforeEach(async () => {
  stack = await freshLocalStack();
  kit = apiKit(stack.endpoint, stack.tableName, 'http://unused');
  key = await kit.key('pusher', ['operate']);
});

async function push(body: string) {
  const event = JSON.parse(readFileSync('events/http-post-metrics.json', 'utf8'));
  event.headers['x-api-key'] = key;
  event.body = body;
  const result = await api(event, context);
  return { status: result.statusCode, json: JSON.parse(result.body) };
}

/** The pushed points and readings in the table, as kind|sk|metric|value. */
async function stored(): Promise<string[]> {
  const page = await kit.aws.dynamo.send(new ScanCommand({ TableName: stack.tableName }));
  return (page.Items ?? [])
    .filter((i) => i.kind === 'pushed' || i.kind === 'reading')
    .map((i) => `${i.kind}|${i.metric ?? ''}|${i.value ?? i.cpu ?? ''}`)
    .sort();
}

describe('POST /metrics refuses what it cannot store or believe, whole', () => {
  it('refuses a push for a service nobody registered with a 400 naming serviceId, storing nothing', async () => {
    const res = await push('{"serviceId":"ghost","metrics":{"cpu":50}}');

    expect(res.status).toBe(400);
    expect(res.json.issues).toEqual([
      { path: 'body.serviceId', message: "no service 'ghost' is registered" },
    ]);
    expect(await stored()).toEqual([]);
  });

  it('refuses cpu beyond what ECS reports and zero tasks, naming both, and stores nothing', async () => {
    const res = await push(
      '{"serviceId":"worker","metrics":{"cpu":1000000,"tasks":0,"queue_depth":5}}',
    );

    expect(res.status).toBe(400);
    expect(res.json.issues).toEqual([
      { path: 'body.metrics.cpu', message: 'must be at most 1000 (%)' },
      {
        path: 'body.metrics.tasks',
        message: 'must be at least 1: the tasks that produced the values',
      },
    ]);
    expect(await stored()).toEqual([]);
  });

  it('refuses numbers DynamoDB cannot hold with a 400, not a 503, and stores none of the push', async () => {
    const huge = await push(
      '{"serviceId":"worker","metrics":{"orders":1,"revenue":9007199254740993}}',
    );
    const tiny = await push(
      '{"serviceId":"worker","metrics":{"orders":1,"cost_per_request":1e-140}}',
    );
    const overflow = await push('{"serviceId":"worker","metrics":{"orders":1,"revenue":1e999}}');

    expect(huge.status).toBe(400);
    expect(huge.json.issues).toEqual([
      { path: 'body.metrics.revenue', message: 'must be at most 9007199254740991 (2^53 - 1)' },
    ]);
    expect(tiny.status).toBe(400);
    expect(tiny.json.issues).toEqual([
      {
        path: 'body.metrics.cost_per_request',
        message: 'must be 0 or at least 1e-130 in magnitude',
      },
    ]);
    expect(overflow.status).toBe(400);
    expect(overflow.json.issues[0].path).toBe('body.metrics.revenue');
    expect(await stored()).toEqual([]);
  });

  it('stores a good push, its points and its reading, and a repeat of it once', async () => {
    const body = JSON.stringify({
      serviceId: 'worker',
      at: new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString(),
      metrics: { cpu: 250, tasks: 2, queue_depth: 5 },
    });

    const first = await push(body);
    const again = await push(body);

    expect(first.status).toBe(202);
    expect(again.status).toBe(202);
    expect(await stored()).toEqual([
      'pushed|cpu|250',
      'pushed|queue_depth|5',
      'pushed|tasks|2',
      'reading||250',
    ]);
  });
});

describe('the pushed-metric store', () => {
  it('keeps a newer value for a minute and still writes the rest of an older push', async () => {
    const store = new PushedMetricStore(kit.table);
    const minute = '2026-03-02T10:00:00.000Z';
    const point = (metric: string, value: number, pushedAt: string) => ({
      serviceId: 'worker',
      metric,
      minute,
      value,
      pushedAt,
    });
    await store.putPush([point('queue_depth', 9, '2026-03-02T10:00:30.000Z')], null);

    await store.putPush(
      [
        point('queue_depth', 1, '2026-03-02T10:00:10.000Z'),
        point('orders', 3, '2026-03-02T10:00:10.000Z'),
      ],
      null,
    );

    expect(await stored()).toEqual(['pushed|orders|3', 'pushed|queue_depth|9']);
  });
});
