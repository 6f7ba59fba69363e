// The collector and the scaler with their real adapters against the emulator: CloudWatch history warms
// the models, a load spike becomes an anomaly, and an approved decision changes ECS exactly once.
import { beforeEach, describe, expect, it } from 'vitest';
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { decideDeps, executeDeps } from '../../lib/wiring/decisions';
import { allSwitchesOn } from '../../src/decision';
import { collectTick, defaultCollectOptions } from '../../src/use-cases/collect-tick';
import { decideOnAnomaly } from '../../src/use-cases/decide-on-anomaly';
import { executeDecision } from '../../src/use-cases/execute-decision';
import { collectStack, minute, wallClock as clock } from '../support/collect-stack';

const start = 29_400_000; // an epoch minute (2025-11-23)

let env: Awaited<ReturnType<typeof setup>>;

const setup = () => collectStack();

beforeEach(async () => {
  env = await setup();
});

/** Three calm hours, one tick on them, then a load spike on web from the next minute. */
async function warmThenSpikeWeb() {
  await env.feeder.backfill(start - 180, start + 1, env.tasks);
  await collectTick(env.deps, minute(start + 1));
  env.feeder.spikes.push({
    serviceId: 'web',
    fromMinute: start + 1,
    toMinute: start + 5,
    factor: 2.6,
  });
  await env.feeder.put(env.feeder.datums(start + 1, env.tasks));
}

describe('collect', () => {
  it('warms every model from history, writes one sample per service per minute, and stays quiet on normal load', async () => {
    await env.feeder.backfill(start - 180, start + 1, env.tasks);

    const first = await collectTick(env.deps, minute(start + 1));
    await env.feeder.put(env.feeder.datums(start + 1, env.tasks));
    const result = await collectTick(env.deps, minute(start + 2));

    // The first tick keeps the last five minutes of history as samples; later ticks add one a minute.
    expect(first).toMatchObject({ services: 3, series: 6, samples: 15, failures: [] });
    expect(result).toMatchObject({ services: 3, series: 6, samples: 3, failures: [] });
    expect([...first.anomalies, ...result.anomalies]).toEqual([]);
    const sample = await env.a.store.latestSample('web');
    expect(sample).toMatchObject({
      at: minute(start + 1).toISOString(),
      ecs: { desiredCount: 2, runningCount: expect.any(Number) },
    });
    expect(sample!.metrics.cpu).toBeGreaterThan(20);
    expect((await env.a.store.lastCollectorRun())?.tickAt).toBe(minute(start + 2).toISOString());
  });

  it('raises a CPU anomaly on a load spike, once, even when the same tick runs twice', async () => {
    await warmThenSpikeWeb();

    const [first, second] = await Promise.all([
      collectTick(env.deps, minute(start + 2)),
      collectTick(env.deps, minute(start + 2)),
    ]);

    const found = [...first.anomalies, ...second.anomalies].filter(
      (x) => x.serviceId === 'web' && x.metric === 'cpu',
    );
    expect(found.length).toBeGreaterThanOrEqual(1);
    expect(found[0]).toMatchObject({ direction: 'up', desiredCount: 2 });
    expect(found[0]!.severity).not.toBe('info');
    const stored = await env.a.store.anomaliesSince('web', minute(start - 1));
    expect(stored.filter((x) => x.metric === 'cpu')).toHaveLength(1);
  });

  it('does not raise anomalies from history it learns on', async () => {
    env.feeder.spikes.push({
      serviceId: 'web',
      fromMinute: start - 60,
      toMinute: start - 55,
      factor: 3,
    });
    await env.feeder.backfill(start - 180, start + 1, env.tasks);

    const result = await collectTick(env.deps, minute(start + 1));

    expect(result.anomalies).toEqual([]);
  });

  it('collects nothing new but still reports its run when ANOMALY_DETECTION_ENABLED is false', async () => {
    env.feeder.spikes.push({ serviceId: 'web', fromMinute: start, toMinute: start, factor: 3 });
    await env.feeder.backfill(start - 180, start + 1, env.tasks);

    const result = await collectTick(env.deps, minute(start + 1), {
      ...defaultCollectOptions,
      detectionEnabled: false,
    });

    expect(result.anomalies).toEqual([]);
    expect(result.samples).toBe(15);
  });
});

describe('decide and scale', () => {
  it('turns a CPU anomaly into an ECS desired count change, once, however often it is delivered', async () => {
    await warmThenSpikeWeb();
    const { anomalies } = await collectTick(env.deps, minute(start + 2));
    const anomaly = anomalies.find((x) => x.serviceId === 'web' && x.metric === 'cpu')!;
    const deps = { ...decideDeps(env.a.config), ...executeDeps(env.a.config), clock };

    // The rule path (AI_DECISIONS_ENABLED off, as in production): with both tasks running there is
    // no signature, and a learned pick between scale-out and notify would be a coin flip.
    const rules = { ...allSwitchesOn, aiDecisionsEnabled: false };
    const { decision } = await decideOnAnomaly(deps, anomaly, rules);
    const outcomes = await Promise.all([
      executeDecision(deps, decision, allSwitchesOn),
      executeDecision(deps, decision, allSwitchesOn),
    ]);
    const later = await executeDecision(deps, decision, allSwitchesOn);

    expect(decision).toMatchObject({ action: 'scale-out', fromCount: 2, status: 'approved' });
    expect(outcomes.sort()).toEqual(['already-handled', 'executed']);
    expect(later).toBe('already-handled');
    const ecs = await env.a.aws.ecs.send(
      new DescribeServicesCommand({ cluster: 'vigia-demo', services: ['web'] }),
    );
    expect(ecs.services?.[0]?.desiredCount).toBe(decision.toCount);
    expect(await env.a.store.getDecision('web', decision.id)).toMatchObject({
      status: 'executed',
      result: `desired count 2 → ${decision.toCount}`,
    });
  });

  it('records a failure that names the ECS service when it does not exist', async () => {
    const ghost = {
      ...env.a.services[0]!,
      id: 'web',
      ecs: { cluster: 'vigia-demo', service: 'ghost' },
    };
    const registry = { list: async () => [ghost], get: async () => ghost };
    const deps = { ...executeDeps(env.a.config), clock, registry };
    const decision = {
      id: 'web~2026-01-01T00:00:00.000Z~cpu~decision',
      serviceId: 'web',
      anomalyId: 'web~2026-01-01T00:00:00.000Z~cpu',
      at: '2026-01-01T00:00:00.000Z',
      action: 'scale-out' as const,
      fromCount: 2,
      toCount: 3,
      reason: 'test',
      mode: 'auto' as const,
      status: 'approved' as const,
      requestedBy: 'test',
      result: null,
    };
    await env.a.store.putDecision(decision, new Date());

    expect(await executeDecision(deps, decision, allSwitchesOn)).toBe('failed');
    expect((await env.a.store.getDecision('web', decision.id))?.result).toMatch(
      /ECS service 'ghost' in cluster 'vigia-demo'/,
    );
  });
});

describe('pushed metrics', () => {
  it('joins a pushed business metric to the next tick as its own series', async () => {
    const { CombinedMetricSource } = await import('../../lib/sources/combined-source');
    const { PushedMetricStore } = await import('../../lib/store/pushed-metric-store');
    const pushed = new PushedMetricStore(env.a.table);
    await env.feeder.backfill(start - 180, start + 1, env.tasks);
    await pushed.put([
      {
        serviceId: 'worker',
        metric: 'queue_depth',
        minute: minute(start).toISOString(),
        value: 42,
        pushedAt: new Date().toISOString(),
      },
    ]);
    const deps = { ...env.deps, metrics: new CombinedMetricSource([env.deps.metrics, pushed]) };

    await collectTick(deps, minute(start + 1));

    const sample = await env.a.store.latestSample('worker');
    expect(sample?.metrics).toMatchObject({ queue_depth: 42, cpu: expect.any(Number) });
    expect((await env.a.store.loadModels('worker')).map((m) => m.metric).sort()).toEqual([
      'cpu',
      'memory',
      'queue_depth',
    ]);
  });
});
