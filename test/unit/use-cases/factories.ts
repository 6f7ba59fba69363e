// Shared event factories for use-case tests.
import { anomalyId, serviceSchema, type Anomaly, type Service } from '../../../src/model';

export function aService(overrides: Partial<Service> = {}): Service {
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
    at: '2026-11-22T10:00:00.000Z',
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
