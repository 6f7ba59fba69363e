import { describe, expect, it } from 'vitest';
import { healthReport } from '../../../src/use-cases/health-report';
import { acknowledgeIncident, applyAnomaly, emptyAlertingState } from '../../../src/alerting';
import { overallState, serviceStatus, statusIncidents } from '../../../src/use-cases/status-report';
import {
  anomaly as alertAnomaly,
  aService,
  anAnomaly,
  at,
  config,
  isoAt,
} from '../../support/builders';
import { healthyFunctions } from '../../support/heartbeats';

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
      functions: healthyFunctions(now),
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
        functions: healthyFunctions(now),
        recentDecisions: [],
        openAnomalies: 0,
        switches: {},
      }).status,
    ).toBe('DEGRADED');
    expect(
      healthReport({
        now,
        heartbeat: beat(30, 2),
        functions: healthyFunctions(now),
        recentDecisions: [],
        openAnomalies: 0,
        switches: {},
      }).status,
    ).toBe('DEGRADED');
    expect(
      healthReport({
        now,
        heartbeat: null,
        functions: healthyFunctions(now),
        recentDecisions: [],
        openAnomalies: 0,
        switches: {},
      }).status,
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
      functions: healthyFunctions(now),
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

  it('lists the incidents people were alerted about, acknowledged or not, worst first', () => {
    // Prepare: a warning incident on web (acknowledged), a critical one on api, both built by the
    // alerting module itself; web's anomalies are older than the status window by now.
    const cfg = config();
    let state = applyAnomaly(
      emptyAlertingState(),
      alertAnomaly('web', 'latency_p95', 0),
      at(0),
      cfg,
    );
    state = applyAnomaly(state, alertAnomaly('api', 'cpu', 10, 'critical'), at(10), cfg);
    const webIncident = state.incidents.find((i) => i.serviceId === 'web')!;
    state = acknowledgeIncident(state, webIncident.id, { by: 'ana', comment: '' }, at(20));
    const web = serviceStatus(aService(), sample(2), [], state.incidents);
    const api = serviceStatus(aService({ id: 'api', name: 'API' }), sample(2), [], state.incidents);
    // Act
    const incidents = statusIncidents([web, api], state.incidents);
    // Assess
    expect(web.state).toBe('degraded');
    expect(incidents.map((i) => [i.serviceId, i.severity, i.acknowledged])).toEqual([
      ['api', 'critical', false],
      ['web', 'warning', true],
    ]);
    expect(incidents[0]).toMatchObject({
      id: expect.stringMatching(/^inc~api~/),
      since: isoAt(10),
    });
    expect(incidents[0]!.summary).toMatch(/cpu/);
  });

  it('still explains a degraded service whose anomalies no incident holds yet', () => {
    const web = serviceStatus(aService(), sample(2), [anAnomaly()]);
    const down = serviceStatus(aService({ id: 'api' }), sample(0), []);

    expect(statusIncidents([web, down], [])).toMatchObject([
      {
        id: null,
        serviceId: 'web',
        severity: anAnomaly().severity,
        summary: anAnomaly().explanation,
      },
      { id: null, serviceId: 'api', state: 'outage', summary: 'no task is running' },
    ]);
  });

  it('rolls the worst service up to the overall state', () => {
    const ok = serviceStatus(aService(), sample(2), []);
    const down = serviceStatus(aService({ id: 'api' }), sample(0), []);

    expect(overallState([ok, down])).toBe('outage');
    expect(overallState([ok])).toBe('operational');
  });
});
