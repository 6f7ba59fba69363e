// An online time-of-day profile: one bucket per hour, each an exponentially weighted offset from a
// slow level. It is only used once it demonstrably explains the data (seasonal residuals clearly
// smaller than plain ones over at least two days), so flat or random series never get a fake cycle.
import { clamp, compact, ewStep } from './numeric';
import { initWeek, learnWeek, weekOffset, type WeekState } from './week-profile';

export const BUCKETS = 24;
const DAY_MS = 86_400_000;
const BUCKET_ALPHA = 0.08;
const SLOW_ALPHA = 0.004;
const ERROR_ALPHA = 0.01;
/** Seasonal residuals must be at most this fraction of the plain ones to switch the profile on,
 *  and rise above the second to switch it off: the gap keeps a borderline series from flapping. */
const ACTIVATE_RATIO = 0.75;
const DEACTIVATE_RATIO = 0.9;

export interface SeasonalState {
  /** Offset of each hour of the day from the slow level. */
  b: number[];
  /** Slow level the offsets are measured from. */
  s: number;
  /** Mean absolute error without (e0) and with (e1) the profile. */
  e0: number;
  e1: number;
  n: number;
  /** Milliseconds covered so far. */
  span: number;
  on: boolean;
  /** Weekday/weekend profiles (week-profile.ts); absent in states saved before they existed. */
  w?: WeekState;
}

export function initSeasonal(): SeasonalState {
  return { b: new Array<number>(BUCKETS).fill(0), s: 0, e0: 0, e1: 0, n: 0, span: 0, on: false };
}

export function bucketOf(timestamp: number): number {
  const msOfDay = ((timestamp % DAY_MS) + DAY_MS) % DAY_MS;
  return Math.floor((msOfDay / DAY_MS) * BUCKETS) % BUCKETS;
}

/** The offset at this time: weekday/weekend profile, daily profile, or 0 while neither is on. */
export function seasonalOffset(state: SeasonalState, timestamp: number): number {
  if (state.w?.on) return weekOffset(state.w, timestamp);
  return state.on ? (state.b[bucketOf(timestamp)] ?? 0) : 0;
}

/** Which model is in use (0 none, 1 daily, 2 weekly): a switch moves the offset into the level. */
export function seasonalMode(state: SeasonalState): number {
  return state.w?.on ? 2 : state.on ? 1 : 0;
}

/** Learns from one point; `clipAt` bounds how far a single (possibly anomalous) point can pull. */
export function updateSeasonal(
  state: SeasonalState,
  timestamp: number,
  value: number,
  elapsed: number,
  clipAt: number,
  interval: number,
): SeasonalState {
  const n = state.n + 1;
  const s = n === 1 ? value : ewStep(state.s, value, SLOW_ALPHA, n);
  const k = bucketOf(timestamp);
  const offset = state.b[k] ?? 0;
  const dev = clamp(value - s, -clipAt, clipAt);
  const e0 = ewStep(state.e0, Math.abs(dev), ERROR_ALPHA, n);
  const e1 = ewStep(state.e1, Math.abs(dev - offset), ERROR_ALPHA, n);
  const b = state.b.slice();
  b[k] = compact(offset + BUCKET_ALPHA * (dev - offset));
  const span = state.span + Math.min(elapsed, 6 * interval);
  // A day of hourly buckets needs sub-hourly data to mean anything.
  const canSee = interval > 0 && interval <= DAY_MS / BUCKETS;
  const ratio = state.on ? DEACTIVATE_RATIO : ACTIVATE_RATIO;
  const on = canSee && span >= 2 * DAY_MS && e1 < ratio * e0;
  const w = learnWeek(
    state.w ?? initWeek(BUCKETS, value),
    timestamp,
    k,
    value,
    clipAt,
    n,
    span,
    canSee,
    Math.min(e0, e1),
  );
  return { b, s: compact(s), e0: compact(e0), e1: compact(e1), n, span, on, w };
}
