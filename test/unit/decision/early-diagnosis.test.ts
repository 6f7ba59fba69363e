// Issue #14 (a) and (c): the diagnosis on the evidence of the first minutes, and seed thresholds
// that act only once they hold.
import { describe, expect, it } from 'vitest';
import {
  actionableDiagnosis,
  diagnose,
  heldThresholds,
  primaryDiagnosis,
} from '../../../src/decision';
import { ACT_ON_CONFIDENCE, type Sample } from '../../../src/model';
import { aService, anAnomaly, anEcsState, aSample } from '../../support/builders';

const t0 = Date.parse('2026-11-22T10:00:00.000Z');
const iso = (minute: number) => new Date(t0 + minute * 60_000).toISOString();

function at(minute: number, metrics: Sample['metrics']): Sample {
  return aSample({ at: iso(minute), metrics, ecs: anEcsState({ lastDeploymentAt: null }) });
}

describe('a failing dependency', () => {
  it('is named from the first failed probe when errors come with it, not an error burst', () => {
    const sample = at(0, { cpu: 45, error_rate: 18, probe_failures: 1 });
    const input = { sample, openAnomalies: [], now: new Date(t0) };
    expect(primaryDiagnosis(diagnose(input))).toBe('failing_dependency');
  });

  it('needs the probe threshold while nothing else is wrong', () => {
    const sample = at(0, { cpu: 45, error_rate: 0.2, probe_failures: 2 });
    expect(diagnose({ sample, openAnomalies: [], now: new Date(t0) })).toEqual([]);
  });
});

describe('a memory leak', () => {
  const climbing = (minutes: number, perMinute: number, requests = () => 100) =>
    Array.from({ length: minutes }, (_, k) =>
      at(k - minutes + 1, {
        cpu: 50,
        memory: 55 + perMinute * k + (k % 2 ? 0.3 : -0.3),
        requests: requests(),
      }),
    );

  it('is named from a steady climb in the recent samples, before any forecast says so', () => {
    const history = climbing(15, 0.5);
    const input = { sample: history.at(-1)!, history, openAnomalies: [], now: new Date(t0) };
    const [first] = diagnose(input);
    expect(first?.name).toBe('memory_leak');
    expect(first?.evidence[0]).toMatch(/^memory climbing 0.5%\/min steadily for 14 min/);
  });

  it('is not named for a climb that follows the load', () => {
    const history = climbing(15, 0.5, () => 0);
    history.forEach((s, k) => (s.metrics.requests = 100 + 4 * k));
    const input = { sample: history.at(-1)!, history, openAnomalies: [], now: new Date(t0) };
    expect(diagnose(input).map((d) => d.name)).not.toContain('memory_leak');
  });

  it('is not named for noise around a level, nor for a few minutes of data', () => {
    const flat = climbing(15, 0);
    const few = climbing(5, 0.5);
    const noise = { sample: flat.at(-1)!, history: flat, openAnomalies: [], now: new Date(t0) };
    const short = { sample: few.at(-1)!, history: few, openAnomalies: [], now: new Date(t0) };
    expect(diagnose(noise)).toEqual([]);
    expect(diagnose(short)).toEqual([]);
  });
});

describe('a memory leak minutes in (issue #14: the first action is a restart)', () => {
  /** Flat for `flat` minutes, then climbing `perMinute`, with ±0.3 of noise; newest last. */
  const leaking = (flat: number, climbing: number, perMinute: number) =>
    Array.from({ length: flat + climbing }, (_, k) =>
      at(k - flat - climbing + 1, {
        cpu: 50,
        memory: 56 + perMinute * Math.max(0, k - flat + 1) + (k % 2 ? 0.3 : -0.3),
        requests: 100,
      }),
    );
  const memoryUp = [anAnomaly({ metric: 'memory', at: iso(0), direction: 'up', value: 59 })];

  it('is named from the climb since memory became unusual, four minutes of it', () => {
    const history = leaking(16, 4, 0.5);
    const input = { sample: history.at(-1)!, history, openAnomalies: memoryUp, now: new Date(t0) };
    expect(primaryDiagnosis(diagnose(input))).toBe('memory_leak');
  });

  it('needs the detector to find memory unusual before acting on so short a climb', () => {
    const history = leaking(16, 4, 0.5);
    const input = { sample: history.at(-1)!, history, openAnomalies: [], now: new Date(t0) };
    // Held above its usual level, it is a suspicion at most: told, not restarted on.
    const found = diagnose(input);
    expect(actionableDiagnosis(found)).toBe('unknown');
    expect(found.every((d) => d.confidence < ACT_ON_CONFIDENCE)).toBe(true);
  });

  it('is not named for a one-minute blip of memory', () => {
    const history = leaking(20, 0, 0);
    history.at(-1)!.metrics.memory = 66;
    const input = { sample: history.at(-1)!, history, openAnomalies: memoryUp, now: new Date(t0) };
    expect(diagnose(input).map((d) => d.name)).not.toContain('memory_leak');
  });
});

describe('load and latency, before the lines are crossed', () => {
  it('more requests than usual working the CPU hard is an overload, below 80%', () => {
    const sample = at(0, { cpu: 74, requests: 900 });
    const openAnomalies = [anAnomaly({ metric: 'requests', at: iso(0), direction: 'up' })];
    expect(primaryDiagnosis(diagnose({ sample, openAnomalies, now: new Date(t0) }))).toBe(
      'overload',
    );
  });

  it('requests held past their share of capacity, CPU working, is an overload (a slow ramp)', () => {
    const sample = at(0, { cpu: 72, requests: 330 });
    const openAnomalies = [
      anAnomaly({ metric: 'request_utilisation', at: iso(0), direction: 'up', value: 82 }),
    ];
    expect(primaryDiagnosis(diagnose({ sample, openAnomalies, now: new Date(t0) }))).toBe(
      'overload',
    );
  });

  it('slower requests with neither more of them nor a busy CPU are a latency regression', () => {
    const sample = at(0, { cpu: 40, latency_p95: 1700, requests: 100 });
    const openAnomalies = [anAnomaly({ metric: 'latency_p95', at: iso(0), direction: 'up' })];
    expect(primaryDiagnosis(diagnose({ sample, openAnomalies, now: new Date(t0) }))).toBe(
      'latency_regression',
    );
  });
});

describe('the seed thresholds', () => {
  const service = aService();
  const cpu = (minute: number, value: number) => at(minute, { cpu: value, memory: 50 });
  const held = (samples: Sample[]) =>
    heldThresholds(service, samples.at(-1)!, samples).map((h) => h.policy.name);

  it('do not act on one minute over 80% CPU', () => {
    expect(held([cpu(0, 60), cpu(1, 60), cpu(2, 86)])).not.toContain('scale-out-cpu');
  });

  it('act once CPU has held over 80% for 3 minutes', () => {
    expect(held([cpu(0, 86), cpu(1, 88), cpu(2, 86)])).toContain('scale-out-cpu');
  });

  it('restart on errors only once they held for 2 minutes', () => {
    const errors = (minute: number, rate: number) => at(minute, { cpu: 40, error_rate: rate });
    expect(held([errors(0, 0.3), errors(1, 25)])).not.toContain('alert-error-rate');
    expect(held([errors(0, 25), errors(1, 25)])).toContain('alert-error-rate');
  });
});
