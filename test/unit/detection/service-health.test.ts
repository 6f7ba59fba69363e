// One health number per service: calm series give ~100, a critical anomaly drags it down.
import { describe, expect, it } from 'vitest';
import {
  healthStatus,
  seriesDetector,
  serviceHealth,
  serviceHealthOf,
  type DetectionOutput,
  type HealthFacts,
} from '../../../src/detection';

function output(
  score: number,
  severity: DetectionOutput['severity'],
  warm = true,
): DetectionOutput {
  return {
    timestamp: 0,
    value: 1,
    score,
    anomalous: severity !== 'info',
    direction: 'none',
    expected: 1,
    lower: 0,
    upper: 2,
    severity,
    explanation: '',
    zScore: 0,
    warm,
  };
}

describe('service health', () => {
  it('is fully healthy when every series is normal', () => {
    const health = serviceHealth([output(0.1, 'info'), output(0.2, 'info')]);

    expect(health).toBeGreaterThanOrEqual(95);
    expect(healthStatus(health)).toBe('operational');
  });

  it('is degraded by a warning and in outage with critical anomalies', () => {
    const warning = serviceHealth([output(0.55, 'warning'), output(0.1, 'info')]);
    const critical = serviceHealth([output(0.9, 'critical'), output(0.8, 'critical')]);

    expect(healthStatus(warning)).toBe('degraded');
    expect(healthStatus(critical)).toBe('outage');
    expect(critical).toBeLessThan(warning);
  });

  it('ignores series still warming up and counts a service with no series as healthy', () => {
    expect(serviceHealth([output(1, 'critical', false)])).toBe(100);
    expect(serviceHealth([])).toBe(100);
  });
});

describe('service health from what is known now', () => {
  const reference = Date.parse('2026-11-22T10:00:00.000Z');
  const anomaly = (
    severity: 'warning' | 'critical',
    score: number,
    at = '2026-11-22T09:58:00.000Z',
  ) => ({ metric: 'cpu', at, score, severity });
  const running = { desired: 2, running: 2 };
  const facts = (over: Partial<HealthFacts> = {}): HealthFacts => ({
    anomalies: [],
    models: [],
    tasks: running,
    openIncidents: 0,
    reference,
    ...over,
  });

  it('is 100 and operational with nothing unusual, and an outage with no task running', () => {
    expect(serviceHealthOf(facts())).toEqual({ score: 100, state: 'operational' });
    expect(serviceHealthOf(facts({ tasks: { desired: 2, running: 0 } }))).toEqual({
      score: 0,
      state: 'outage',
    });
    // Scaled to zero on purpose is not an outage.
    expect(serviceHealthOf(facts({ tasks: { desired: 0, running: 0 } })).score).toBe(100);
  });

  it('weighs recent anomalies, worst first, but stays degraded while tasks run', () => {
    const warning = serviceHealthOf(facts({ anomalies: [anomaly('warning', 0.5)] }));
    const critical = serviceHealthOf(facts({ anomalies: [anomaly('critical', 0.97)] }));
    const old = serviceHealthOf(
      facts({ anomalies: [anomaly('critical', 1, '2026-11-22T09:40:00.000Z')] }),
    );

    expect(warning).toEqual({ score: 57, state: 'degraded' });
    expect(critical).toEqual({ score: 40, state: 'degraded' });
    expect(old.score).toBe(100); // older than 15 minutes
  });

  it('keeps an open incident below operational, and lets the models nibble at calm series', () => {
    expect(serviceHealthOf(facts({ openIncidents: 1 }))).toEqual({
      score: 79,
      state: 'degraded',
    });
    const detector = { ...seriesDetector.init(), t: reference - 60_000, n: 10_000, ls: 0.4 };
    const stale = { ...detector, t: reference - 3_600_000 };
    expect(serviceHealthOf(facts({ models: [{ metric: 'memory', detector }] })).score).toBe(96);
    expect(serviceHealthOf(facts({ models: [{ metric: 'memory', detector: stale }] })).score).toBe(
      100,
    );
  });
});
