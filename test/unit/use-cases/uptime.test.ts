// Uptime on the status page: partial days, incidents across midnight, services watched only a few
// days, and the load chart's downsampling.
import { describe, expect, it } from 'vitest';
import { applyAnomaly, emptyAlertingState } from '../../../src/alerting';
import { pastIncident } from '../../../src/use-cases/incident-timeline';
import { serviceHistory } from '../../../src/use-cases/status-report';
import { downsample, serviceUptime, type DowntimeSpan } from '../../../src/use-cases/uptime';
import { anomaly, at, config } from '../../support/builders';

const now = new Date('2026-03-10T12:00:00Z');
const longAgo = new Date('2025-01-01T00:00:00Z');
const outage = (start: string, end: string | null): DowntimeSpan => ({
  start,
  end,
  level: 'outage',
});
const degraded = (start: string, end: string | null): DowntimeSpan => ({
  start,
  end,
  level: 'degraded',
});

describe('uptime', () => {
  it('counts today only up to now, and a short outage shows on its day', () => {
    const u = serviceUptime([outage('2026-03-10T11:00:00Z', '2026-03-10T11:30:00Z')], longAgo, now);

    expect(u.days).toHaveLength(90);
    expect(u.days.at(-1)).toEqual({
      date: '2026-03-10',
      state: 'outage',
      observedMinutes: 720,
      degradedMinutes: 0,
      outageMinutes: 30,
    });
    expect(u.days.at(-2)).toMatchObject({ date: '2026-03-09', state: 'operational' });
    expect(u.days[0]!.date).toBe('2025-12-11');
    // 30 minutes down in the last 24 hours.
    expect(u.uptime['24h']).toBe(97.917);
    expect(u.uptime['7d']).toBe(99.702);
    expect(u.uptime['90d']).toBe(99.977);
  });

  it('splits an open incident that began before midnight between the two days', () => {
    const justAfterMidnight = new Date('2026-03-10T00:45:00Z');
    const u = serviceUptime([outage('2026-03-09T23:30:00Z', null)], longAgo, justAfterMidnight);

    expect(u.days.at(-2)).toMatchObject({
      date: '2026-03-09',
      state: 'outage',
      observedMinutes: 1440,
      outageMinutes: 30,
    });
    expect(u.days.at(-1)).toMatchObject({
      date: '2026-03-10',
      state: 'outage',
      observedMinutes: 45,
      outageMinutes: 45,
    });
    expect(u.uptime['24h']).toBe(94.792); // 75 of 1440 minutes down
  });

  it('shows a service watched for 3 days as 3 days, not 87 days of 100%', () => {
    const registered = new Date('2026-03-07T12:00:00Z');
    const u = serviceUptime(
      [outage('2026-03-08T10:00:00Z', '2026-03-08T11:00:00Z')],
      registered,
      now,
    );

    const watched = u.days.filter((d) => d.state !== 'no-data');
    expect(watched.map((d) => d.date)).toEqual([
      '2026-03-07',
      '2026-03-08',
      '2026-03-09',
      '2026-03-10',
    ]);
    expect(u.days.filter((d) => d.state === 'no-data')).toHaveLength(86);
    expect(watched[0]!.observedMinutes).toBe(720);
    // One hour down in three days watched, whatever the window.
    expect(u.uptime['7d']).toBe(98.611);
    expect(u.uptime['90d']).toBe(98.611);
    expect(u.trackedSince).toBe('2026-03-07T12:00:00.000Z');
  });

  it('counts degraded time as up, shows it on the bar, and lets an outage hide it', () => {
    const u = serviceUptime(
      [
        degraded('2026-03-10T08:00:00Z', '2026-03-10T10:00:00Z'),
        outage('2026-03-10T09:00:00Z', '2026-03-10T09:15:00Z'),
        degraded('2026-03-09T08:00:00Z', '2026-03-09T09:00:00Z'),
      ],
      longAgo,
      now,
    );

    expect(u.days.at(-1)).toMatchObject({ degradedMinutes: 105, outageMinutes: 15 });
    expect(u.days.at(-2)).toMatchObject({
      state: 'degraded',
      degradedMinutes: 60,
      outageMinutes: 0,
    });
    expect(u.uptime['24h']).toBe(98.958);
  });

  it('has no uptime and no bars for a service vigia never saw', () => {
    const u = serviceUptime([], null, now);

    expect(u.uptime).toEqual({ '24h': null, '7d': null, '90d': null });
    expect(u.days.every((d) => d.state === 'no-data')).toBe(true);
  });
});

describe('service history', () => {
  it('counts an open critical incident as an outage until now', () => {
    const state = applyAnomaly(
      emptyAlertingState(),
      anomaly('web', 'cpu', 0, 'critical'),
      at(0),
      config(),
    );
    const open = state.incidents;
    const later = at(1800);

    const h = serviceHistory({
      past: [],
      open,
      trackedSince: at(-86_400),
      loadPoints: [],
      now: later,
    });

    expect(h.days.at(-1)!.outageMinutes).toBe(30);
    expect(h.uptime['24h']).toBe(97.917);
    expect(pastIncident(open[0]!).timeline.map((e) => e.kind)).toEqual(['opened']);
  });
});

describe('load chart', () => {
  it('averages the samples into equal slices and leaves empty slices out', () => {
    const from = new Date('2026-03-10T09:00:00Z');
    const points = [
      { at: '2026-03-10T09:00:00Z', value: 10 },
      { at: '2026-03-10T09:01:00Z', value: 20 },
      { at: '2026-03-10T11:59:00Z', value: 90 },
      { at: '2026-03-10T08:59:00Z', value: 999 },
    ];

    expect(downsample(points, from, now, 36)).toEqual([
      { at: '2026-03-10T09:00:00.000Z', value: 15 },
      { at: '2026-03-10T11:55:00.000Z', value: 90 },
    ]);
  });
});
