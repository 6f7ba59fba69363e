// Issue #14 part 4: a forecast breach within its horizon becomes a warning with the time to breach —
// memory (it was the only one), disk, and a user's own threshold.
import { describe, expect, it } from 'vitest';
import { forecastLimits } from '../../../src/decision';
import type { Anomaly, Policy, Service } from '../../../src/model';
import { watchSample, type WatchDeps } from '../../../src/use-cases/watch-sample';
import { aSample, aService, anEcsState } from '../../support/builders';
import { gaussianNoise, run } from '../detection/series-fixtures';

const start = Date.parse('2026-11-22T10:00:00.000Z');

/** A detector that has watched `values` (the fixture's steps are 5 minutes apart). */
function model(metric: string, values: number[]) {
  return { metric, state: { lastTimestamp: null, detector: run(values).state }, version: 1 };
}

async function watch(
  service: Service,
  models: ReturnType<typeof model>[],
  metrics: Record<string, number>,
) {
  const anomalies = new Map<string, Anomaly>();
  const deps: WatchDeps = {
    clock: { now: () => new Date(start) },
    registry: { get: async () => service },
    observations: {
      putAnomaly: async (a) => (anomalies.has(a.id) ? false : (anomalies.set(a.id, a), true)),
      anomaliesSince: async () => [],
    },
    samples: { samplesBetween: async () => [] },
    models: { loadModels: async () => models },
  };
  const sample = aSample({
    serviceId: service.id,
    at: new Date(start).toISOString(),
    metrics,
    ecs: anEcsState(),
  });
  await watchSample(deps, sample);
  return [...anomalies.values()].filter((a) => a.source === 'forecast');
}

const noise = gaussianNoise(5);
const climbing = (from: number, perStep: number, n = 400) =>
  Array.from({ length: n }, (_, i) => from + perStep * i + 0.2 * noise());

describe('forecast warnings', () => {
  it('warn when disk is forecast to run out of room', async () => {
    const service = aService({ id: 'web', name: 'api' });
    const raised = await watch(service, [model('disk', climbing(40, 0.12))], { disk: 88 });
    expect(raised.map((a) => a.metric)).toEqual(['disk_forecast']);
    expect(raised[0]!.explanation).toMatch(/^disk of api reaches 95% in about \d+ minutes$/);
  });

  it("warn when a user's threshold is forecast within the hour, naming the policy", async () => {
    const queue: Policy = {
      name: 'scale-out-queue',
      when: 'queue_depth > 490',
      actions: ['scale-out'],
      priority: 200,
    };
    const service = aService({ id: 'web', name: 'api', policies: [queue] });
    // 0.4 a minute, now about 478: 490 in about half an hour.
    const raised = await watch(service, [model('queue_depth', climbing(0, 2, 240))], {
      queue_depth: 478,
    });
    expect(raised.map((a) => a.metric)).toEqual(['queue_depth_forecast']);
    expect(raised[0]!.explanation).toMatch(
      /^queue_depth of api reaches 490 in about \d+ minutes \(policy scale-out-queue\)$/,
    );
    expect(raised[0]!.minutesToBreach).toBeLessThanOrEqual(60);
  });

  it("do not warn of a user's threshold further off than the hour", async () => {
    const queue: Policy = {
      name: 'scale-out-queue',
      when: 'queue_depth > 490',
      actions: ['scale-out'],
      priority: 200,
    };
    const service = aService({ id: 'web', name: 'api', policies: [queue] });
    const slow = await watch(service, [model('queue_depth', climbing(0, 0.5))], {
      queue_depth: 200,
    });
    expect(slow).toEqual([]);
  });

  it('take the lines from the policies that scale out or alert, not those that only scale in', () => {
    const lines = forecastLimits(aService()).map((l) => `${l.metric} ${l.side} ${l.limit}`);
    expect(lines).toEqual(
      expect.arrayContaining([
        'memory above 95',
        'disk above 95',
        'cpu above 80',
        'latency_p95 above 2000',
      ]),
    );
    expect(lines).not.toContain('cpu below 30');
  });
});
