// Weekly seasonality as two time-of-day profiles, one for weekdays and one for weekends (UTC days),
// each learned only on its own days, so a Monday is expected to look like last week's weekdays, not
// like yesterday's Sunday. Used only once it demonstrably beats the single daily profile over at
// least two weeks, so a series without a weekly pattern never gets one. 48 numbers of state: the
// usual weekday/weekend split, not seven profiles (which would cost 7 × 24 numbers per series).
import { clamp, coarse, compact, ewStep } from './numeric';

const DAY_MS = 86_400_000;
const WEEK_ALPHA = 0.08;
const ERROR_ALPHA = 0.01;
/** Three weekends seen before the split can be trusted: a pattern is what repeats. */
const MIN_SPAN = 21 * DAY_MS;
const ACTIVATE_RATIO = 0.75;
const DEACTIVATE_RATIO = 0.9;

export interface WeekState {
  /** Typical value per hour bucket on weekdays (d) and at weekends (e). Absolute values, not
   *  offsets from a level: the daily slow level drifts between weekdays and weekends, and the
   *  profile must not drift with it. Its offset is measured from its own weekly mean. */
  d: number[];
  e: number[];
  /** Mean absolute error of the split profiles. */
  err: number;
  on: boolean;
}

export function initWeek(buckets: number, value: number): WeekState {
  const flat = (): number[] => new Array<number>(buckets).fill(value);
  return { d: flat(), e: flat(), err: 0, on: false };
}

function mean(xs: number[]): number {
  let sum = 0;
  for (const x of xs) sum += x;
  return xs.length > 0 ? sum / xs.length : 0;
}

/** Saturday or Sunday, UTC (1970-01-01 was a Thursday). */
export function isWeekend(timestamp: number): boolean {
  const dow = (Math.floor(timestamp / DAY_MS) + 4) % 7;
  return dow === 0 || dow === 6;
}

/**
 * The offset at this time, interpolated between the centres of the two nearest hour buckets: each
 * bucket learns its hour's mean, so a Monday morning ramp read off the bucket alone would sit half
 * an hour's climb away from the data at either end of the hour.
 */
export function weekOffset(state: WeekState, timestamp: number): number {
  const weekMean = (5 * mean(state.d) + 2 * mean(state.e)) / 7;
  const profile = isWeekend(timestamp) ? state.e : state.d;
  const size = profile.length;
  const pos = ((((timestamp % DAY_MS) + DAY_MS) % DAY_MS) / DAY_MS) * size - 0.5;
  const k0 = Math.floor(pos);
  const f = pos - k0;
  const at = (k: number): number => profile[(k + size) % size] ?? weekMean;
  return (1 - f) * at(k0) + f * at(k0 + 1) - weekMean;
}

/**
 * Learns one value. The residual against the bucket's own value is what gets clipped (at
 * `clipAt`), so one outlier moves a bucket little but a bucket far from the level is still learned. `best` is the error of the better of the other two models (no profile, daily
 * profile) that the split must beat.
 */
export function learnWeek(
  state: WeekState,
  timestamp: number,
  k: number,
  value: number,
  clipAt: number,
  n: number,
  span: number,
  canSee: boolean,
  best: number,
): WeekState {
  const weekend = isWeekend(timestamp);
  const profile = (weekend ? state.e : state.d).slice();
  const offset = profile[k] ?? 0;
  const residual = clamp(value - offset, -clipAt, clipAt);
  const err = ewStep(state.err, Math.abs(residual), ERROR_ALPHA, n);
  // Four digits are plenty for a typical value, and 48 of them ride every state round trip.
  profile[k] = coarse(offset + WEEK_ALPHA * residual, 4);
  const ratio = state.on ? DEACTIVATE_RATIO : ACTIVATE_RATIO;
  const on = canSee && span >= MIN_SPAN && err < ratio * best;
  return {
    d: weekend ? state.d : profile,
    e: weekend ? profile : state.e,
    err: compact(err),
    on,
  };
}
