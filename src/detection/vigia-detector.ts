// vigia's streaming detector: a robust baseline (Huber-clipped EWMA level, mean-absolute-deviation
// scale, an hour-of-day profile once the data shows one) and the surprise of each point against it
// (point deviation, CUSUM level shift, rate of change, flat line, leaving the slowly fading range),
// discounted when that hour of day reached as much on both previous days, scored by vigia-score.
// Constant time and memory per point.
import { cusumEvidence, initCusum, updateCusum } from './change-point';
import { describe } from './explain';
import { initHourlyReach, learnHourlyReach, usualReach } from './hourly-reach';
import { clamp, compact, ewStep, finiteOr } from './numeric';
import { gapOutput, quiet } from './quiet-output';
import { seasonalOffset, updateSeasonal } from './seasonal-profile';
import type { DetectionOutput, SeriesDetector, SeriesPoint } from './series-detector';
import { DETECTOR_PARAMS, type DetectorParams } from './vigia-params';
import { fuseScore, learnCalibration } from './vigia-score';
import { MAD_TO_SIGMA, expectedAt, initVigiaState, sigmaOf, type VigiaState } from './vigia-state';

export { DETECTOR_PARAMS, type DetectorParams } from './vigia-params';
export { expectedAt, initVigiaState, sigmaOf, type VigiaState } from './vigia-state';

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
  // A surprise this hour of the day reaches every day (a nightly job) is only news if it beats that.
  // (Relative to the series' record, so a series that is spiky at every hour is not muted.)
  const hourly = state.hr ?? initHourlyReach();
  const record = Math.max(P.surpriseFloor, state.q, P.memoryWeight * state.m);
  const usual = Math.max(1, (P.hourWiden * usualReach(hourly, t)) / record);
  const parts = {
    point: Math.abs(z) / P.zAlert / usual,
    shift: Math.abs(shift) / P.cusumAlert / usual,
    roc: rocZ / P.rocAlert / usual,
    flat: movesNormally ? flat / P.flatAlert / usual : 0,
  };
  const span = Math.max(state.mx - state.mn, sigma0);
  const outside = finiteOr(Math.max(x - state.mx, state.mn - x, 0) / span, 0);
  const rangePart = outside / P.rangeAlert / usual;
  const surprise = Math.max(parts.point, parts.shift, parts.roc * 0.5, parts.flat, rangePart);
  const warm = state.n >= P.warmup;
  const { score, alert, bar, cool, peak } = fuseScore(
    state,
    surprise,
    parts,
    outside,
    flat,
    warm,
    P,
  );

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
  // The range fades towards the band plain noise reaches, never inside it: one old spike stops
  // widening the range after a while, and ordinary noise never looks like leaving it.
  const reach = P.zAlert * sigma0;
  const calibration = learnCalibration(state, surprise, warm, alert, P);

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
    ...calibration,
    cool,
    peak: compact(peak),
    mx: compact(Math.max(x, state.mx - P.rangeFade * Math.max(0, state.mx - lvl - reach))),
    mn: compact(Math.min(x, state.mn + P.rangeFade * Math.max(0, lvl - reach - state.mn))),
    fl: compact(Math.max(state.fl * P.memoryDecay, isFlat ? 0 : state.flat)),
    hr: warm ? learnHourlyReach(hourly, t, Math.min(surprise * usual, 50)) : hourly,
  };
  const output = describe({
    point,
    value: x,
    expected,
    halfBand: P.zAlert * usual * bar * sigma,
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
