// A bounded memory of recently seen states (contextual-anomaly style, after the ideas of CAD OSE
// and ARTime; own code): a state is the hour of day and the value's level within the series'
// known range (six levels), so it captures what the series does *when* — a daily jump that does
// not come, or comes lower, is a state the memory has not seen. A state not seen recently is novel.
// How novel is calibrated per series: the running rate at which this series produces novel states
// is the probability of one, so a series that wanders into new states all the time is not alarmed
// by another.
import { bucketOf } from './seasonal-profile';
import { clamp, coarse } from './numeric';

const LEVELS = 6;

export interface NoveltyState {
  /** Remembered state codes, most recently seen last (bounded: the oldest is forgotten). */
  k: number[];
  /** Running rate of novel states. */
  r: number;
}

export function initNovelty(): NoveltyState {
  return { k: [], r: 1 };
}

/** The state of a point: its hour bucket and its level within [lo, hi]. */
export function stateCode(timestamp: number, x: number, lo: number, hi: number): number {
  const span = hi - lo;
  const level = span > 0 ? clamp(Math.floor(((x - lo) / span) * LEVELS), 0, LEVELS - 1) : 0;
  return bucketOf(timestamp) * LEVELS + level;
}

/** Probability of seeing a novel state, if this point's state is novel; 1 otherwise. */
export function noveltyP(state: NoveltyState, code: number): number {
  if (state.k.includes(code)) return 1;
  return clamp(state.r, 1e-6, 1);
}

/** The memory after this point: the state moves to the most recent end, the rate is updated. */
export function learnNovelty(
  state: NoveltyState,
  code: number,
  capacity: number,
  memory: number,
  n: number,
): NoveltyState {
  const novel = !state.k.includes(code);
  const k = [...state.k.filter((c) => c !== code), code].slice(-capacity);
  const a = Math.max(1 / memory, 1 / Math.max(n, 1));
  const r = coarse(state.r + a * ((novel ? 1 : 0) - state.r), 4);
  return { k, r };
}
