// vigia's streaming detector: a robust baseline (Huber-clipped EWMA level, mean-absolute-deviation
// scale, an hour-of-day profile once the data shows one) and the surprise of each point against it
// (point deviation, CUSUM level shift, rate of change, flat line, leaving the slowly fading range),
// discounted when that hour of day reached as much on both previous days, scored by vigia-score.
// Constant time and memory per point.
import { distributionChange, initDistribution } from './distribution-change';
import { describe } from './explain';
import { noveltyOf, noveltyP, readNovelty, stateCode } from './novelty-memory';
import { gapOutput, quiet } from './quiet-output';
import { seasonalOffset, updateSeasonal } from './seasonal-profile';
import type { DetectionOutput, SeriesDetector, SeriesPoint } from './series-detector';
import { learnFromPoint, type JudgedPoint } from './vigia-learning';
import { DETECTOR_PARAMS, type DetectorParams } from './vigia-params';
import { hasSeenPoints, levelShift, readPoint, surpriseOf } from './vigia-reading';
import { fuseScore, rarityParams } from './vigia-score';
import { initVigiaState, type VigiaState } from './vigia-state';

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
  if (!hasSeenPoints(state)) return firstPoint(state, point, point.value, P);

  const reading = readPoint(state, point.value, point.timestamp);
  const shift = levelShift(state, reading);
  const surprise = surpriseOf(state, reading, shift.shift, P);
  const warm = state.n >= P.warmup;
  const nv = noveltyOf(state.nv);
  const novelty = readNovelty(
    nv,
    stateCode(reading.t, reading.x, state.season.s, state.season.e0),
    P.noveltyWindow,
  );
  const other = {
    dist:
      P.distWindow > 0
        ? distributionChange(state.dc ?? initDistribution(), reading.z, P.distWindow)
        : 0,
    novP: P.noveltyWindow > 0 ? noveltyP(nv, novelty, rarityParams(P)) : 1,
  };
  const fused = fuseScore(
    state,
    surprise.surprise,
    surprise.parts,
    surprise.outside,
    reading.flat,
    warm,
    P,
    other,
  );
  const judged: JudgedPoint = {
    reading,
    shift,
    surprise,
    fused,
    warm,
    // Not a spread: this runs every point, and a literal is several times cheaper.
    other: { dist: other.dist, novP: other.novP, novelty },
  };
  const next = learnFromPoint(state, judged, P);
  return { state: next, output: outputFor(point, judged, next, P) };
}

/** The first usable point only seeds the baseline. */
function firstPoint(
  state: VigiaState,
  point: SeriesPoint,
  x: number,
  P: DetectorParams,
): { state: VigiaState; output: DetectionOutput } {
  const t = point.timestamp;
  const s0 = initVigiaState();
  const season = updateSeasonal(s0.season, t, x, 0, Infinity, 0);
  return {
    state: { ...s0, n: 1, t, x, lvl: x, hl: x, season, mx: x, mn: x },
    output: quiet(point, state, P, 'warming up'),
  };
}

/** What the point looked like, and, once warm, where the learned trend points next. */
function outputFor(
  point: SeriesPoint,
  { reading, shift, surprise, fused, warm }: JudgedPoint,
  next: VigiaState,
  P: DetectorParams,
): DetectionOutput {
  const output = describe({
    point,
    value: reading.x,
    expected: reading.expected,
    halfBand: P.zAlert * surprise.usual * fused.bar * reading.sigma,
    score: fused.score,
    warm,
    z: reading.z,
    shift: shift.shift,
    parts: surprise.parts,
    flat: reading.flat,
    alertScore: P.alertScore,
    criticalScore: P.criticalScore,
    why: fused.why,
  });
  const ahead = P.forecastMinutes * 60_000;
  const forecast = next.hl + next.tr * ahead + seasonalOffset(next.season, reading.t + ahead);
  if (warm && Number.isFinite(forecast)) {
    output.forecast = { horizonMinutes: P.forecastMinutes, value: forecast };
  }
  return output;
}
