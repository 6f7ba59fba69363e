// Forecast from a series' detector state (SPEC D5): level plus trend plus the hour-of-day profile,
// and the time until that forecast crosses a threshold ("memory reaches its limit in 40 min").
import { seasonalOffset } from './seasonal-profile';
import { DETECTOR_PARAMS } from './vigia-params';
import { sigmaOf, type VigiaState } from './vigia-state';

const MINUTE = 60_000;
const DEFAULT_HORIZON_MINUTES = 7 * 24 * 60;
/** Upper bound on forecast steps, so a breach search stays cheap whatever the interval. */
const MAX_STEPS = 2016;

export interface ForecastPoint {
  timestamp: number;
  value: number;
  lower: number;
  upper: number;
}

function ready(state: VigiaState): state is VigiaState & { t: number } {
  return state.t !== null && state.n >= DETECTOR_PARAMS.warmup && state.dt > 0;
}

/** The expected value at `timestamp` (after the last point), or null while warming up. */
export function forecastAt(state: VigiaState, timestamp: number): number | null {
  if (!ready(state)) return null;
  const ahead = Math.max(0, timestamp - state.t);
  const value = state.hl + state.tr * ahead + seasonalOffset(state.season, timestamp);
  return Number.isFinite(value) ? value : null;
}

/** The next `steps` points at the series' own interval, with a band that widens with the horizon. */
export function forecastSeries(state: VigiaState, steps: number): ForecastPoint[] {
  if (!ready(state)) return [];
  const sigma = sigmaOf(state);
  const out: ForecastPoint[] = [];
  for (let k = 1; k <= Math.min(steps, MAX_STEPS); k++) {
    const timestamp = state.t + k * state.dt;
    const value = forecastAt(state, timestamp);
    if (value === null) break;
    const half = 2 * sigma * Math.sqrt(1 + k / 12);
    out.push({ timestamp, value, lower: value - half, upper: value + half });
  }
  return out;
}

/**
 * Minutes until the forecast goes `side` of `threshold` (a memory limit: 'above'; free disk
 * running out: 'below'), 0 when the last value already has, null when not within the horizon or
 * while warming up.
 */
export function timeToBreach(
  state: VigiaState,
  threshold: number,
  side: 'above' | 'below' = 'above',
  horizonMinutes = DEFAULT_HORIZON_MINUTES,
): number | null {
  if (!ready(state) || !Number.isFinite(threshold)) return null;
  const rising = side === 'above';
  if (state.x !== null && (rising ? state.x >= threshold : state.x <= threshold)) return 0;
  const horizon = horizonMinutes * MINUTE;
  const step = Math.max(state.dt, horizon / MAX_STEPS);
  for (let ahead = step; ahead <= horizon; ahead += step) {
    const value = forecastAt(state, state.t + ahead);
    if (value === null) return null;
    if (rising ? value >= threshold : value <= threshold) return Math.round(ahead / MINUTE);
  }
  return null;
}
