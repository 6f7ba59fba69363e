// The watch consumer judges threshold policies on every sample: a sustained level the detector has
// learned still raises its anomaly, a `for` window must hold on every sample, a redelivered sample
// raises nothing twice.
import { describe, expect, it } from 'vitest';
import { emptyScalingState } from '../../../src/decision';
import { decideOnAnomaly } from '../../../src/use-cases/decide-on-anomaly';
import { watchSample, type WatchDeps } from '../../../src/use-cases/watch-sample';
import type { Anomaly, Policy, Sample, Service } from '../../../src/model';
import { aSample, aService, anEcsState, ruleSwitches } from '../../support/builders';
import { gaussianNoise, run } from '../detection/series-fixtures';

const MINUTE = 60_000;
const start = Date.parse('2026-11-22T10:00:00.000Z');
const minute = (n: number) => new Date(start + n * MINUTE).toISOString();

/** The stores the watch sees, in memory with the same contract: a put is conditional on the key. */
function world(service: Service) {
  const samples: Sample[] = [];
  const anomalies = new Map<string, Anomaly>();
  const deps: WatchDeps = {
    clock: { now: () => new Date(start + 60 * MINUTE) },
    registry: { get: async (id) => (id === service.id ? service : null) },
    observations: {
      putAnomaly: async (a) => {
        if (anomalies.has(a.id)) return false;
        anomalies.set(a.id, a);
        return true;
      },
      anomaliesSince: async (_id, since) =>
        [...anomalies.values()].filter((a) => a.at >= since.toISOString()),
    },
    samples: {
      samplesBetween: async (_id, from, to) =>
        samples.filter((s) => s.at >= from.toISOString() && s.at <= to.toISOString()),
    },
  };
  /** A sample written by collect, then delivered to the watch. */
  const tick = async (n: number, metrics: Record<string, number>) => {
    const sample = aSample({ serviceId: service.id, at: minute(n), metrics, ecs: anEcsState() });
    samples.push(sample);
    return watchSample(deps, sample);
  };
  return { deps, samples, anomalies, tick };
}

const cpuFor5m: Policy = {
  name: 'scale-out-cpu',
  when: 'cpu > 80%',
  actions: ['scale-out'],
  priority: 200,
  for: '5m',
};

describe('watchSample: thresholds that hold', () => {
  it('raises nothing when cpu holds above 80% for 4 of the 5 minutes of its window', async () => {
    const w = world(aService({ policies: [cpuFor5m] }));

    for (const [n, cpu] of [85, 86, 70, 88, 90, 91].entries()) await w.tick(n, { cpu });

    expect([...w.anomalies.values()]).toEqual([]);
  });

  it('raises one threshold anomaly once cpu has held 5 of 5 minutes, and only one on redelivery', async () => {
    const w = world(aService({ policies: [cpuFor5m] }));

    for (const n of [0, 1, 2, 3]) await w.tick(n, { cpu: 85 });
    expect(w.anomalies.size).toBe(0);
    const fifth = await w.tick(4, { cpu: 85 });
    const redelivered = await watchSample(w.deps, w.samples.at(-1)!);

    expect(fifth.written).toHaveLength(1);
    expect(redelivered.written).toEqual([]);
    const raised = [...w.anomalies.values()];
    expect(raised).toHaveLength(1);
    expect(raised[0]).toMatchObject({
      serviceId: 'web',
      metric: 'cpu',
      at: minute(4),
      value: 85,
      score: 1,
      source: 'threshold',
      policy: 'scale-out-cpu',
      severity: 'warning',
      upper: 80,
      explanation: 'cpu 85% above the policy threshold 80% for 5 min (policy scale-out-cpu)',
    });
  });

  it('raises on every sample of a sustained 12% error rate, with no detector anomaly at all', async () => {
    // The seed policies: alert-error-rate holds for 2 minutes, and the detector long learned the level.
    const w = world(aService());

    await w.tick(0, { cpu: 40, memory: 50, requests: 1000, errors_5xx: 120 });
    await w.tick(1, { cpu: 40, memory: 50, requests: 1000, errors_5xx: 120 });
    await w.tick(2, { cpu: 40, memory: 50, requests: 1000, errors_5xx: 120 });

    const raised = [...w.anomalies.values()].filter((a) => a.policy === 'alert-error-rate');
    expect(raised.map((a) => a.at)).toEqual([minute(1), minute(2)]);
    expect(raised[0]!.explanation).toBe(
      'error_rate 12% above the policy threshold 10% for 2 min (policy alert-error-rate)',
    );
  });

  it('leaves alone policies that judge an anomaly and those that only scale in', async () => {
    const w = world(aService());

    // Idle (scale-in-idle holds) and nothing else: no news, target scaling sizes it down.
    const result = await w.tick(0, { cpu: 10, memory: 20 });

    expect(result.raised).toEqual([]);
  });

  it('the threshold anomaly goes through decide: the policy whose window held matches', async () => {
    const service = aService({ policies: [cpuFor5m], mode: 'auto' });
    const w = world(service);
    for (const n of [0, 1, 2, 3, 4]) await w.tick(n, { cpu: 85 });
    const anomaly = [...w.anomalies.values()][0]!;
    const decisions = new Map();

    const { decision } = await decideOnAnomaly(
      {
        clock: { now: () => new Date(start + 5 * MINUTE) },
        registry: { list: async () => [service], get: async () => service },
        decisions: {
          getDecision: async (_s, id) => decisions.get(id) ?? null,
          decisionsSince: async () => [],
        },
        ledger: {
          loadAutopilotState: async () => ({ scaling: emptyScalingState(), version: 0 }),
          commitDecision: async (d) => (decisions.set(d.id, d), 'created'),
        },
        observations: {
          latestSample: async () => w.samples.at(-1)!,
          anomaliesSince: async () => [],
        },
        learning: { loadStats: async () => [] },
      },
      anomaly,
      ruleSwitches,
    );

    expect(decision.policies).toEqual(['scale-out-cpu']);
    expect(decision.action).toBe('scale-out');
  });

  it('raises a forecast warning with the time to breach, once per breach episode', async () => {
    // Memory climbing 0.1% every 5 minutes, now about 92%: 95% is within the forecast horizon.
    const noise = gaussianNoise(11);
    const values = Array.from({ length: 520 }, (_, i) => 40 + 0.1 * i + 0.2 * noise());
    const { state } = run(values);
    const w = world(aService({ id: 'web', name: 'api' }));
    const deps: WatchDeps = {
      ...w.deps,
      models: {
        loadModels: async () => [
          { metric: 'memory', state: { lastTimestamp: null, detector: state }, version: 1 },
        ],
      },
    };

    const sample = (n: number) =>
      aSample({ at: minute(n), metrics: { cpu: 40, memory: 80 }, ecs: anEcsState() });
    const first = await watchSample(deps, sample(0));
    const next = await watchSample(deps, sample(1));

    const forecasts = [...w.anomalies.values()].filter((a) => a.source === 'forecast');
    expect(first.written).toHaveLength(1);
    expect(next.written).toEqual([]);
    expect(forecasts).toHaveLength(1);
    expect(forecasts[0]!.severity).toBe('warning');
    expect(forecasts[0]!.explanation).toMatch(/^memory of api reaches 95% in about \d+ minutes$/);
  });
});
