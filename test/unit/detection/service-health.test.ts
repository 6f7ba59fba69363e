// One health number per service: calm series give ~100, a critical anomaly drags it down.
import { describe, expect, it } from 'vitest';
import { healthStatus, serviceHealth, type DetectionOutput } from '../../../src/detection';

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
