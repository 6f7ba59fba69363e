// The load forecast pre-scaling sizes ahead for (SPEC D5, issue 18): a seasonal baseline learned
// from history — time of day, and time of week once two weeks have shown one — plus the current
// deviation from it, carried forward with the persistence the series has shown, and the deviation's
// damped trend, so a steady rise is met ahead rather than a step behind. Its band is the error the
// forecast actually made at the same horizon, so it is wide where the load surprises and narrow
// where the forecast has been right. Constant time and memory per series: about 600 bytes of JSON
// (the profiles are 12-bit codes, load-forecast-profile.ts), within issue 12's 4 KB with the
// detector's own state.
import {
  DAY_BUCKET_MS,
  DAY_MS,
  initProfile,
  isProfile,
  learnProfile,
  profileAt,
  type Profile,
  WEEK_BUCKET_MS,
  WEEK_MS,
} from './load-forecast-profile';
import { coarse } from './numeric';

/** Steps ahead whose error is measured directly; further steps grow from it like a random walk. */
export const MEASURED_HORIZON = 6;
/**
 * Memory of the error averages, so the band follows the last misses: a miss widens it within
 * minutes (ERROR_RISE_ALPHA), and it narrows again over about two hours of right forecasts
 * (ERROR_FALL_ALPHA), so one calm spell between bursts does not drop the headroom.
 */
const ERROR_RISE_ALPHA = 0.02;
const ERROR_FALL_ALPHA = 0.02;
/** The baselines are compared over about a week: a weekly pattern shows only over a whole week. */
const SELECT_ALPHA = 0.0001;
/** Persistence of the deviation from the baseline is learned over about a day of points. */
const PERSISTENCE_ALPHA = 0.001;
/** The deviation carried forward is smoothed a little: one noisy minute is not a new level. */
const DEVIATION_ALPHA = 0.5;
/**
 * The deviation's trend (damped Holt, error-correction form): each one-step error moves it by
 * DEVIATION_ALPHA × TREND_BETA of the error, and it fades by TREND_DAMPING a step ahead, so a
 * rise is carried at most about nine steps forward and one noisy minute moves it little.
 */
const TREND_BETA = 0.2;
const TREND_DAMPING = 0.9;
/**
 * The level is slow (hours): a profile earns its use by explaining what a constant does not; the
 * short-term deviation from either is the persistence term's job.
 */
const LEVEL_ALPHA = 0.003;
/** A weekly profile is trusted after two weeks, a daily one after two days. */
const WEEKLY_SPAN = 2 * WEEK_MS;
const DAILY_SPAN = 2 * DAY_MS;
/** A profile must beat the next simpler baseline's error by this much to be used. */
const BETTER_BY = 0.9;
/** No forecast before this much history. */
const WARM_UP_MS = 3_600_000;
/** mean absolute error × this ≈ standard deviation for normal errors. */
const MAE_TO_SIGMA = 1.25;

export interface LoadForecastState {
  /** Last timestamp learned from (ms) and the series' interval. */
  t: number | null;
  dt: number;
  /** First timestamp: how much history the profiles have seen. */
  t0: number | null;
  /** Slow level: the baseline before any profile is trusted. */
  lv: number;
  /** Time-of-day and time-of-week profiles (absolute values). */
  d: Profile;
  w: Profile;
  /** Mean absolute error of the level, daily and weekly baselines alone: which one to use. */
  el: number;
  ed: number;
  ew: number;
  /** Smoothed deviation from the baseline in use, and its lag-one persistence (sums for phi). */
  r: number;
  /** Trend of the deviation per step (damped). */
  b: number;
  sxy: number;
  sxx: number;
  /** Forecasts made at the last points for MEASURED_HORIZON steps ahead, oldest first. */
  pf: number[];
  /** Mean absolute error one step ahead and MEASURED_HORIZON steps ahead (signed: under-forecast). */
  e1: number;
  eh: number;
}

export interface LoadForecastPoint {
  timestamp: number;
  value: number;
  upper: number;
}

export function initLoadForecast(): LoadForecastState {
  return {
    t: null,
    dt: 0,
    t0: null,
    lv: 0,
    d: initProfile(DAY_MS, DAY_BUCKET_MS),
    w: initProfile(WEEK_MS, WEEK_BUCKET_MS),
    el: 0,
    ed: 0,
    ew: 0,
    r: 0,
    b: 0,
    sxy: 0,
    sxx: 0,
    pf: [],
    e1: 0,
    eh: 0,
  };
}

export type LoadBaseline = 'weekly' | 'daily' | 'level';

/** Which baseline the forecast stands on: the seasonal profile that has earned it, or the level. */
export function loadBaselineKind(s: LoadForecastState): LoadBaseline {
  const span = s.t !== null && s.t0 !== null ? s.t - s.t0 : 0;
  if (span >= WEEKLY_SPAN && s.ew < BETTER_BY * Math.min(s.ed, s.el)) return 'weekly';
  if (span >= DAILY_SPAN && s.ed < BETTER_BY * s.el) return 'daily';
  return 'level';
}

function baseline(s: LoadForecastState, timestamp: number): number {
  const kind = loadBaselineKind(s);
  if (kind === 'weekly') return profileAt(s.w, WEEK_MS, timestamp);
  if (kind === 'daily') return profileAt(s.d, DAY_MS, timestamp);
  return s.lv;
}

function persistence(s: LoadForecastState): number {
  return s.sxx > 0 ? Math.min(1, Math.max(0, s.sxy / s.sxx)) : 0.9;
}

/** Sum of TREND_DAMPING^i for i = 1..k: how far a trend carries `k` steps ahead. */
function trendReach(k: number): number {
  return (TREND_DAMPING * (1 - TREND_DAMPING ** k)) / (1 - TREND_DAMPING);
}

/** The expected value `k` steps after the last point. */
function expectedAhead(s: LoadForecastState, k: number): number {
  const timestamp = (s.t ?? 0) + k * s.dt;
  return Math.max(0, baseline(s, timestamp) + s.r * persistence(s) ** k + s.b * trendReach(k));
}

/**
 * Whether a saved state is one this code reads. States saved before the profiles were coded (or
 * before the trend) are not: the forecast starts afresh from the next point, and gives none until
 * it has learned an hour again.
 */
export function isLoadForecastState(s: unknown): s is LoadForecastState {
  const q = s as Partial<LoadForecastState> | null | undefined;
  return (
    typeof q === 'object' &&
    q !== null &&
    typeof q.b === 'number' &&
    Array.isArray(q.pf) &&
    isProfile(q.d, DAY_MS, DAY_BUCKET_MS) &&
    isProfile(q.w, WEEK_MS, WEEK_BUCKET_MS)
  );
}

/** Learns one point; gaps and points out of order are skipped. */
export function learnLoad(state: LoadForecastState, timestamp: number, value: number | null) {
  if (value === null || !Number.isFinite(value) || !Number.isFinite(timestamp)) return state;
  if (state.t === null || !isLoadForecastState(state)) {
    return {
      ...initLoadForecast(),
      t: timestamp,
      t0: timestamp,
      lv: value,
      d: initProfile(DAY_MS, DAY_BUCKET_MS, value),
      w: initProfile(WEEK_MS, WEEK_BUCKET_MS, value),
    };
  }
  if (timestamp <= state.t) return state;
  const s: LoadForecastState = { ...state, pf: [...state.pf] };
  const gap = timestamp - state.t;
  s.dt = state.dt > 0 ? state.dt + 0.1 * (Math.min(gap, 10 * state.dt) - state.dt) : gap;
  // Errors of what was forecast for this point before learning from it.
  const ew = (e: number, x: number) => e + (x > e ? ERROR_RISE_ALPHA : ERROR_FALL_ALPHA) * (x - e);
  const one = value - expectedAhead(state, Math.max(1, Math.round(gap / s.dt)));
  s.e1 = ew(state.e1, Math.abs(one));
  if (s.pf.length >= MEASURED_HORIZON) s.eh = ew(state.eh, Math.abs(value - s.pf.shift()!));
  const slow = (e: number, x: number) => e + SELECT_ALPHA * (x - e);
  s.el = slow(state.el, Math.abs(value - state.lv));
  s.ed = slow(state.ed, Math.abs(value - profileAt(state.d, DAY_MS, timestamp)));
  s.ew = slow(state.ew, Math.abs(value - profileAt(state.w, WEEK_MS, timestamp)));
  // The profiles and the level learn the value; the deviation from the baseline in use persists.
  s.lv = state.lv + LEVEL_ALPHA * (value - state.lv);
  s.d = learnProfile(state.d, DAY_MS, timestamp, value);
  s.w = learnProfile(state.w, WEEK_MS, timestamp, value);
  s.t = timestamp;
  const deviation = value - baseline(s, timestamp);
  const previous = state.r;
  s.sxy = state.sxy + PERSISTENCE_ALPHA * (deviation * previous - state.sxy);
  s.sxx = state.sxx + PERSISTENCE_ALPHA * (previous * previous - state.sxx);
  // What the last point's deviation and trend said of this one, corrected by its error.
  const predicted = previous * persistence(state) + state.b * TREND_DAMPING;
  const error = deviation - predicted;
  s.r = predicted + DEVIATION_ALPHA * error;
  s.b = state.b * TREND_DAMPING + DEVIATION_ALPHA * TREND_BETA * error;
  s.pf.push(expectedAhead(s, MEASURED_HORIZON));
  return s;
}

/** Typical error `k` steps ahead: measured at 1 and MEASURED_HORIZON, interpolated, then √-grown. */
export function errorAhead(state: LoadForecastState, k: number): number {
  const far = state.eh > 0 ? state.eh : state.e1 * Math.sqrt(MEASURED_HORIZON);
  if (k <= 1) return state.e1;
  if (k <= MEASURED_HORIZON)
    return state.e1 + ((far - state.e1) * (k - 1)) / (MEASURED_HORIZON - 1);
  return far * Math.sqrt(k / MEASURED_HORIZON);
}

/**
 * The points of the next `steps` intervals after the last one learned, each with the upper edge
 * of a one-sided band `z` errors wide. Empty for the first hour, while the level itself is still
 * being found.
 */
export function loadForecast(
  state: LoadForecastState,
  steps: number,
  z: number,
): LoadForecastPoint[] {
  if (!isLoadForecastState(state)) return [];
  if (state.t === null || state.t0 === null || state.dt <= 0) return [];
  if (state.t - state.t0 < WARM_UP_MS) return [];
  const out: LoadForecastPoint[] = [];
  for (let k = 1; k <= steps; k++) {
    const value = expectedAhead(state, k);
    out.push({
      timestamp: state.t + k * state.dt,
      value,
      upper: value + z * MAE_TO_SIGMA * errorAhead(state, k),
    });
  }
  return out;
}

/**
 * Five significant digits for the numbers (the profiles are coded already): the state is saved
 * with every model write. Timestamps and the interval stay exact.
 */
export function compactLoad(state: LoadForecastState): LoadForecastState {
  const five = (x: number) => coarse(x, 5);
  return {
    ...state,
    lv: five(state.lv),
    el: five(state.el),
    ed: five(state.ed),
    ew: five(state.ew),
    r: five(state.r),
    b: five(state.b),
    sxy: five(state.sxy),
    sxx: five(state.sxx),
    pf: state.pf.map(five),
    e1: five(state.e1),
    eh: five(state.eh),
  };
}
