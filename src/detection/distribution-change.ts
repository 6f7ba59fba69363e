// Distribution change over sliding windows, in the spirit of NAB's Relative Entropy detector (own
// code): the points' robust z against the baseline are binned, a short decaying histogram (the
// recent window) is compared with a long one (what this series usually looks like), and the
// relative entropy between them, scaled as a G-test statistic per degree of freedom, is the
// score. A level shift, a burst of spikes or a variance change moves mass between bins even when no
// single point is extreme — the density changes a point test misses.
import { clamp, coarse, finiteOr } from './numeric';

/** Bin edges in robust z: symmetric, finer near the centre where most points fall. */
const EDGES = [-4, -2, -1, 0, 1, 2, 4];
export const DIST_BINS = EDGES.length + 1;

export interface DistributionState {
  /** Recent (short) and usual (long) decaying histograms of z bins. */
  s: number[];
  l: number[];
}

const zeros = (): number[] => new Array<number>(DIST_BINS).fill(0);

export function initDistribution(): DistributionState {
  return { s: zeros(), l: zeros() };
}

function binOf(z: number): number {
  let k = 0;
  while (k < EDGES.length && z >= EDGES[k]!) k++;
  return k;
}

/**
 * How far the recent window (including this point) is from the usual distribution: the G
 * statistic 2·W·KL(recent ‖ usual) per degree of freedom — about 1 when nothing changed.
 */
export function distributionChange(state: DistributionState, z: number, window: number): number {
  const k = binOf(z);
  const d = 1 - 1 / window;
  // The recent window with this point, bin by bin (computed twice rather than kept: no array).
  const recent = (j: number): number => state.s[j]! * d + (j === k ? 1 : 0);
  let sTot = 0;
  let lTot = 0;
  for (let j = 0; j < state.s.length; j++) sTot += recent(j);
  for (const v of state.l) lTot += v;
  if (lTot < window) return 0;
  let kl = 0;
  for (let j = 0; j < DIST_BINS; j++) {
    const p = recent(j) / sTot;
    if (p <= 0) continue;
    // Half a point of prior per bin: a bin the long window never saw is rare, not impossible.
    const q = ((state.l[j] ?? 0) + 0.5) / (lTot + 0.5 * DIST_BINS);
    kl += p * Math.log(p / q);
  }
  // Exponential weights over the window count as (Σw)²/Σw² = 2W − 1 independent points.
  const effective = (2 * window - 1) * Math.min(1, sTot / window);
  return clamp(finiteOr((2 * effective * kl) / (DIST_BINS - 1), 0), 0, 1e6);
}

/** Both histograms after this point; the long one learns only from points that were not alerts. */
export function learnDistribution(
  state: DistributionState,
  z: number,
  window: number,
  memory: number,
  alert: boolean,
): DistributionState {
  const k = binOf(z);
  return { s: decayed(state.s, window, k), l: decayed(state.l, memory, alert ? -1 : k) };
}

/** A histogram decayed over `w` points, with one more in bin `k` (none when k is −1). */
function decayed(h: number[], w: number, k: number): number[] {
  const d = 1 - 1 / w;
  const out: number[] = [];
  for (let j = 0; j < h.length; j++) {
    const next = h[j]! * d + (j === k ? 1 : 0);
    out.push(next < 1e-3 ? 0 : coarse(next, 4));
  }
  return out;
}

/** Upper tail of the standard normal (Abramowitz–Stegun 26.2.17, error below 1e-7). */
export function normalTail(x: number): number {
  if (x < 0) return 1 - normalTail(-x);
  const t = 1 / (1 + 0.2316419 * x);
  const poly =
    t *
    (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  return (Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI)) * poly;
}

/**
 * Probability of a change at least this large when nothing changed (the G statistic against
 * chi-squared with bins − 1 degrees of freedom, Wilson–Hilferty). The per-series rank alone would
 * call the largest change a quiet series ever showed rare; this keeps noise from ever being news.
 */
export function unchangedP(perDof: number): number {
  const k = DIST_BINS - 1;
  const v = 2 / (9 * k);
  const z = (Math.cbrt(Math.max(perDof, 0)) - (1 - v)) / Math.sqrt(v);
  return clamp(finiteOr(normalTail(z), 1), 1e-300, 1);
}
