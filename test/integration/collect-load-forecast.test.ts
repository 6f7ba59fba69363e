// Which series carry the load forecast: collect learns it (`lf` in the models item) only on load
// series — `requests`, or `cpu` on a service without requests — and no other series pays for it.
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoModelStore } from '../../lib/store/model-store';
import { loadDetector } from '../../src/detection';
import { collectTick } from '../../src/use-cases/collect-tick';
import { collectStack, minute } from '../support/collect-stack';

const start = 29_500_000; // an epoch minute

let env: Awaited<ReturnType<typeof setup>>;

const setup = () => collectStack();

async function carriesForecast(serviceId: string): Promise<Record<string, boolean>> {
  const models = await env.a.store.loadModels(serviceId);
  return Object.fromEntries(
    models.map((m) => [m.metric, (m.state as { detector: { lf?: unknown } }).detector.lf != null]),
  );
}

beforeAll(async () => {
  env = await setup();
});

describe('the load forecast on load series only', () => {
  it('is learned on cpu where the service has no requests, not on memory', async () => {
    await env.feeder.backfill(start - 30, start + 1, env.tasks);
    const result = await collectTick(env.deps, minute(start + 1));

    expect(result.failures).toEqual([]);
    for (const s of env.a.services) {
      expect(await carriesForecast(s.id)).toEqual({ cpu: true, memory: false });
    }
  });

  it('moves to requests once the service has a requests series: cpu sheds its forecast', async () => {
    // A requests model beside the others (as the ALB source would start one).
    let detector = loadDetector.init();
    for (let m = start - 30; m <= start + 1; m++) {
      detector = loadDetector.update(detector, { timestamp: m * 60_000, value: 50 }).state;
    }
    await new DynamoModelStore(env.a.table).saveModel(
      'web',
      'requests',
      { lastTimestamp: (start + 1) * 60_000, detector },
      0,
    );
    await env.feeder.put(env.feeder.datums(start + 1, env.tasks));

    await collectTick(env.deps, minute(start + 2));

    expect(await carriesForecast('web')).toEqual({ cpu: false, memory: false, requests: true });
    expect(await carriesForecast('api')).toMatchObject({ cpu: true, memory: false });
  });
});
