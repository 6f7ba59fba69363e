// How rare a surprise is for this series: a decaying histogram of past surprises on a log scale
// gives the fraction of recent points at least as surprising. A spike that recurs every hour stops
// being rare after a few repeats; a surprise beyond anything in memory is rarer the further beyond
// it goes (a Pareto tail). This is what makes one global threshold fit every series.
import { clamp, coarse, compact, finiteOr } from './numeric';

const LOG2_LOW = -4;
const BIN_WIDTH = 0.25;
export const RARITY_BINS = 44;

export interface RarityParams {
  /** Memory of the histogram in points. */
  memory: number;
  /** Pseudo-count: how much a surprise never seen before still counts as "seen". */
  prior: number;
  /** Pareto tail exponent used beyond the largest surprise in memory. */
  tail: number;
}

export interface RarityState {
  /** Decayed counts per log2 bin of surprise. */
  c: number[];
  tot: number;
}

export function initRarity(): RarityState {
  return { c: new Array<number>(RARITY_BINS).fill(0), tot: 0 };
}

function position(surprise: number): number {
  const l = Math.log2(Math.max(surprise, 1e-9));
  return clamp((l - LOG2_LOW) / BIN_WIDTH, 0, RARITY_BINS - 1e-9);
}

/** Fraction of remembered points at least as surprising as `surprise` (small = rare). */
export function exceedance(state: RarityState, surprise: number, P: RarityParams): number {
  const x = position(surprise);
  const k = Math.floor(x);
  let above = (state.c[k] ?? 0) * (k + 1 - x);
  let top = -1;
  for (let j = RARITY_BINS - 1; j > k; j--) {
    const cj = state.c[j] ?? 0;
    above += cj;
    if (top < 0 && cj > 0) top = j;
  }
  if (top < 0) for (let j = k; j >= 0 && top < 0; j--) if ((state.c[j] ?? 0) > 0) top = j;
  let p = (above + P.prior) / (state.tot + P.prior);
  // Beyond the top of memory: every doubling past it is 2^tail times rarer.
  const beyond = x - (top + 1);
  if (beyond > 0) p *= Math.pow(2, -P.tail * beyond * BIN_WIDTH);
  return clamp(finiteOr(p, 1), 1e-12, 1);
}

export function learnRarity(state: RarityState, surprise: number, P: RarityParams): RarityState {
  const d = 1 - 1 / P.memory;
  const k = Math.floor(position(surprise));
  // A loop, not map with a closure: three of these histograms learn on every point.
  const from = state.c;
  const c: number[] = [];
  for (let j = 0; j < from.length; j++) {
    const v = from[j]!;
    // An empty bin stays empty (0 · d is 0, under the floor) unless this point lands in it.
    if (v === 0 && j !== k) {
      c.push(0);
      continue;
    }
    const next = v * d + (j === k ? 1 : 0);
    c.push(next < 1e-3 ? 0 : coarse(next, 6));
  }
  return { c, tot: compact(state.tot * d + 1) };
}
