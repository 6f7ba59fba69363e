// The collector under faults the emulator never makes on its own, injected by the soak's fault proxy
// (bench/soak/fault-proxy.ts) between the collector's clients and moto: a fleet query that keeps
// failing, and one service's writes failing while the rest of its shard goes through.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resetBreakers } from '../../lib/breaker/breakers';
import { collectDeps } from '../../lib/wiring/collect';
import type { CollectShard } from '../../src/ports';
import {
  collectShard,
  dispatchCollect,
  emptyFleetMemory,
} from '../../src/use-cases/collect-dispatch';
import { defaultCollectOptions } from '../../src/use-cases/collect-tick';
import { DemoMetricsFeeder } from '../../scripts/lib/demo-fleet';
import { freshLocalStack, localAdapters } from '../support/local-aws';
import { scriptedFaults, type ScriptedFaults } from '../support/scripted-faults';

const start = 29_400_300; // an epoch minute
const minute = (m: number) => new Date(m * 60_000);
const clock = { now: () => new Date() };
const quickPause = () => new Promise<void>((r) => setTimeout(r, 10));

let faults: ScriptedFaults;

async function setup() {
  const stack = await freshLocalStack();
  faults = await scriptedFaults(stack.endpoint);
  const through = faults.through;
  resetBreakers();
  // The collector's clients go through the proxy; the world's metrics straight to moto.
  const a = localAdapters(through, stack.tableName);
  const direct = localAdapters(stack.endpoint, stack.tableName);
  const feeder = new DemoMetricsFeeder(stack.endpoint, direct.services);
  await feeder.backfill(start - 30, start + 4, new Map(a.services.map((s) => [s.id, 2])));
  return { a, direct, deps: { ...collectDeps(a.config), clock } };
}

let env: Awaited<ReturnType<typeof setup>>;

beforeEach(async () => {
  env = await setup();
});

afterEach(async () => {
  await faults.stop();
});

/** Workers run in-process, as Lambda would run them, and are awaited before the test looks. */
function inProcessWorkers() {
  const pending: Promise<unknown>[] = [];
  return {
    shards: {
      invoke: async (shard: CollectShard) => {
        pending.push(collectShard(env.deps, JSON.parse(JSON.stringify(shard))));
      },
    },
    done: () => Promise.all(pending),
  };
}

const isFleetQuery = (op: string, body: string) =>
  op === 'dynamodb:Query' && body.includes('"gsi1"') && body.includes('"SERVICE"');

describe('the collector under faults', () => {
  it('runs a tick on the last listing it saw when the fleet query keeps failing', async () => {
    const workers = inProcessWorkers();
    const deps = {
      ...env.deps,
      shards: workers.shards,
      fleetMemory: emptyFleetMemory(),
      pause: quickPause,
    };
    await dispatchCollect(deps, minute(start + 1), 2);
    await workers.done();
    let fleetQueries = 0;
    faults.script = (op, body) => (isFleetQuery(op, body) && ++fleetQueries ? 'error' : null);

    const dispatched = await dispatchCollect(deps, minute(start + 2), 2);
    await workers.done();

    // The query was tried again before the tick fell back.
    expect(fleetQueries).toBeGreaterThanOrEqual(3);
    expect(dispatched).toMatchObject({
      services: 3,
      shards: 2,
      failedShards: [],
      listing: { source: 'remembered', listedAt: minute(start + 1).toISOString() },
    });
    for (const s of env.direct.services) {
      expect((await env.direct.store.latestSample(s.id))?.at).toBe(minute(start + 1).toISOString());
    }
  });

  it('fails a tick with no listing to fall back to, naming the query’s error', async () => {
    faults.script = (op, body) => (isFleetQuery(op, body) ? 'error' : null);
    const deps = {
      ...env.deps,
      ...inProcessWorkers(),
      fleetMemory: emptyFleetMemory(),
      pause: quickPause,
    };

    await expect(dispatchCollect(deps, minute(start + 1), 2)).rejects.toThrow(
      /injected by the soak proxy/,
    );
  });

  it('keeps what a shard collected and collects the service that failed on a further pass', async () => {
    const victim = env.a.services[0]!.id;
    // The victim's sample writes fail for all four of the SDK's attempts, once.
    let failedWrites = 0;
    faults.script = (op, body) =>
      op === 'dynamodb:PutItem' && body.includes(`SVC#${victim}`) && failedWrites++ < 4
        ? 'error'
        : null;
    const shard: CollectShard = {
      tickAt: minute(start + 1).toISOString(),
      index: 0,
      count: 1,
      services: env.a.services,
    };

    const result = await collectShard(
      { ...env.deps, pause: quickPause },
      shard,
      defaultCollectOptions,
    );

    expect(failedWrites).toBeGreaterThanOrEqual(4);
    expect(result.failures).toEqual([]);
    for (const s of env.direct.services) {
      expect((await env.direct.store.latestSample(s.id))?.at).toBe(minute(start).toISOString());
    }
  });
});
