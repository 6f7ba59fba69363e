// Turns a point's surprise into the 0..1 score: calibrated per series (how far it beats the
// series' decaying record, how rare a surprise this large has been), with the two alerts that
// stand on their own (leaving the known range, a first-ever flat line), and damped after an alert
// so one incident raises one alarm. Also learns the calibration from each point.
import { clamp, compact, finiteOr } from './numeric';
import { unchangedP } from './distribution-change';
import { noveltyOf } from './novelty-memory';
import { exceedance, learnRarity, type RarityParams, type RarityState } from './surprise-rarity';
import type { SignalParts } from './explain';
import type { DetectorParams } from './vigia-params';
import type { VigiaState } from './vigia-state';

/** The two scores beside the residual: the distribution change (G per degree of freedom) and the
 *  probability of the recent states' evidence against each hour's usual levels (1 when none). */
export interface OtherSignals {
  dist: number;
  novP: number;
}

export type ScoreSource = 'residual' | 'distribution' | 'novelty';

export interface FusedScore {
  score: number;
  /** Which signal the score came from (for the explanation). */
  why: ScoreSource;
  alert: boolean;
  /** The surprise that counts as an alert's worth for this series now (scales the band). */
  bar: number;
  cool: number;
  peak: number;
}

export function rarityParams(P: DetectorParams): RarityParams {
  return { memory: P.rarityMemory, prior: P.rarityPrior, tail: P.rarityTail };
}

export function fuseScore(
  state: VigiaState,
  surprise: number,
  parts: SignalParts,
  outside: number,
  flat: number,
  warm: boolean,
  P: DetectorParams,
  other: OtherSignals = { dist: 0, novP: 1 },
): FusedScore {
  // Two calibrations, fused by geometric mean: how far the surprise beats this series' decaying
  // record (old bar), and how rare a surprise this large has been (decaying histogram).
  const bar = Math.max(P.surpriseFloor, state.q, P.memoryWeight * state.m);
  const record = surprise / bar / (surprise / bar + 1);
  const rarity = -Math.log10(exceedance(state.ra, surprise, rarityParams(P)));
  const gate = Math.min(1, surprise / P.surpriseFloor);
  const rare = clamp((gate * rarity) / (2 * P.rarityAlert), 0, 1);
  const learned = state.ra.tot > P.learn;
  let s = learned ? clamp(P.gain * Math.sqrt(record * rare), 0, 1) : 0;
  let why: ScoreSource = 'residual';
  if (learned) {
    // Each other signal by its own running tail probability, Bonferroni-corrected for the number of
    // signals looked at, on the residual's rarity scale: no weight per signal.
    const looks = 1 + (P.distWindow > 0 ? 1 : 0) + (P.noveltyWindow > 0 ? 1 : 0);
    const onScale = (p: number): number =>
      clamp(-Math.log10(Math.min(1, looks * p)) / (2 * P.rarityAlert), 0, 1);
    if (P.distWindow > 0 && state.dr && state.dr.tot > P.learn) {
      // Rare for this series and unlikely had nothing changed: both must hold.
      const p = Math.max(exceedance(state.dr, other.dist, rarityParams(P)), unchangedP(other.dist));
      const sd = onScale(p);
      if (sd > s) [s, why] = [sd, 'distribution'];
    }
    if (P.noveltyWindow > 0 && noveltyOf(state.nv).r.tot > P.learn) {
      const sn = onScale(other.novP);
      if (sn > s) [s, why] = [sn, 'novelty'];
    }
  }
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
  return { score, why, alert, bar, cool, peak };
}

/** The calibration after this point: rarity histogram, adaptive quantile, decaying record. */
export function learnCalibration(
  state: VigiaState,
  surprise: number,
  warm: boolean,
  alert: boolean,
  P: DetectorParams,
): { ra: RarityState; q: number; m: number } {
  const ra = warm ? learnRarity(state.ra, surprise, rarityParams(P)) : state.ra;
  const q = warm && !alert ? calibrate(state.q, surprise, P) : state.q;
  const m = warm
    ? Math.max(state.m * P.memoryDecay, Math.min(surprise, P.memoryGrowth * Math.max(state.m, 1)))
    : 0;
  return { ra, q: compact(finiteOr(q, 1)), m: compact(finiteOr(m, 0)) };
}

/** Stochastic-approximation quantile: steps up on exceedance, down otherwise, in proportion to q. */
function calibrate(q: number, surprise: number, P: DetectorParams): number {
  const p = P.calibrationQuantile;
  const step = P.calibrationRate * 10 * q * ((surprise > q ? 1 : 0) - (1 - p));
  return Math.max(0.25, finiteOr(q + step, q));
}
