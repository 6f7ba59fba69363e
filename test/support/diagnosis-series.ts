// Series for the diagnosis tests: one-minute samples around a fixed instant, noise as a fixed
// sequence in σ, and anomalies as the detector raises them (value, expected, spread).
import type { DiagnosisInput } from '../../src/decision';
import type { Anomaly, EcsState, Sample } from '../../src/model';
import { anAnomaly, anEcsState, aSample } from './builders';

export const t0 = Date.parse('2026-11-22T10:00:00.000Z');
export const iso = (minute: number) => new Date(t0 + minute * 60_000).toISOString();
/** A fixed, noise-like sequence in σ (mean ≈ 0, spread ≈ 1). */
const wiggle = [0.3, -1.1, 0.6, -0.2, 1.2, -0.7, 0.1, -1.4, 0.9, 0.4, -0.5, 1.0, -0.9, 0.2, -0.3];
export const noise = (k: number) => wiggle[k % wiggle.length]!;

/** 30 one-minute samples, newest (minute 0) last; `at(k)` gives the metrics `k` minutes back. */
export function history(
  at: (minutesBack: number) => Sample['metrics'],
  ecs: EcsState = anEcsState(),
): Sample[] {
  return Array.from({ length: 30 }, (_, i) =>
    aSample({ at: iso(i - 29), metrics: at(29 - i), ecs }),
  );
}

/** The detector's anomaly at minute 0: `value` against `expected`, `sigma` its spread. */
export function detectorAnomaly(
  metric: string,
  value: number,
  expected: number,
  sigma: number,
  overrides: Partial<Anomaly> = {},
): Anomaly {
  return anAnomaly({
    metric,
    at: iso(0),
    value,
    expected,
    zScore: (value - expected) / sigma,
    direction: value >= expected ? 'up' : 'down',
    ...overrides,
  });
}

export function diagnosisInput(samples: Sample[], openAnomalies: Anomaly[]): DiagnosisInput {
  return { sample: samples.at(-1)!, history: samples, openAnomalies, now: new Date(t0) };
}
