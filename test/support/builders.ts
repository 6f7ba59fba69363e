// The one set of builders for the domain objects tests need (service, anomaly, decision, sample, ECS
// state, switches), each a plain default a test overrides with what it is about; and the alerting
// scenarios' clock in seconds with their anomaly and decision shorthands. Pure: no store, no AWS.
import {
  alertingConfigSchema,
  flush,
  type AlertingConfig,
  type AlertingConfigInput,
  type AlertingState,
  type Notification,
} from '../../src/alerting';
import type { GlobalSwitches } from '../../src/decision';
import {
  anomalyId,
  decisionIdFor,
  serviceSchema,
  type Anomaly,
  type Decision,
  type EcsState,
  type Sample,
  type Service,
  type ServiceInput,
  type Severity,
} from '../../src/model';

/** The moment the builders' objects happen at unless a test says otherwise. */
export const BUILT_AT = '2026-11-22T10:00:00.000Z';

/**
 * An opened critical incident on `web` about its CPU, as the alerting side hands it to a notifier.
 */
export function aNotification(overrides: Partial<Notification> = {}): Notification {
  return {
    id: 'inc~web~2026-03-02T10:00:00.000Z~1',
    kind: 'incident',
    phase: 'opened',
    severity: 'critical',
    serviceId: 'web',
    incidentId: 'inc~web~2026-03-02T10:00:00.000Z',
    at: '2026-03-02T10:00:30.000Z',
    openedAt: '2026-03-02T10:00:00.000Z',
    resolvedAt: null,
    headline: 'cpu unusually high',
    metrics: [{ metric: 'cpu', severity: 'critical', explanation: 'cpu 97.0 is far above 40.0' }],
    otherMetrics: 0,
    actions: [],
    outcomes: [],
    acknowledgedBy: null,
    statusUrl: null,
    ...overrides,
  };
}

export function aService(overrides: Partial<ServiceInput> = {}): Service {
  return serviceSchema.parse({
    id: 'web',
    name: 'Web',
    ecs: { cluster: 'prod', service: 'web' },
    minTasks: 2,
    maxTasks: 10,
    targets: { cpu: 60, memory: 75 },
    ...overrides,
  });
}

export function anAnomaly(overrides: Partial<Anomaly> = {}): Anomaly {
  const base = {
    serviceId: 'web',
    metric: 'cpu',
    at: BUILT_AT,
    value: 90,
    score: 0.9,
    direction: 'up' as const,
    expected: 35,
    lower: 28,
    upper: 42,
    severity: 'critical' as const,
    explanation: 'cpu 90 is far above its usual 35',
    desiredCount: 2,
    ...overrides,
  };
  return { id: anomalyId(base.serviceId, base.metric, base.at), ...base };
}

/** The ids a decision on one anomaly gets: its anomaly's, and the decision's derived from it. */
export function decisionIds(
  serviceId: string,
  metric: string,
  at: string,
): Pick<Decision, 'id' | 'anomalyId'> {
  const anomaly = anomalyId(serviceId, metric, at);
  return { id: decisionIdFor(anomaly), anomalyId: anomaly };
}

/** An executed scale-out from 2 to 3 tasks the engine took on a cpu anomaly. */
export function aDecision(overrides: Partial<Decision> = {}): Decision {
  const serviceId = overrides.serviceId ?? 'web';
  const at = overrides.at ?? BUILT_AT;
  return {
    ...decisionIds(serviceId, 'cpu', at),
    serviceId,
    at,
    action: 'scale-out',
    fromCount: 2,
    toCount: 3,
    reason: '',
    mode: 'auto',
    status: 'executed',
    requestedBy: 'vigia:decide',
    result: null,
    ...overrides,
  };
}

/** A settled service: two tasks running on one deployment. */
export function anEcsState(overrides: Partial<EcsState> = {}): EcsState {
  return {
    desiredCount: 2,
    runningCount: 2,
    pendingCount: 0,
    taskDefinition: 'arn:aws:ecs:us-east-1:1:task-definition/web-task:7',
    deployments: 1,
    rolloutState: 'COMPLETED',
    lastDeploymentAt: null,
    ...overrides,
  };
}

/** A busy sample without an ECS snapshot (give `ecs: anEcsState()` when the test needs one). */
export function aSample(overrides: Partial<Sample> = {}): Sample {
  return {
    serviceId: 'web',
    at: BUILT_AT,
    metrics: { cpu: 90, memory: 50 },
    ecs: null,
    ...overrides,
  };
}

/** Rule-based decisions only: scaling and recovery on, AI off. */
export const ruleSwitches: GlobalSwitches = {
  autoScalingEnabled: true,
  autoRecoveryEnabled: true,
  aiDecisionsEnabled: false,
};

// Alerting scenarios run on a clock in seconds after t0, on many services at once.

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

/** Flushes every 10 simulated seconds in [from, to], collecting what was sent. */
export function flushEvery10s(
  state: AlertingState,
  from: number,
  to: number,
  c: AlertingConfig = config(),
) {
  const sent: Notification[] = [];
  let s = state;
  for (let t = from; t <= to; t += 10) {
    const r = flush(s, at(t), c);
    s = r.state;
    sent.push(...r.messages);
  }
  return { state: s, sent };
}

/** A metric of a service far above its band, `seconds` after t0. */
export function anomaly(
  serviceId: string,
  metric: string,
  seconds: number,
  severity: Severity = 'warning',
): Anomaly {
  return anAnomaly({
    serviceId,
    metric,
    at: isoAt(seconds),
    value: 95,
    score: severity === 'critical' ? 0.95 : 0.7,
    expected: 40,
    lower: 20,
    upper: 60,
    severity,
    explanation: `${metric} 95.0 is far above its usual 40.0 (band 20.0-60.0)`,
  });
}

/** The autopilot scaling a service out from 2 to 4 tasks, `seconds` after t0. */
export function decision(
  serviceId: string,
  seconds: number,
  overrides: Partial<Decision> = {},
): Decision {
  return aDecision({
    serviceId,
    at: isoAt(seconds),
    toCount: 4,
    reason: 'cpu 95% over target 70%',
    requestedBy: 'autopilot',
    ...overrides,
  });
}
