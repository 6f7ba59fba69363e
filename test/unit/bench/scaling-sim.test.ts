import { describe, expect, it } from 'vitest';
import { metricReadiness, replicasFor } from '../../../bench/scaling/hpa-scaler';
import {
  defaultSimSettings,
  p95Latency,
  simulate,
  type Scaler,
} from '../../../bench/scaling/service-sim';
import { targetTrackingScaler } from '../../../bench/scaling/target-tracking-scaler';
import { makeScaler, scalerNames } from '../../../bench/scaling/scalers';

const fixed = (n: number): Scaler => ({ name: 'fixed', tick: () => n });

describe('the HPA reference', () => {
  it('follows desired = ceil(current × metric / target)', () => {
    expect(replicasFor(90, 60, { desired: 4, running: 4, pending: 0 }, 0.1)).toBe(6);
    expect(replicasFor(30, 60, { desired: 4, running: 4, pending: 0 }, 0.1)).toBe(2);
  });

  it('ignores ratios within the 0.1 tolerance', () => {
    expect(replicasFor(65, 60, { desired: 4, running: 4, pending: 0 }, 0.1)).toBe(4);
  });

  it('counts pods still starting as idle before scaling up again', () => {
    // 4 ready at 90% of a 60% target, 2 starting: (4×1.5)/6 = 1 → no further scale-up.
    expect(replicasFor(90, 60, { desired: 6, running: 4, pending: 2 }, 0.1)).toBe(6);
  });
});

describe('the HPA reference on pods that just became ready', () => {
  it('treats a pod whose metric window began before it was ready as not ready', () => {
    // 4 pods ready long ago, 2 ready 10 s before a window that started at t = 100, 1 starting.
    const readiness = metricReadiness(
      { desired: 7, readyAt: [-Infinity, -Infinity, 0, 50, 90, 110, 200] },
      100,
    );
    expect(readiness).toEqual({ desired: 7, running: 5, pending: 2 });
  });
});

describe('the simulated service', () => {
  it('slows down as utilisation nears 100%', () => {
    const s = defaultSimSettings;
    expect(p95Latency(0.5, 0, 4, s)).toBeLessThan(p95Latency(0.9, 0, 4, s));
    expect(p95Latency(0.5, 0, 4, s)).toBeLessThan(s.objectiveMs);
    expect(p95Latency(0.99, 0, 4, s)).toBeGreaterThan(s.objectiveMs);
  });

  it('counts task-hours and violations for a fleet too small for its load', () => {
    // 10 tasks × 50 rps = 500 rps capacity against 600 rps: every minute violates.
    const result = simulate(Array(60).fill(600), fixed(10), defaultSimSettings);
    expect(result.violationMinutes).toBe(60);
    expect(result.taskHours).toBeCloseTo(10, 0);
  });

  it('lets target tracking scale out only after three datapoints above target', () => {
    const settings = { ...defaultSimSettings };
    const rates = [...Array(10).fill(200), ...Array(20).fill(400)];
    const tt = targetTrackingScaler({
      policies: [{ metric: 'cpu', target: 70 }],
      scaleOutCooldownSeconds: 300,
      scaleInCooldownSeconds: 300,
      datapointDelayMinutes: 0,
    });
    let firstScaleOutAt: number | null = null;
    const watched: Scaler = {
      name: 'watched',
      tick(view) {
        const next = tt.tick(view);
        if (next !== undefined && firstScaleOutAt === null) firstScaleOutAt = view.t;
        return next;
      },
    };
    simulate(rates, watched, settings);
    // Load ramps up during minute 9 (rates interpolate); datapoints 9, 10, 11 breach → 12:00.
    expect(firstScaleOutAt).toBe(12 * 60);
  });

  it('lets target tracking size on the tasks that produced the datapoint', () => {
    // 10 tasks at 140 rps each; each scale-out is ceil(tasks × value ÷ target) of that minute.
    const rates = [...Array(10).fill(350), ...Array(30).fill(700)];
    const tt = targetTrackingScaler({
      policies: [{ metric: 'requestsPerTask', target: 37.5 }],
      scaleOutCooldownSeconds: 300,
      scaleInCooldownSeconds: 300,
      datapointDelayMinutes: 0,
    });
    const desired: number[] = [];
    const watched: Scaler = {
      name: 'watched',
      tick(view) {
        const next = tt.tick(view);
        if (next !== undefined) desired.push(next);
        return next;
      },
    };
    simulate(rates, watched, defaultSimSettings);
    // 700 rps ÷ 37.5 = 18.7 → 19 tasks, reached without overshooting past it.
    expect(Math.max(...desired)).toBe(19);
  });

  it('scales out sooner on pushed readings than on CloudWatch minutes', () => {
    // Load rises from 250 rps to 900 rps over minute 39: minutes until each feed asks for more.
    const rates = Array.from({ length: 60 }, (_, m) => (m >= 40 ? 900 : 250));
    const firstScaleOut = (name: 'vigia' | 'vigiaCloudWatch') => {
      const scaler = makeScaler(name, defaultSimSettings);
      let first: number | null = null;
      let last: number | null = null;
      simulate(
        rates,
        {
          name,
          tick(view) {
            const next = scaler.tick(view);
            if (next !== undefined && view.t >= 39 * 60 && first === null && next > (last ?? 0)) {
              first = view.t;
            }
            if (next !== undefined) last = next;
            return next;
          },
        },
        defaultSimSettings,
      );
      return first! / 60 - 39;
    };

    // Pushed: a 30 s window ending 15 s before a 15 s tick; CloudWatch: a minute read a minute late.
    expect(firstScaleOut('vigia')).toBeLessThanOrEqual(0.75);
    expect(firstScaleOut('vigiaCloudWatch')).toBeGreaterThanOrEqual(2);
  });

  it('runs vigia (both feeds), HPA and target tracking on the same trace', () => {
    const rates = Array.from({ length: 120 }, (_, m) => (m >= 40 && m < 70 ? 900 : 250));
    for (const name of scalerNames) {
      const result = simulate(rates, makeScaler(name, defaultSimSettings), defaultSimSettings);
      expect(result.actions).toBeGreaterThan(0);
      expect(result.taskHours).toBeGreaterThan(0);
    }
  });
});
