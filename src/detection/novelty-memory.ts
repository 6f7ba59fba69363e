// A memory of which states each hour of the day usually shows (contextual-anomaly style, after the
// ideas of CAD OSE and ARTime; own code). A state is the hour of day and the value's level (six
// levels of its deviation from the series' slow level), so the memory captures what the series does *when*: a daily jump that does not come, or
// comes lower, puts the series in a state its hour rarely shows.
//
// Each state is ranked by its own frequency: per hour, small counts of each level (halved when the
// hour's total reaches a cap, so the memory follows the series and stays small). A point's evidence
// is the log-likelihood ratio of its level against that hour's usual levels (−ln p(level | hour)
// minus the hour's entropy: 0 on average when nothing changed). The evidence of the recent points
// is summed in a decaying window (never below 0) and standardised by its own variance under "nothing changed"; that
// z is judged like the other signals: rare for this series (a decaying rank of its past z) and
// improbable under the null (normal tail). One odd point is weak evidence; a run of them is not.
import { normalTail } from './distribution-change';
import { bucketOf, BUCKETS } from './seasonal-profile';
import { clamp, coarse, finiteOr } from './numeric';
import {
  exceedance,
  initRarity,
  learnRarity,
  type RarityParams,
  type RarityState,
} from './surprise-rarity';

export const LEVELS = 6;
/** Counts are single characters of this alphabet, so an hour's total stays below its length. */
const DIGITS = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
/** Pseudo-count per level: a level an hour never showed is rare, not impossible. */
const PRIOR = 0.5;

export interface NoveltyState {
  /** Count of each (hour, level) state, one character each (hour-major). */
  c: string;
  /** Decaying sum of recent evidence, and its variance under "nothing changed". */
  e: number;
  v: number;
  /** Rank of this series' past evidence (z). */
  r: RarityState;
}

export function initNovelty(): NoveltyState {
  return { c: '0'.repeat(BUCKETS * LEVELS), e: 0, v: 0, r: initRarity() };
}

/** The memory as stored, or a fresh one for a state saved before this form of it existed. */
export function noveltyOf(saved: NoveltyState | undefined): NoveltyState {
  const ok =
    saved !== undefined &&
    typeof saved.c === 'string' &&
    saved.c.length === BUCKETS * LEVELS &&
    typeof saved.r === 'object' &&
    saved.r !== null;
  return ok ? saved : initNovelty();
}

/** Level edges of the deviation from the series' slow level, in mean absolute deviations from it:
 *  a scale a single spike barely moves (unlike the range seen so far), so a level means the same
 *  before and after one. */
const DEV_EDGES = [-1.5, -0.5, 0, 0.5, 1.5];

/** The state of a point: its hour bucket and its deviation from the series' slow level, binned. */
export function stateCode(timestamp: number, x: number, slow: number, spread: number): number {
  const d = spread > 0 ? (x - slow) / spread : 0;
  let level = 0;
  while (level < DEV_EDGES.length && d >= DEV_EDGES[level]!) level++;
  return bucketOf(timestamp) * LEVELS + level;
}

/** This point's state and the recent evidence with it (what `noveltyP` judges and the memory learns). */
export interface NoveltyReading {
  code: number;
  e: number;
  v: number;
  z: number;
}

/** The count a character stands for (its place in DIGITS; anything else counts 0). */
function digit(ch: number): number {
  if (ch >= 48 && ch <= 57) return ch - 48;
  if (ch >= 97 && ch <= 122) return ch - 87;
  if (ch >= 65 && ch <= 90) return ch - 29;
  return 0;
}

const countAt = (c: string, i: number): number => digit(c.charCodeAt(i));

export function readNovelty(state: NoveltyState, code: number, window: number): NoveltyReading {
  const first = code - (code % LEVELS);
  let total = 0;
  for (let j = 0; j < LEVELS; j++) total += countAt(state.c, first + j);
  const denom = total + PRIOR * LEVELS;
  // Entropy of the hour's levels and the variance of −ln p under them.
  let h = 0;
  let h2 = 0;
  let own = 0;
  for (let j = 0; j < LEVELS; j++) {
    const q = (countAt(state.c, first + j) + PRIOR) / denom;
    const s = -Math.log(q);
    h += q * s;
    h2 += q * s * s;
    if (first + j === code) own = s;
  }
  const llr = own - h;
  // Summed like a CUSUM (never below 0): evidence the series is in its usual states does not
  // bank credit against the next run of rare ones.
  const d = 1 - 1 / window;
  const e = Math.max(0, finiteOr(state.e * d + llr, 0));
  const v = e > 0 ? finiteOr(state.v * d * d + Math.max(h2 - h * h, 0), 0) : 0;
  const z = v > 1e-9 ? clamp(e / Math.sqrt(v), -50, 50) : 0;
  return { code, e, v, z };
}

/** Probability of evidence this strong: rare for this series and unlikely had nothing changed. */
export function noveltyP(state: NoveltyState, reading: NoveltyReading, P: RarityParams): number {
  if (reading.z <= 0) return 1;
  return Math.max(exceedance(state.r, reading.z, P), normalTail(reading.z));
}

/** The memory after this point: the state counted (the hour halved at `cap`), evidence carried. */
export function learnNovelty(
  state: NoveltyState,
  reading: NoveltyReading,
  cap: number,
  warm: boolean,
  P: RarityParams,
): NoveltyState {
  const { code } = reading;
  const first = code - (code % LEVELS);
  const countOf = (j: number) => countAt(state.c, first + j) + (first + j === code ? 1 : 0);
  let total = 0;
  for (let j = 0; j < LEVELS; j++) total += countOf(j);
  const limit = Math.min(cap, DIGITS.length - 1);
  let hour = '';
  for (let j = 0; j < LEVELS; j++) {
    const k = countOf(j);
    const kept = total > limit ? Math.round(k / 2) : k;
    hour += DIGITS[Math.min(kept, DIGITS.length - 1)]!;
  }
  const c = state.c.slice(0, first) + hour + state.c.slice(first + LEVELS);
  return {
    c,
    e: coarse(reading.e, 4),
    v: coarse(reading.v, 4),
    r: warm ? learnRarity(state.r, Math.max(reading.z, 0), P) : state.r,
  };
}
