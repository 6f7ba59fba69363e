// How one point reads against the detector's baseline, before anything is learned from it: the
// residual and z-score (against a band widened after a silence), the rate of change, the flat run,
// the CUSUM level shift, and the surprise all of them fuse into, discounted when that hour of the
// day usually reaches as much.
import { cusumEvidence, updateCusum, type CusumState } from './change-point';
import type { SignalParts } from './explain';
import { initHourlyReach, usualReach, type HourlyReachState } from './hourly-reach';
import { clamp, ewStep, finiteOr } from './numeric';
import type { DetectorParams } from './vigia-params';
import { MAD_TO_SIGMA, expectedAt, sigmaOf, type VigiaState } from './vigia-state';

/** A state that has accepted at least one point, so there is a last time and value to compare. */
export type SeenState = VigiaState & { t: number; x: number };

export function hasSeenPoints(state: VigiaState): state is SeenState {
  return !(state.n === 0 || state.t === null || state.x === null);
}

export interface PointReading {
  x: number;
  t: number;
  /** Since the last accepted point, and the typical interval once this one is counted (ms). */
  elapsed: number;
  dt: number;
  expected: number;
  /** The baseline's sigma, and the one the point is judged against (wider after a silence). */
  sigma0: number;
  sigma: number;
  /** Residual against the expected value, its z-score, and the step from the last value. */
  r: number;
  z: number;
  diff: number;
  rocZ: number;
  isFlat: boolean;
  flat: number;
  /** A flat run only means something for a series that usually moves. */
  movesNormally: boolean;
}

export function readPoint(state: SeenState, x: number, t: number): PointReading {
  const elapsed = t - state.t;
  const dt =
    state.n < 2
      ? elapsed
      : ewStep(state.dt, clamp(elapsed, state.dt / 4, state.dt * 4), 0.05, state.n);
  const gapRatio = state.dt > 0 ? elapsed / state.dt : 1;
  const expected = expectedAt(state, t);
  const sigma0 = sigmaOf(state);
  // After a long silence the baseline is stale: widen the band rather than cry wolf.
  const sigma = gapRatio > 3 ? sigma0 * Math.min(10, Math.sqrt(gapRatio)) : sigma0;
  const r = finiteOr(x - expected, 0);
  const z = clamp(finiteOr(r / sigma, 0), -50, 50);
  const diff = finiteOr(x - state.x, 0);
  const rocZ = clamp(
    finiteOr(Math.abs(diff) / Math.max(state.ds * MAD_TO_SIGMA, sigma * 0.1), 0),
    0,
    50,
  );
  const isFlat = Math.abs(diff) <= Math.abs(x) * 1e-12;
  const flat = isFlat ? state.flat + 1 : 0;
  const movesNormally = state.ds > sigma * 0.05 && state.sc > 0;
  return {
    x,
    t,
    elapsed,
    dt,
    expected,
    sigma0,
    sigma,
    r,
    z,
    diff,
    rocZ,
    isFlat,
    flat,
    movesNormally,
  };
}

export interface LevelShift {
  /** This point's z clipped for CUSUM, and the previous point's, for the autocorrelation. */
  zc: number;
  prevZ: number;
  cu: CusumState;
  shift: number;
}

export function levelShift(state: VigiaState, reading: PointReading): LevelShift {
  const prevZ = clamp(finiteOr((state.rr.at(-1) ?? 0) / reading.sigma0, 0), -6, 6);
  const zc = clamp(reading.z, -6, 6);
  const rho = clamp(state.ac, 0, 0.95);
  // With correlated residuals a run of same-sign points is normal; shrink what CUSUM accumulates.
  const cu = updateCusum(state.cu, zc * Math.sqrt((1 - rho) / (1 + rho)));
  return { zc, prevZ, cu, shift: cusumEvidence(cu) };
}

export interface Surprise {
  hourly: HourlyReachState;
  /** How much this hour of the day usually reaches, as a divisor (1 when nothing recurs). */
  usual: number;
  parts: SignalParts;
  /** How far the point left the known range, in spans of it. */
  outside: number;
  surprise: number;
}

export function surpriseOf(
  state: VigiaState,
  reading: PointReading,
  shift: number,
  P: DetectorParams,
): Surprise {
  const { x, sigma0 } = reading;
  // A surprise this hour of the day reaches every day (a nightly job) is only news if it beats that.
  // (Relative to the series' record, so a series that is spiky at every hour is not muted.)
  const hourly = state.hr ?? initHourlyReach();
  const record = Math.max(P.surpriseFloor, state.q, P.memoryWeight * state.m);
  const usual = Math.max(1, (P.hourWiden * usualReach(hourly, reading.t)) / record);
  const parts = {
    point: Math.abs(reading.z) / P.zAlert / usual,
    shift: Math.abs(shift) / P.cusumAlert / usual,
    roc: reading.rocZ / P.rocAlert / usual,
    flat: reading.movesNormally ? reading.flat / P.flatAlert / usual : 0,
  };
  const span = Math.max(state.mx - state.mn, sigma0);
  const outside = finiteOr(Math.max(x - state.mx, state.mn - x, 0) / span, 0);
  const rangePart = outside / P.rangeAlert / usual;
  const surprise = Math.max(parts.point, parts.shift, parts.roc * 0.5, parts.flat, rangePart);
  return { hourly, usual, parts, outside, surprise };
}
