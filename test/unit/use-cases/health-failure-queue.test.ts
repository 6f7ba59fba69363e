// /health counts the failure queue: stream records that exhausted their retries are work nobody
// did, so a non-empty queue degrades the report until they are replayed.
import { describe, expect, it } from 'vitest';
import { healthReport } from '../../../src/use-cases/health-report';
import { healthyFunctions } from '../../support/heartbeats';

const now = new Date('2026-11-22T10:00:00Z');
const healthy = {
  now,
  heartbeat: {
    ranAt: new Date(now.getTime() - 30_000).toISOString(),
    tickAt: now.toISOString(),
    services: 3,
    series: 6,
    anomalies: 0,
    failures: 0,
    durationMs: 120,
  },
  functions: healthyFunctions(now),
  recentDecisions: [],
  openAnomalies: 0,
  switches: {},
};

describe('health and the failure queue', () => {
  it('is degraded while failure records wait, and says how many and what to run', () => {
    const report = healthReport({ ...healthy, failedRecords: 3 });

    expect(report.status).toBe('DEGRADED');
    expect(report.systems.failureQueue).toEqual({
      status: 'DEGRADED',
      pending: 3,
      reason: '3 record(s) exhausted their retries',
      action: 'npm run replay-failures',
    });
  });

  it('is OK with an empty queue', () => {
    const report = healthReport({ ...healthy, failedRecords: 0 });

    expect(report.status).toBe('OK');
    expect(report.systems.failureQueue).toEqual({ status: 'OK', pending: 0 });
  });

  it('is degraded, not down, when the queue cannot be read', () => {
    const report = healthReport({ ...healthy, failedRecords: null });

    expect(report.status).toBe('DEGRADED');
    expect(report.systems.failureQueue).toMatchObject({ status: 'DEGRADED', pending: null });
  });
});
