import { describe, expect, it } from 'vitest';
import {
  errorAhead,
  loadBaselineKind,
  loadForecast,
  type LoadForecastState,
} from '../../../src/detection';
import { loadDetector } from '../../../src/detection';
import { initLoadForecast, learnLoad } from '../../../src/detection/load-forecast';
import { seededRandom, standardNormal } from '../../../src/decision/seeded-random';

const MINUTE = 60_000;
/** 2026-01-05 is a Monday. */
const MONDAY = Date.UTC(2026, 0, 5);

/** Weekdays: 900 req/s from 10:00 to 12:00 (a sharp step), 100 otherwise; weekends 100 all day. */
function officeLoad(t: number): number {
  const day = new Date(t).getUTCDay();
  const hour = new Date(t).getUTCHours();
  const weekend = day === 0 || day === 6;
  return !weekend && hour >= 10 && hour < 12 ? 900 : 100;
}

function learn(
  from: number,
  minutes: number,
  load: (t: number) => number,
  noise = 5,
  state: LoadForecastState = initLoadForecast(),
): LoadForecastState {
  const random = seededRandom(11);
  let s = state;
  for (let m = 0; m < minutes; m++) {
    const t = from + m * MINUTE;
    s = learnLoad(s, t, load(t) + noise * standardNormal(random));
  }
  return s;
}

describe('load forecast', () => {
  it('learns a weekly pattern: forecasts a weekday step before it happens, and no step at the weekend', () => {
    // Three weeks of history ending Monday 09:55 and Saturday 09:55 of the fourth week.
    const untilMonday = learn(MONDAY, 21 * 1440 + 9 * 60 + 55, officeLoad);
    const untilSaturday = learn(MONDAY, 26 * 1440 + 9 * 60 + 55, officeLoad);

    const monday = loadForecast(untilMonday, 10, 1.28);
    const saturday = loadForecast(untilSaturday, 10, 1.28);

    expect(loadBaselineKind(untilMonday)).toBe('weekly');
    // 10:05 on Monday: the step is expected, though the last datapoint (09:54) was at 100.
    expect(monday[9]!.value).toBeGreaterThan(700);
    expect(monday[0]!.value).toBeLessThan(200);
    // 10:05 on Saturday: a daily profile would expect the weekday step; the weekly one does not.
    expect(saturday[9]!.value).toBeLessThan(200);
  });

  it('gives an upper band above the forecast, wider further ahead and on a noisier series', () => {
    const flat = () => 400;
    const calm = learn(MONDAY, 3 * 1440, flat, 5);
    const noisy = learn(MONDAY, 3 * 1440, flat, 60);

    const [calm1, , , , , , , , , calm10] = loadForecast(calm, 10, 1.28);
    const [noisy1] = loadForecast(noisy, 10, 1.28);

    expect(calm1!.value).toBeCloseTo(400, -1);
    expect(calm1!.upper).toBeGreaterThan(calm1!.value);
    expect(calm10!.upper - calm10!.value).toBeGreaterThan(calm1!.upper - calm1!.value);
    expect(noisy1!.upper - noisy1!.value).toBeGreaterThan(5 * (calm1!.upper - calm1!.value));
  });

  it('widens its buffer after misses and narrows it again once the forecast has been right', () => {
    const settled = learn(MONDAY, 1440, () => 400, 5);
    const before = errorAhead(settled, 4);
    // An hour of load jumping between 200 and 800: the forecast keeps missing.
    const t1 = MONDAY + 1440 * MINUTE;
    const missed = learn(t1, 60, (t) => (((t - t1) / MINUTE) % 10 < 5 ? 200 : 800), 5, settled);
    const after = errorAhead(missed, 4);
    // Then six calm hours.
    const t2 = t1 + 60 * MINUTE;
    const calmAgain = learn(t2, 360, () => 400, 5, missed);

    expect(after).toBeGreaterThan(5 * before);
    expect(errorAhead(calmAgain, 4)).toBeLessThan(after / 5);
  });

  it('gives no forecast during its first hour, then one at the series interval', () => {
    expect(
      loadForecast(
        learn(MONDAY, 30, () => 100),
        5,
        1.28,
      ),
    ).toEqual([]);
    const warm = learn(MONDAY, 90, () => 100);
    const points = loadForecast(warm, 5, 1.28);
    expect(points.map((p) => p.timestamp - warm.t!)).toEqual(
      [1, 2, 3, 4, 5].map((k) => k * MINUTE),
    );
  });

  it('ignores gaps, repeated and out-of-order points', () => {
    const s = learn(MONDAY, 120, () => 100);
    expect(learnLoad(s, s.t!, 999)).toBe(s);
    expect(learnLoad(s, s.t! - MINUTE, 999)).toBe(s);
    expect(learnLoad(s, s.t! + MINUTE, null)).toBe(s);
  });

  it('learns the trend of a steady rise, so the forecast meets a ramp ahead instead of a step behind', () => {
    // An hour at 200 req/s, then a rise of 10 req/s every minute for 40 minutes.
    const start = MONDAY + 8 * 60 * MINUTE;
    const ramp = (t: number) => 200 + Math.max(0, (t - start) / MINUTE - 60) * 10;
    const s = learn(start, 100, ramp, 2);
    const last = ramp(s.t!);

    const ahead = loadForecast(s, 4, 1.28);

    // Four minutes on, the load is 40 above the last point. Without a trend the forecast stayed
    // under the last point (the smoothed deviation lags it, and was carried back towards the level).
    expect(ahead[3]!.value).toBeGreaterThan(last + 12);
    expect(ahead[3]!.value).toBeLessThan(last + 50);
    for (let k = 1; k < 4; k++) expect(ahead[k]!.value).toBeGreaterThan(ahead[k - 1]!.value);
    // On flat load the trend stays out of the way.
    const flat = learn(start, 100, () => 400, 5);
    expect(Math.abs(loadForecast(flat, 4, 1.28)[3]!.value - 400)).toBeLessThan(15);
  });

  it('keeps the load detector state collect saves within 4 KB of JSON (issue 12), forecast included', () => {
    // Eight days of a daily cycle with noise, as bench/models-item-size.ts feeds it.
    let state = loadDetector.init();
    const random = seededRandom(3);
    for (let m = 0; m < 8 * 1440; m++) {
      const v = 300 * (1 + 0.3 * Math.sin((2 * Math.PI * m) / 1440)) + 15 * standardNormal(random);
      state = loadDetector.update(state, { timestamp: MONDAY + m * MINUTE, value: v }).state;
    }
    const saved = { lastTimestamp: MONDAY + (8 * 1440 - 1) * MINUTE, detector: state };

    expect(JSON.stringify(saved).length).toBeLessThanOrEqual(4096);
    expect(JSON.stringify(state.lf).length).toBeLessThan(800);
    expect(loadForecast(state.lf!, 3, 1.28)).toHaveLength(3);
  });

  it('starts afresh from a state saved in the former format instead of failing on it', () => {
    const s = learn(MONDAY, 120, () => 100);
    // Before the profiles were coded: arrays of numbers, no trend.
    const former = { ...s, d: { v: [100, 100] }, w: { v: [100] }, b: undefined } as unknown;

    expect(loadForecast(former as LoadForecastState, 3, 1.28)).toEqual([]);
    const next = learnLoad(former as LoadForecastState, s.t! + MINUTE, 120);
    expect(next.t0).toBe(s.t! + MINUTE);
    expect(
      loadForecast(
        learn(s.t! + 2 * MINUTE, 90, () => 120, 5, next),
        2,
        1.28,
      ),
    ).toHaveLength(2);
  });
});
