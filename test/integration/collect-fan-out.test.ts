// The collect dispatcher over the emulator: a fleet larger than one shard is split, each shard runs
// as a worker would (the invoker here calls the worker's use case in-process, as Lambda would), and
// /health's collector entry adds up what the workers reported.
import { beforeEach, describe, expect, it } from 'vitest';
import type { CollectShard } from '../../src/ports';
import { collectShard, dispatchCollect } from '../../src/use-cases/collect-dispatch';
import { defaultCollectOptions } from '../../src/use-cases/collect-tick';
import { collectStack, minute } from '../support/collect-stack';

const start = 29_400_000; // an epoch minute

let env: Awaited<ReturnType<typeof setup>>;

async function setup() {
  const fixture = await collectStack();
  await fixture.feeder.backfill(start - 30, start + 1, fixture.tasks);
  return fixture;
}

beforeEach(async () => {
  env = await setup();
});

describe('collect fan-out', () => {
  it('hands each shard to a worker and reports the whole fleet once every shard is in', async () => {
    const invoked: CollectShard[] = [];
    const pending: Promise<unknown>[] = [];
    const shards = {
      invoke: async (shard: CollectShard) => {
        invoked.push(shard);
        // Asynchronous like InvocationType Event: the dispatcher does not wait for the worker.
        pending.push(
          collectShard(env.deps, JSON.parse(JSON.stringify(shard)), defaultCollectOptions),
        );
      },
    };

    const dispatched = await dispatchCollect({ ...env.deps, shards }, minute(start + 1), 2);
    await Promise.all(pending);

    expect(dispatched).toMatchObject({ services: 3, shards: 2, inline: null, failedShards: [] });
    expect(invoked.map((s) => s.services.map((x) => x.id))).toEqual(
      [['api', 'web'], ['worker']].map((ids) => expect.arrayContaining(ids)),
    );
    expect(await env.a.store.lastCollectorRun()).toMatchObject({
      tickAt: minute(start + 1).toISOString(),
      services: 3,
      series: 6,
      failures: 0,
      shards: 2,
      shardsDone: 2,
    });
    for (const s of env.a.services) expect(await env.a.store.latestSample(s.id)).not.toBeNull();
  });

  it('counts the services of a shard no worker got as not collected, and collects the others', async () => {
    const pending: Promise<unknown>[] = [];
    const shards = {
      invoke: async (shard: CollectShard) => {
        if (shard.index === 1) throw new Error('Lambda throttled the invoke');
        pending.push(collectShard(env.deps, shard, defaultCollectOptions));
      },
    };

    const dispatched = await dispatchCollect({ ...env.deps, shards }, minute(start + 1), 2);
    await Promise.all(pending);

    expect(dispatched.failedShards).toEqual([
      { index: 1, services: 1, error: 'Lambda throttled the invoke' },
    ]);
    expect(await env.a.store.lastCollectorRun()).toMatchObject({
      services: 3,
      failures: 1,
      shards: 2,
      shardsDone: 2,
    });
  });

  it('collects a fleet of at most one shard inline, without invoking a worker', async () => {
    const shards = { invoke: async () => expect.fail('no worker for a fleet of one shard') };

    const dispatched = await dispatchCollect({ ...env.deps, shards }, minute(start + 1), 100);

    expect(dispatched).toMatchObject({
      services: 3,
      shards: 0,
      inline: { services: 3, series: 6 },
    });
  });
});
