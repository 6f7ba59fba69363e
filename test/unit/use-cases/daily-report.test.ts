// The daily report: which day a run reports on, what counts as that day's incidents and actions,
// and how it reads as a notification.
import { describe, expect, it } from 'vitest';
import {
  dailyReport,
  dailyReportNotification,
  estimatedDailyCost,
  reportDay,
} from '../../../src/use-cases/daily-report';
import type { PastIncident } from '../../../src/use-cases/incident-timeline';
import { aDecision } from '../../support/builders';

const past = (openedAt: string, resolvedAt: string, summary = 'CPU high'): PastIncident => ({
  id: `inc~web~${openedAt}`,
  serviceId: 'web',
  severity: 'warning',
  level: 'degraded',
  openedAt,
  resolvedAt,
  summary,
  timeline: [],
});

describe('daily report', () => {
  it('reports on the UTC day before the run, whatever the hour', () => {
    expect(reportDay(new Date('2026-03-03T00:00:01Z')).day).toBe('2026-03-02');
    expect(reportDay(new Date('2026-03-03T23:59:59Z'))).toEqual({
      day: '2026-03-02',
      from: new Date('2026-03-02T00:00:00Z'),
      to: new Date('2026-03-03T00:00:00Z'),
    });
  });

  it('counts the day’s incidents and executed actions, not the day before’s', () => {
    const r = dailyReport({
      day: reportDay(new Date('2026-03-03T06:00:00Z')),
      services: 3,
      series: 6,
      decisions: [
        aDecision({ at: '2026-03-02T10:01:00.000Z' }),
        aDecision({ at: '2026-03-02T11:01:00.000Z', action: 'restart', status: 'failed' }),
      ],
      past: [
        past('2026-03-02T10:00:00.000Z', '2026-03-02T10:30:00.000Z'),
        // Opened the day before, resolved this day: resolved counts, opened does not.
        past('2026-03-01T23:50:00.000Z', '2026-03-02T00:20:00.000Z'),
        past('2026-03-01T08:00:00.000Z', '2026-03-01T09:00:00.000Z', 'old'),
      ],
      open: [],
      learning: { accuracy: 0.75 },
    });

    expect(r.incidents).toMatchObject({ opened: 1, resolved: 2, stillOpen: 0 });
    expect(r.incidents.meanMinutesToResolve).toBe(30);
    expect(r.actions).toEqual({ 'scale-out': 1 });
    expect(r.recovery).toMatchObject({ totalRecoveries: 2, succeeded: 1, failed: 1 });
    expect(r.topProblems[0]).toEqual({ problem: 'CPU high', count: 2 });
    expect(r.estimatedCostUsd.total).toBeGreaterThan(0);

    const n = dailyReportNotification(r);
    expect(n.id).toBe('daily-report~2026-03-02');
    expect(n.headline).toBe(
      'Daily report 2026-03-02: 1 incident opened, 2 resolved, 2 recovery actions',
    );
    expect(n.actions).toContain('Recoveries that worked: 50%; accuracy so far: 75%');
  });

  it('estimates more cost for a bigger fleet', () => {
    expect(estimatedDailyCost(10, 40).total).toBeGreaterThan(estimatedDailyCost(1, 2).total);
  });
});
