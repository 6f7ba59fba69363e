// The per-series state the detector keeps between points (JSON in DynamoDB, under 4 KB), and the
// baseline it implies: expected value and robust sigma.
import { initCusum, type CusumState } from './change-point';
import { initDistribution, type DistributionState } from './distribution-change';
import { initNovelty, type NoveltyState } from './novelty-memory';
import { initHourlyReach, type HourlyReachState } from './hourly-reach';
import { initRarity, type RarityState } from './surprise-rarity';
import { initSeasonal, seasonalOffset, type SeasonalState } from './seasonal-profile';

export const MAD_TO_SIGMA = 1.2533;

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
  /** What each hour of the day reached on the last days (recurring daily spikes); absent in
   *  states saved before it existed, which start it afresh. */
  hr?: HourlyReachState;
  /** The last judged point's score and raw robust z (for the baseline summary); absent in older states. */
  ls?: number;
  lz?: number;
  /** Recent and usual histograms of z (distribution change) and the rarity of that change; the
   *  novelty memory of recent states. Absent in older states, which start them afresh. */
  dc?: DistributionState;
  dr?: RarityState;
  nv?: NoveltyState;
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
    hr: initHourlyReach(),
    dc: initDistribution(),
    dr: initRarity(),
    nv: initNovelty(),
  };
}

export function sigmaOf(state: VigiaState): number {
  const floor = Math.max(Math.abs(state.lvl) * 1e-6, 1e-300);
  return Math.max(state.sc * MAD_TO_SIGMA, floor);
}

export function expectedAt(state: VigiaState, timestamp: number): number {
  return state.lvl + seasonalOffset(state.season, timestamp);
}
