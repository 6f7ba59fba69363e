import { describe, expect, it } from 'vitest';
import { healthReport } from '../../../src/use-cases/health-report';
import { overallState, serviceStatus } from '../../../src/use-cases/status-report';
import { aService, anAnomaly } from './factories';

const now = new Date('2026-11-22T10:00:00Z');
const beat = (agoSeconds: number, failures = 0) => ({
  ranAt: new Date(now.getTime() - agoSeconds * 1000).toISOString(),
  tickAt: now.toISOString(),
  services: 3,
  series: 6,
  anomalies: 0,
  failures,
  durationMs: 120,
});

describe('health', () => {
  it('is OK when the collector ran within the last minutes', () => {
    const report = healthReport({
      now,
      heartbeat: beat(50),
      recentDecisions: [],
      openAnomalies: 0,
      switches: {},
    });

    expect(report.status).toBe('OK');
    expect(report.systems.collector).toMatchObject({ status: 'OK', ageSeconds: 50 });
  });

  it('is degraded when the collector is late or failing, and down when it never ran', () => {
    expect(
      healthReport({
        now,
        heartbeat: beat(400),
        recentDecisions: [],
        openAnomalies: 0,
        switches: {},
      }).status,
    ).toBe('DEGRADED');
    expect(
      healthReport({
        now,
        heartbeat: beat(30, 2),
        recentDecisions: [],
        openAnomalies: 0,
        switches: {},
      }).status,
    ).toBe('DEGRADED');
    expect(
      healthReport({ now, heartbeat: null, recentDecisions: [], openAnomalies: 0, switches: {} })
        .status,
    ).toBe('DOWN');
  });
});

describe('health of the decision engine', () => {
  it('shows decision accuracy and recoveries from what verification learned', () => {
    const learning = {
      verified: 4,
      resolved: 3,
      notResolved: 1,
      worse: 0,
      accuracy: 0.75,
      updatedAt: now.toISOString(),
      services: {},
    };

    const report = healthReport({
      now,
      heartbeat: beat(20),
      recentDecisions: [],
      openAnomalies: 0,
      switches: {},
      learning,
    });

    expect(report.systems.decisionEngine).toMatchObject({ verified: 4, accuracy: 0.75 });
    expect(report.systems.recoveries).toMatchObject({ resolved: 3, notResolved: 1, worse: 0 });
  });
});

describe('status', () => {
  const sample = (running: number) => ({
    serviceId: 'web',
    at: now.toISOString(),
    metrics: { cpu: 40, memory: 50 },
    ecs: {
      desiredCount: 2,
      runningCount: running,
      pendingCount: 0,
      taskDefinition: 'td:1',
      deployments: 1,
      rolloutState: 'COMPLETED',
      lastDeploymentAt: null,
    },
  });

  it('shows operational, degraded with an open anomaly, and outage with no running task', () => {
    expect(serviceStatus(aService(), sample(2), []).state).toBe('operational');
    expect(serviceStatus(aService(), sample(2), [anAnomaly()]).state).toBe('degraded');
    expect(serviceStatus(aService(), sample(0), []).state).toBe('outage');
  });

  it('rolls the worst service up to the overall state', () => {
    const ok = serviceStatus(aService(), sample(2), []);
    const down = serviceStatus(aService({ id: 'api' }), sample(0), []);

    expect(overallState([ok, down])).toBe('outage');
    expect(overallState([ok])).toBe('operational');
  });
});
