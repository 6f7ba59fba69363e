// vigia's streaming detector: a robust baseline (Huber-clipped EWMA level, mean-absolute-deviation
// scale, an hour-of-day profile once the data shows one), scored by fusing point deviation, CUSUM
// level-shift evidence, rate of change and flat lines into one surprise, calibrated per series and
// damped after an alert so one incident raises one alarm. Constant time and memory per point.
import { exceedance, initRarity, learnRarity, type RarityState } from './surprise-rarity';
import { cusumEvidence, initCusum, updateCusum, type CusumState } from './change-point';
import { describe } from './explain';
import { clamp, compact, ewStep, finiteOr } from './numeric';
import {
  initSeasonal,
  seasonalOffset,
  updateSeasonal,
  type SeasonalState,
} from './seasonal-profile';
import type { DetectionOutput, SeriesDetector, SeriesPoint } from './series-detector';

export const DETECTOR_PARAMS = {
  warmup: 30,
  levelAlpha: 0.01,
  scaleAlpha: 0.005,
  /** Residuals beyond this many sigmas move the baseline no further (resistance to outliers). */
  huber: 2.5,
  /** Surprise 1 (an alert) for each signal: point |z|, CUSUM units, rate of change |z|. */
  zAlert: 4,
  cusumAlert: 12,
  rocAlert: 6,
  /** Flat run (in points) that counts as an alert on a series that normally moves. */
  flatAlert: 24,
  /** Points after an alert during which the same incident is damped. */
  cooldown: 100,
  cooldownDamping: 0.1,
  /** Per-series high quantile of surprise that raises the bar for naturally spiky series. */
  calibrationQuantile: 0.99,
  calibrationRate: 0.01,
  /** Per-point decay of the memory of past surprises, and how much a record must beat it by. */
  memoryDecay: 0.9998,
  memoryWeight: 1,
  memoryGrowth: 1.5,
  /** Surprise below this is never an alert, however calm the series has been. */
  surpriseFloor: 0.75,
  /** During a cooldown only a surprise this many times the alert's own breaks through. */
  escape: 2,
  /** Points of rarity history needed before scoring: the detector stays quiet while it learns. */
  learn: 100,
  /** Rarity of surprise: memory (points), pseudo-count, Pareto tail, and the -log10 p of an alert. */
  rarityMemory: 4000,
  rarityPrior: 0.5,
  rarityTail: 2,
  rarityAlert: 3,
  /** Scales the fused score so that an alert sits at `alertScore`. */
  gain: 1.11,
  /** Leaving the range seen so far by this fraction of it: a surprise of 1. */
  rangeAlert: 0.05,
  /** ...and an alert on its own (Numenta's spatial anomaly) when the point is also ≥ 3 sigma out. */
  rangeTol: 0.05,
  rangeMinPoint: 0.75,
  /** A flat run of flatAlert × this is an alert on its own if the series never flat-lined so long. */
  flatOverride: 1,
  alertScore: 0.5,
  criticalScore: 0.75,
  recent: 8,
  /** Horizon of the forecast returned with every output. */
  forecastMinutes: 30,
  holtAlpha: 0.1,
  holtBeta: 0.05,
} as const;

const MAD_TO_SIGMA = 1.2533;

export interface VigiaState {
  v: 2;
  n: number;
  /** Last accepted timestamp and value. */
  t: number | null;
  x: number | null;
  /** Typical interval between points, ms. */
  dt: number;
  lvl: number;
  /** Mean absolute residual and mean absolute first difference. */
  sc: number;
  ds: number;
  /** Holt level (without the daily profile) and trend per ms, for the forecast. */
  hl: number;
  tr: number;
  season: SeasonalState;
  cu: CusumState;
  /** Last residuals (raw units), newest last, for re-anchoring after a shift. */
  rr: number[];
  flat: number;
  /** Lag-1 autocorrelation of residuals: correlated noise must not look like a level shift. */
  ac: number;
  /** Adaptive quantile of surprise. */
  q: number;
  /** Decaying memory of the largest surprise seen: what "unusual for this series" means. */
  m: number;
  cool: number;
  peak: number;
  ra: RarityState;
  /** Range of values seen so far (slowly forgotten): leaving it is news. */
  mx: number;
  mn: number;
  /** Longest flat run seen (slowly forgotten). */
  fl: number;
}

export function initVigiaState(): VigiaState {
  return {
    v: 2,
    n: 0,
    t: null,
    x: null,
    dt: 0,
    lvl: 0,
    sc: 0,
    ds: 0,
    hl: 0,
    tr: 0,
    season: initSeasonal(),
    cu: initCusum(),
    rr: [],
    flat: 0,
    ac: 0,
    q: 0.5,
    m: 0,
    cool: 0,
    peak: 0,
    ra: initRarity(),
    mx: 0,
    mn: 0,
    fl: 0,
  };
}

export function sigmaOf(state: VigiaState): number {
  const floor = Math.max(Math.abs(state.lvl) * 1e-6, 1e-300);
  return Math.max(state.sc * MAD_TO_SIGMA, floor);
}

export function expectedAt(state: VigiaState, timestamp: number): number {
  return state.lvl + seasonalOffset(state.season, timestamp);
}

export type DetectorParams = { -readonly [K in keyof typeof DETECTOR_PARAMS]: number };

/** The detector; `overrides` exist for experiments and tests, production uses the defaults. */
export function vigiaDetector(overrides: Partial<DetectorParams> = {}): SeriesDetector<VigiaState> {
  const params = { ...DETECTOR_PARAMS, ...overrides };
  return {
    name: 'vigia',
    init: initVigiaState,
    update: (state, point) => updateVigia(state, point, params),
  };
}

export function updateVigia(
  state: VigiaState,
  point: SeriesPoint,
  P: DetectorParams = DETECTOR_PARAMS,
): { state: VigiaState; output: DetectionOutput } {
  if (point.value === null || !Number.isFinite(point.value) || !Number.isFinite(point.timestamp)) {
    return { state, output: gapOutput(state, point, P) };
  }
  if (state.t !== null && point.timestamp <= state.t) {
    return { state, output: quiet(point, state, P, 'out-of-order or duplicate point ignored') };
  }
  const x = point.value;
  const t = point.timestamp;
  if (state.n === 0 || state.t === null || state.x === null) {
    const s0 = initVigiaState();
    const season = updateSeasonal(s0.season, t, x, 0, Infinity, 0);
    return {
      state: { ...s0, n: 1, t, x, lvl: x, hl: x, season, mx: x, mn: x },
      output: quiet(point, state, P, 'warming up'),
    };
  }

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

  const prevZ = clamp(finiteOr((state.rr.at(-1) ?? 0) / sigma0, 0), -6, 6);
  const zc = clamp(z, -6, 6);
  const rho = clamp(state.ac, 0, 0.95);
  // With correlated residuals a run of same-sign points is normal; shrink what CUSUM accumulates.
  const cu = updateCusum(state.cu, zc * Math.sqrt((1 - rho) / (1 + rho)));
  const shift = cusumEvidence(cu);
  const parts = {
    point: Math.abs(z) / P.zAlert,
    shift: Math.abs(shift) / P.cusumAlert,
    roc: rocZ / P.rocAlert,
    flat: movesNormally ? flat / P.flatAlert : 0,
  };
  const span = Math.max(state.mx - state.mn, sigma0);
  const outside = finiteOr(Math.max(x - state.mx, state.mn - x, 0) / span, 0);
  const rangePart = outside / P.rangeAlert;
  const surprise = Math.max(parts.point, parts.shift, parts.roc * 0.5, parts.flat, rangePart);
  const warm = state.n >= P.warmup;
  // Two calibrations, fused by geometric mean: how far the surprise beats this series' decaying
  // record (old bar), and how rare a surprise this large has been (decaying histogram).
  const bar = Math.max(P.surpriseFloor, state.q, P.memoryWeight * state.m);
  const record = surprise / bar / (surprise / bar + 1);
  const RP = { memory: P.rarityMemory, prior: P.rarityPrior, tail: P.rarityTail };
  const rarity = -Math.log10(exceedance(state.ra, surprise, RP));
  const gate = Math.min(1, surprise / P.surpriseFloor);
  const rare = clamp((gate * rarity) / (2 * P.rarityAlert), 0, 1);
  const learned = state.ra.tot > P.learn;
  let s = learned ? clamp(P.gain * Math.sqrt(record * rare), 0, 1) : 0;
  if (P.rangeTol > 0 && outside >= P.rangeTol && parts.point >= P.rangeMinPoint && learned)
    s = Math.max(s, clamp(0.55 + outside, 0, 1));
  // A flat line is news on its own only when this series has not flat-lined like this before.
  const flatNews = parts.flat >= P.flatOverride && flat > 2 * state.fl;
  if (warm && P.flatOverride > 0 && flatNews) s = Math.max(s, clamp(0.5 + 0.05 * parts.flat, 0, 1));
  let cool = Math.max(0, state.cool - 1);
  let peak = state.peak;
  if (cool > 0 && surprise < P.escape * peak) s *= P.cooldownDamping;
  const alert = warm && s >= P.alertScore;
  if (alert) {
    cool = P.cooldown;
    peak = Math.max(surprise, peak);
  }
  if (cool === 0) peak = 0;
  const score = warm ? clamp(finiteOr(s, 0), 0, 1) : 0;

  // Learn, resisting the point in proportion to how surprising it was.
  const n = state.n + 1;
  const psi = clamp(r, -P.huber * sigma0, P.huber * sigma0);
  let lvl = finiteOr(state.lvl + Math.max(P.levelAlpha, 1 / n) * psi, state.lvl);
  const sc = ewStep(
    state.sc,
    Math.min(Math.abs(r), 4 * sigma0 + (state.n < P.warmup ? Infinity : 0)),
    P.scaleAlpha,
    n,
  );
  const ds = ewStep(
    state.ds,
    Math.min(Math.abs(diff), 4 * Math.max(state.ds * MAD_TO_SIGMA, sigma0)),
    P.scaleAlpha,
    n,
  );
  const rr = [...state.rr, compact(r)].slice(-P.recent);
  let nextCu = cu;
  if (Math.abs(shift) > P.cusumAlert) {
    // The level has moved: re-anchor on the recent residuals so the new level is normal from now on.
    const sorted = [...rr].sort((a, b) => a - b);
    lvl = finiteOr(state.lvl + (sorted[Math.floor(sorted.length / 2)] ?? 0), lvl);
    nextCu = initCusum();
  }
  // Holt's linear smoothing, apart from the detection level: the forecast needs an unbiased slope,
  // the detector a level that ignores excursions.
  const predicted = state.hl + state.tr * elapsed;
  const err = clamp(x - seasonalOffset(state.season, t) - predicted, -4 * sigma0, 4 * sigma0);
  const hl = finiteOr(predicted + P.holtAlpha * err, state.hl);
  const tr = finiteOr(state.tr + P.holtBeta * ((hl - state.hl) / elapsed - state.tr), 0);
  const season = updateSeasonal(state.season, t, x, elapsed, warm ? 4 * sigma0 : Infinity, dt);
  // When the profile switches on or off, move its offset into the level so `expected` stays continuous.
  if (season.on !== state.season.on) {
    lvl += seasonalOffset(state.season, t) - seasonalOffset(season, t);
  }
  const ra = warm ? learnRarity(state.ra, surprise, RP) : state.ra;
  const q = warm && !alert ? calibrate(state.q, surprise, P) : state.q;
  const m = warm
    ? Math.max(state.m * P.memoryDecay, Math.min(surprise, P.memoryGrowth * Math.max(state.m, 1)))
    : 0;

  const next: VigiaState = {
    v: 2,
    n,
    t,
    x,
    dt: compact(dt),
    lvl: compact(lvl),
    sc: compact(sc),
    ds: compact(ds),
    hl: compact(hl),
    tr: compact(tr),
    season,
    cu: { up: compact(nextCu.up), down: compact(nextCu.down) },
    rr,
    flat,
    ac: compact(ewStep(state.ac, warm ? clamp(zc * prevZ, -4, 4) : 0, P.scaleAlpha, n)),
    q: compact(finiteOr(q, 1)),
    m: compact(finiteOr(m, 0)),
    cool,
    peak: compact(peak),
    ra,
    mx: compact(Math.max(x, state.mx)),
    mn: compact(Math.min(x, state.mn)),
    fl: compact(Math.max(state.fl * P.memoryDecay, isFlat ? 0 : state.flat)),
  };
  const output = describe({
    point,
    value: x,
    expected,
    halfBand: P.zAlert * bar * sigma,
    score,
    warm,
    z,
    shift,
    parts,
    flat,
    alertScore: P.alertScore,
    criticalScore: P.criticalScore,
  });
  const ahead = P.forecastMinutes * 60_000;
  const forecast = next.hl + next.tr * ahead + seasonalOffset(next.season, t + ahead);
  if (warm && Number.isFinite(forecast)) {
    output.forecast = { horizonMinutes: P.forecastMinutes, value: forecast };
  }
  return { state: next, output };
}

/** Stochastic-approximation quantile: steps up on exceedance, down otherwise, in proportion to q. */
function calibrate(q: number, surprise: number, P: DetectorParams): number {
  const p = P.calibrationQuantile;
  const step = P.calibrationRate * 10 * q * ((surprise > q ? 1 : 0) - (1 - p));
  return Math.max(0.25, finiteOr(q + step, q));
}

function quiet(
  point: SeriesPoint,
  state: VigiaState,
  P: DetectorParams,
  explanation: string,
): DetectionOutput {
  return {
    timestamp: point.timestamp,
    value: point.value,
    score: 0,
    anomalous: false,
    direction: 'none',
    expected: state.n > 0 ? state.lvl : null,
    lower: null,
    upper: null,
    severity: 'info',
    explanation,
    warm: state.n >= P.warmup,
  };
}

function gapOutput(state: VigiaState, point: SeriesPoint, P: DetectorParams): DetectionOutput {
  const missing = state.t !== null && state.dt > 0 ? (point.timestamp - state.t) / state.dt : 0;
  const minutes = state.t !== null ? Math.round((point.timestamp - state.t) / 60_000) : 0;
  const out = quiet(
    point,
    state,
    P,
    state.t === null ? 'no datapoint' : `no datapoint for ${minutes} min`,
  );
  if (out.warm && Number.isFinite(missing) && missing >= 5) {
    out.score = clamp(missing / (missing + 10), 0, 1);
    out.anomalous = out.score >= P.alertScore;
    out.severity = out.anomalous ? 'warning' : 'info';
  }
  return out;
}
