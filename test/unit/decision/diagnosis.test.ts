import { describe, expect, it } from 'vitest';
import { diagnose, primaryDiagnosis, type DiagnosisInput } from '../../../src/decision/diagnosis';
import type { Anomaly } from '../../../src/model/anomaly';
import type { Sample } from '../../../src/model/sample';
import { anAnomaly, anEcsState, aSample } from '../../support/builders';

const now = new Date('2026-03-01T12:00:00.000Z');

function sample(
  metrics: Record<string, number | null>,
  ecs: Partial<NonNullable<Sample['ecs']>> = {},
): Sample {
  return aSample({
    serviceId: 'checkout',
    at: now.toISOString(),
    metrics,
    ecs: anEcsState({
      desiredCount: 4,
      runningCount: 4,
      taskDefinition: 'checkout:42',
      lastDeploymentAt: '2026-02-28T09:00:00.000Z',
      ...ecs,
    }),
  });
}

function anomaly(metric: string, at: string, direction: Anomaly['direction'] = 'up'): Anomaly {
  return anAnomaly({
    serviceId: 'checkout',
    metric,
    at,
    value: 1,
    direction,
    expected: 0,
    lower: 0,
    upper: 0,
    severity: 'warning',
    explanation: '',
    desiredCount: 4,
  });
}

const names = (input: DiagnosisInput) => diagnose(input).map((d) => d.name);

describe('diagnose', () => {
  it('calls high CPU with more requests an overload, with the evidence', () => {
    const input = {
      sample: sample({ cpu: 93, latency_p95: 1200 }),
      openAnomalies: [anomaly('requests', now.toISOString())],
      now,
    };
    const [first] = diagnose(input);
    expect(first?.name).toBe('overload');
    expect(first?.evidence).toEqual([
      'cpu 93% ≥ 80%',
      'latency_p95 1200 ms rising with load',
      'requests above their usual level',
    ]);
    expect(first?.confidence).toBeGreaterThan(0.8);
  });

  it('calls a forecast memory breach with calm CPU a memory leak', () => {
    const input = {
      sample: sample({ cpu: 20, memory: 70 }),
      openAnomalies: [],
      forecasts: [{ metric: 'memory', minutesToBreach: 40 }],
      now,
    };
    expect(primaryDiagnosis(diagnose(input))).toBe('memory_leak');
    expect(diagnose(input)[0]?.evidence[0]).toBe('memory forecast to reach its limit in 40 min');
  });

  it('does not call a distant memory breach a leak', () => {
    const input = {
      sample: sample({ cpu: 20, memory: 70 }),
      openAnomalies: [],
      forecasts: [{ metric: 'memory', minutesToBreach: 2000 }],
      now,
    };
    expect(names(input)).not.toContain('memory_leak');
  });

  it('tells an error burst from overload by the normal CPU', () => {
    const input = {
      sample: sample({ cpu: 25, requests: 200, errors_5xx: 40 }),
      openAnomalies: [],
      now,
    };
    const [first] = diagnose(input);
    expect(first?.name).toBe('error_burst');
    expect(first?.evidence).toContain('cpu normal at 25%');
  });

  it('blames a failing dependency when probes fail while the service is idle', () => {
    const input = { sample: sample({ cpu: 15, probe_failures: 6 }), openAnomalies: [], now };
    expect(primaryDiagnosis(diagnose(input))).toBe('failing_dependency');
  });

  it('blames the deployment when the anomaly began soon after it', () => {
    const input = {
      sample: sample(
        { cpu: 30, latency_p95: 2500 },
        { lastDeploymentAt: '2026-03-01T11:50:00.000Z' },
      ),
      openAnomalies: [anomaly('latency_p95', '2026-03-01T11:55:00.000Z')],
      now,
    };
    const [first] = diagnose(input);
    expect(first?.name).toBe('bad_deploy');
    expect(first?.evidence[0]).toContain('5 min after the deployment');
  });

  it('does not blame the first deployment of a new service: it replaced nothing', () => {
    const input = {
      sample: sample(
        { cpu: 97, latency_p95: 2500 },
        { lastDeploymentAt: '2026-03-01T11:50:00.000Z', taskDefinition: 'checkout:1' },
      ),
      openAnomalies: [anomaly('cpu', '2026-03-01T11:55:00.000Z')],
      now,
    };
    expect(names(input)).not.toContain('bad_deploy');
  });

  it('does not blame a deployment older than the window', () => {
    const input = {
      sample: sample(
        { cpu: 30, latency_p95: 2500 },
        { lastDeploymentAt: '2026-03-01T10:00:00.000Z' },
      ),
      openAnomalies: [anomaly('latency_p95', '2026-03-01T11:55:00.000Z')],
      now,
    };
    expect(names(input)).toEqual(['latency_regression']);
  });

  it('sees saturation in tasks that cannot start and pinned resources', () => {
    const input = {
      sample: sample(
        { cpu: 99, memory: 90 },
        { desiredCount: 8, runningCount: 4, pendingCount: 4 },
      ),
      openAnomalies: [],
      now,
    };
    expect(names(input)).toContain('saturation');
  });

  it('finds nothing wrong in a healthy sample', () => {
    const input = {
      sample: sample({ cpu: 40, memory: 50, latency_p95: 120 }),
      openAnomalies: [],
      now,
    };
    expect(diagnose(input)).toEqual([]);
    expect(primaryDiagnosis([])).toBe('unknown');
  });
});
