// Factories for the alerting tests: anomalies, decisions and a simulated clock in minutes.
import type { Anomaly, Decision, Severity } from '../../../src/model';
import { anomalyId } from '../../../src/model';
import { alertingConfigSchema, type AlertingConfigInput } from '../../../src/alerting';

export const t0 = Date.parse('2026-03-02T10:00:00.000Z');

/** The simulated clock: seconds after t0. */
export function at(seconds: number): Date {
  return new Date(t0 + seconds * 1000);
}

export function isoAt(seconds: number): string {
  return at(seconds).toISOString();
}

export function config(overrides: AlertingConfigInput = {}) {
  return alertingConfigSchema.parse({
    statusPageUrl: 'https://status.example.com/#{service}',
    ...overrides,
  });
}

export function anomaly(
  serviceId: string,
  metric: string,
  seconds: number,
  severity: Severity = 'warning',
): Anomaly {
  const when = isoAt(seconds);
  return {
    id: anomalyId(serviceId, metric, when),
    serviceId,
    metric,
    at: when,
    value: 95,
    score: severity === 'critical' ? 0.95 : 0.7,
    direction: 'up',
    expected: 40,
    lower: 20,
    upper: 60,
    severity,
    explanation: `${metric} 95.0 is far above its usual 40.0 (band 20.0-60.0)`,
    desiredCount: 2,
  };
}

export function decision(
  serviceId: string,
  seconds: number,
  overrides: Partial<Decision> = {},
): Decision {
  const when = isoAt(seconds);
  return {
    id: `dec~${serviceId}~cpu~${when}`,
    serviceId,
    anomalyId: anomalyId(serviceId, 'cpu', when),
    at: when,
    action: 'scale-out',
    fromCount: 2,
    toCount: 4,
    reason: 'cpu 95% over target 70%',
    mode: 'auto',
    status: 'executed',
    requestedBy: 'autopilot',
    result: null,
    ...overrides,
  };
}
