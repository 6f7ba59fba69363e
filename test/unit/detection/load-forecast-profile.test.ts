// The load forecast's profiles are stored as 12-bit codes (issue 12's 4 KB per series): they must
// still learn the load they are shown, at any scale, and stay small.
import { describe, expect, it } from 'vitest';
import {
  DAY_BUCKET_MS,
  DAY_MS,
  initProfile,
  isProfile,
  learnProfile,
  profileAt,
  WEEK_BUCKET_MS,
  WEEK_MS,
} from '../../../src/detection/load-forecast-profile';

const MINUTE = 60_000;

function learnDays(
  days: number,
  value: (m: number) => number,
  from = initProfile(DAY_MS, DAY_BUCKET_MS, value(0)),
) {
  let p = from;
  for (let m = 0; m < days * 1440; m++) p = learnProfile(p, DAY_MS, m * MINUTE, value(m));
  return p;
}

describe('load forecast profile', () => {
  it('learns each half hour of the day to within 1% of its load', () => {
    const load = (m: number) => 100 + 900 * Number(m % 1440 >= 600 && m % 1440 < 720);
    const p = learnDays(14, load);

    expect(profileAt(p, DAY_MS, 11 * 60 * MINUTE)).toBeCloseTo(1000, -1);
    expect(Math.abs(profileAt(p, DAY_MS, 3 * 60 * MINUTE) - 100)).toBeLessThan(1);
    expect(JSON.stringify(p).length).toBeLessThan(130);
  });

  it('learns a quiet bucket beside a busy one to its own load, not to the nearest code', () => {
    // 12-bit codes of a scale set by the busy hours are 0.4 req/s apart; a bucket at 37 must not
    // stop short by the few req/s one point's correction cannot move a code.
    const load = (m: number) => (m % 1440 < 720 ? 37 : 1200);
    const p = learnDays(14, load, initProfile(DAY_MS, DAY_BUCKET_MS, 60));

    expect(Math.abs(profileAt(p, DAY_MS, 3 * 60 * MINUTE) - 37)).toBeLessThan(0.5);
  });

  it('keeps its precision when the load falls a thousandfold and when it grows', () => {
    const falling = learnDays(21, () => 2, initProfile(DAY_MS, DAY_BUCKET_MS, 5000));
    expect(Math.abs(profileAt(falling, DAY_MS, 0) - 2)).toBeLessThan(0.05);

    const growing = learnDays(21, () => 80_000, initProfile(DAY_MS, DAY_BUCKET_MS, 3));
    expect(profileAt(growing, DAY_MS, 0) / 80_000).toBeCloseTo(1, 2);
  });

  it('has an hour per bucket over the week, and says which stored values it can read', () => {
    const week = initProfile(WEEK_MS, WEEK_BUCKET_MS, 10);

    expect(week.v).toHaveLength(2 * 168);
    expect(isProfile(week, WEEK_MS, WEEK_BUCKET_MS)).toBe(true);
    expect(isProfile(week, DAY_MS, DAY_BUCKET_MS)).toBe(false);
    expect(isProfile({ v: [1, 2, 3] }, DAY_MS, DAY_BUCKET_MS)).toBe(false);
    expect(isProfile({ s: 1, v: '!'.repeat(96) }, DAY_MS, DAY_BUCKET_MS)).toBe(false);
  });
});
