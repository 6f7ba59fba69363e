// The collector reads pushed points only for services that push: a push leaves a marker, the tick
// reads a shard's markers in one BatchGetItem and queries the pushed points of marked services
// alone. A service that starts pushing is read from the next tick on.
import { beforeEach, describe, expect, it } from 'vitest';
import { dynamoClient } from '../../lib/aws/dynamo-client';
import { PushedMetricStore } from '../../lib/store/pushed-metric-store';
import { collectTick } from '../../src/use-cases/collect-tick';
import { collectStack, minute } from '../support/collect-stack';

const start = 29_400_000; // an epoch minute

let env: Awaited<ReturnType<typeof setup>>;
/** The DynamoDB calls made, by command name, and the services whose pushed points were queried. */
const calls: string[] = [];
const pushedQueries: string[] = [];
const recording = new Set<string>();

const attr = (v: unknown) =>
  typeof v === 'string' ? v : String((v as { S?: string } | undefined)?.S ?? '');

async function setup() {
  const { stack, a, feeder, tasks, deps } = await collectStack();
  if (!recording.has(a.config.endpoint!)) {
    recording.add(a.config.endpoint!);
    dynamoClient(a.config).middlewareStack.add(
      (next, context) => async (args) => {
        calls.push(String(context.commandName));
        const values = (args.input as { ExpressionAttributeValues?: Record<string, unknown> })
          .ExpressionAttributeValues;
        if (context.commandName === 'QueryCommand' && attr(values?.[':from']).startsWith('PUSH#'))
          pushedQueries.push(attr(values?.[':pk']).replace('SVC#', ''));
        return next(args);
      },
      { step: 'initialize', name: 'recordPushReads' },
    );
  }
  return { stack, a, feeder, tasks, deps, pushed: new PushedMetricStore(a.table) };
}

beforeEach(async () => {
  env = await setup();
  calls.length = 0;
  pushedQueries.length = 0;
});

const push = (serviceId: string, m: number, value: number, pushedAt = new Date()) =>
  env.pushed.put([
    {
      serviceId,
      metric: 'queue_depth',
      minute: minute(m).toISOString(),
      value,
      pushedAt: pushedAt.toISOString(),
    },
  ]);

describe('pushed metrics read only for services that push', () => {
  it('queries the pushed points of the one pushing service, not of all three', async () => {
    await env.feeder.backfill(start - 30, start + 1, env.tasks);
    await push('worker', start, 42);
    calls.length = 0;

    const result = await collectTick(env.deps, minute(start + 1));

    expect(result).toMatchObject({ services: 3, failures: [] });
    expect(pushedQueries).toEqual(['worker']);
    // The markers of the whole fleet in one call.
    expect(calls.filter((c) => c === 'BatchGetItemCommand')).toHaveLength(2); // models, markers
    expect((await env.a.store.latestSample('worker'))?.metrics).toMatchObject({
      queue_depth: 42,
      cpu: expect.any(Number),
    });
    expect((await env.a.store.latestSample('web'))?.metrics).not.toHaveProperty('queue_depth');
  });

  it('reads a service from the tick after it starts pushing', async () => {
    await env.feeder.backfill(start - 30, start + 1, env.tasks);
    await collectTick(env.deps, minute(start + 1));
    expect(pushedQueries).toEqual([]);

    await push('api', start + 1, 7);
    await env.feeder.put(env.feeder.datums(start + 1, env.tasks));
    await collectTick(env.deps, minute(start + 2));

    expect(pushedQueries).toEqual(['api']);
    expect((await env.a.store.latestSample('api'))?.metrics).toMatchObject({ queue_depth: 7 });
    expect((await env.a.store.loadModels('api')).map((m) => m.metric)).toContain('queue_depth');
  });

  it('leaves out a service whose last push is older than the tick reads', async () => {
    await env.feeder.backfill(start - 30, start + 1, env.tasks);
    // A first tick warms the series (a new service reads its whole history window), so the next
    // tick reads only the minute since.
    await collectTick(env.deps, minute(start));
    pushedQueries.length = 0;
    // Pushed three hours before the window the tick reads (its points are long consumed).
    const longAgo = minute(start - 200);
    await push('web', start - 200, 5, longAgo);
    await collectTick(env.deps, minute(start + 1));
    expect(pushedQueries).toEqual([]);

    // Pushing again brings the service back at once (its marker moves on past the refresh).
    await push('web', start + 1, 6, minute(start + 1));
    await env.feeder.put(env.feeder.datums(start + 1, env.tasks));
    await collectTick(env.deps, minute(start + 2));
    expect(pushedQueries).toEqual(['web']);
  });

  it('moves the marker once per refresh interval, never back', async () => {
    const t0 = minute(start);
    await push('web', start, 1, t0);
    await push('web', start, 2, new Date(t0.getTime() + 60_000));
    // An earlier push arriving late (another container) does not move it back.
    const other = new PushedMetricStore(env.a.table);
    await other.put([
      {
        serviceId: 'web',
        metric: 'queue_depth',
        minute: minute(start - 5).toISOString(),
        value: 3,
        pushedAt: new Date(t0.getTime() - 60_000).toISOString(),
      },
    ]);
    expect(calls.filter((c) => c === 'UpdateItemCommand')).toHaveLength(2);
    expect((await env.pushed.lastPushes(['web', 'api'])).get('web')).toBe(t0.getTime());
    expect((await env.pushed.lastPushes(['web', 'api'])).has('api')).toBe(false);
  });
});
