// What the detector learns from a point once it is judged: the robust level and scales (resisting
// the point in proportion to its surprise, re-anchored after a level shift), Holt's level and trend
// for the forecast, the daily profile, the slowly fading range and the score's calibration.
import { initCusum, type CusumState } from './change-point';
import { initDistribution, learnDistribution } from './distribution-change';
import { learnHourlyReach } from './hourly-reach';
import { learnNovelty, noveltyOf, type NoveltyReading } from './novelty-memory';
import { initRarity, learnRarity } from './surprise-rarity';
import { clamp, compact, ewStep, finiteOr } from './numeric';
import {
  seasonalMode,
  seasonalOffset,
  updateSeasonal,
  type SeasonalState,
} from './seasonal-profile';
import type { DetectorParams } from './vigia-params';
import type { LevelShift, PointReading, Surprise } from './vigia-reading';
import { learnCalibration, type FusedScore, type OtherSignals } from './vigia-score';
import { MAD_TO_SIGMA, type VigiaState } from './vigia-state';

/** Everything the judging of one point found, which the learning reads. */
export interface JudgedPoint {
  reading: PointReading;
  shift: LevelShift;
  surprise: Surprise;
  fused: FusedScore;
  warm: boolean;
  other: OtherSignals & { novelty: NoveltyReading };
}

interface Baseline {
  lvl: number;
  sc: number;
  ds: number;
  rr: number[];
  cu: CusumState;
}

/** The residuals with this one, the last `recent` of them (`[...rr, r].slice(-recent)` without
 *  the intermediate copy: it runs every point). */
function lastResiduals(rr: number[], r: number, recent: number): number[] {
  if (!(recent > 0)) return [...rr, r].slice(-recent);
  const out: number[] = [];
  for (let i = Math.max(0, rr.length + 1 - recent); i < rr.length; i++) out.push(rr[i]!);
  out.push(r);
  return out;
}

/** Learn, resisting the point in proportion to how surprising it was. */
function learnBaseline(
  state: VigiaState,
  { r, diff, sigma0 }: PointReading,
  { cu, shift }: LevelShift,
  P: DetectorParams,
): Baseline {
  const n = state.n + 1;
  const psi = clamp(r, -P.huber * sigma0, P.huber * sigma0);
  const lvl = finiteOr(state.lvl + Math.max(P.levelAlpha, 1 / n) * psi, state.lvl);
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
  const rr = lastResiduals(state.rr, compact(r), P.recent);
  if (Math.abs(shift) > P.cusumAlert) {
    // The level has moved: re-anchor on the recent residuals so the new level is normal from now on.
    const sorted = [...rr].sort((a, b) => a - b);
    const anchored = finiteOr(state.lvl + (sorted[Math.floor(sorted.length / 2)] ?? 0), lvl);
    return { lvl: anchored, sc, ds, rr, cu: initCusum() };
  }
  return { lvl, sc, ds, rr, cu };
}

/**
 * Holt's linear smoothing, apart from the detection level: the forecast needs an unbiased slope,
 * the detector a level that ignores excursions.
 */
function learnTrend(
  state: VigiaState,
  { x, t, elapsed, sigma0 }: PointReading,
  P: DetectorParams,
): { hl: number; tr: number } {
  const predicted = state.hl + state.tr * elapsed;
  const err = clamp(x - seasonalOffset(state.season, t) - predicted, -4 * sigma0, 4 * sigma0);
  const hl = finiteOr(predicted + P.holtAlpha * err, state.hl);
  const tr = finiteOr(state.tr + P.holtBeta * ((hl - state.hl) / elapsed - state.tr), 0);
  return { hl, tr };
}

function learnSeason(
  state: VigiaState,
  { x, t, elapsed, dt, sigma0 }: PointReading,
  lvl: number,
  warm: boolean,
): { season: SeasonalState; lvl: number } {
  const season = updateSeasonal(state.season, t, x, elapsed, warm ? 4 * sigma0 : Infinity, dt);
  // When the profile switches on or off, move its offset into the level so `expected` stays continuous.
  if (seasonalMode(season) !== seasonalMode(state.season)) {
    return { season, lvl: lvl + (seasonalOffset(state.season, t) - seasonalOffset(season, t)) };
  }
  return { season, lvl };
}

/** The state after a judged point. */
export function learnFromPoint(
  state: VigiaState,
  judged: JudgedPoint,
  P: DetectorParams,
): VigiaState {
  const { reading, shift, surprise, fused, warm, other } = judged;
  const { x, t, sigma0 } = reading;
  const n = state.n + 1;
  const baseline = learnBaseline(state, reading, shift, P);
  const { hl, tr } = learnTrend(state, reading, P);
  const { season, lvl } = learnSeason(state, reading, baseline.lvl, warm);
  // The range fades towards the band plain noise reaches, never inside it: one old spike stops
  // widening the range after a while, and ordinary noise never looks like leaving it.
  const reach = P.zAlert * sigma0;
  const calibration = learnCalibration(state, surprise.surprise, warm, fused.alert, P);
  return {
    v: 2,
    n,
    t,
    x,
    dt: compact(reading.dt),
    lvl: compact(lvl),
    sc: compact(baseline.sc),
    ds: compact(baseline.ds),
    hl: compact(hl),
    tr: compact(tr),
    season,
    cu: { up: compact(baseline.cu.up), down: compact(baseline.cu.down) },
    rr: baseline.rr,
    flat: reading.flat,
    ac: compact(ewStep(state.ac, warm ? clamp(shift.zc * shift.prevZ, -4, 4) : 0, P.scaleAlpha, n)),
    ra: calibration.ra,
    q: calibration.q,
    m: calibration.m,
    cool: fused.cool,
    peak: compact(fused.peak),
    mx: compact(Math.max(x, state.mx - P.rangeFade * Math.max(0, state.mx - lvl - reach))),
    mn: compact(Math.min(x, state.mn + P.rangeFade * Math.max(0, lvl - reach - state.mn))),
    fl: compact(Math.max(state.fl * P.memoryDecay, reading.isFlat ? 0 : state.flat)),
    ls: compact(fused.score),
    lz: compact(reading.z),
    hr: warm
      ? learnHourlyReach(surprise.hourly, t, Math.min(surprise.surprise * surprise.usual, 50))
      : surprise.hourly,
    ...learnOtherSignals(state, reading.z, other, judged, n, P),
  };
}

/** The distribution histograms, the rarity of their change and the novelty memory after a point. */
function learnOtherSignals(
  state: VigiaState,
  z: number,
  other: OtherSignals & { novelty: NoveltyReading },
  { fused, warm }: JudgedPoint,
  n: number,
  P: DetectorParams,
): Pick<VigiaState, 'dc' | 'dr' | 'nv'> {
  const out: Pick<VigiaState, 'dc' | 'dr' | 'nv'> = {};
  if (P.distWindow > 0) {
    const rp = { memory: P.rarityMemory, prior: P.rarityPrior, tail: P.rarityTail };
    const dr = state.dr ?? initRarity();
    out.dc = learnDistribution(
      state.dc ?? initDistribution(),
      z,
      P.distWindow,
      P.rarityMemory,
      fused.alert,
    );
    out.dr = warm ? learnRarity(dr, other.dist, rp) : dr;
  }
  if (P.noveltyWindow > 0) {
    const rp = { memory: P.rarityMemory, prior: P.rarityPrior, tail: P.rarityTail };
    out.nv = learnNovelty(noveltyOf(state.nv), other.novelty, P.noveltyCap, warm, rp);
  }
  return out;
}
