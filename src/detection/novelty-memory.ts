// A bounded memory of recently seen states (contextual-anomaly style, after the ideas of CAD OSE
// and ARTime; own code): a state is the last three points' robust z, each quantised to five levels,
// so it captures a shape (a step, a spike and its return, a ramp) rather than a value. A state the
// memory has not seen recently is novel. How novel is calibrated per series: the running rate at
// which this series produces novel states is the probability of one, so a chaotic series that
// shows new shapes all the time is not alarmed by another.
import { clamp, coarse } from './numeric';

const LEVELS = [-3, -1.5, 1.5, 3];

export interface NoveltyState {
  /** Remembered state codes, most recently seen last (bounded: the oldest is forgotten). */
  k: number[];
  /** Quantised levels of the last two points. */
  h: number[];
  /** Running rate of novel states. */
  r: number;
}

export function initNovelty(): NoveltyState {
  return { k: [], h: [], r: 1 };
}

function level(z: number): number {
  let l = 0;
  while (l < LEVELS.length && z >= LEVELS[l]!) l++;
  return l;
}

function codeOf(state: NoveltyState, z: number): number | null {
  if (state.h.length < 2) return null;
  return (state.h[0]! * 5 + state.h[1]!) * 5 + level(z);
}

/** Probability of seeing a novel state this point, if this point's state is novel; 1 otherwise. */
export function noveltyP(state: NoveltyState, z: number): number {
  const code = codeOf(state, z);
  if (code === null || state.k.includes(code)) return 1;
  return clamp(state.r, 1e-6, 1);
}

/** The memory after this point: the state moves to the most recent end, the rate is updated. */
export function learnNovelty(
  state: NoveltyState,
  z: number,
  capacity: number,
  memory: number,
  n: number,
): NoveltyState {
  const code = codeOf(state, z);
  const h = [...state.h, level(z)].slice(-2);
  if (code === null) return { ...state, h };
  const novel = !state.k.includes(code);
  const k = [...state.k.filter((c) => c !== code), code].slice(-capacity);
  const a = Math.max(1 / memory, 1 / Math.max(n, 1));
  const r = coarse(state.r + a * ((novel ? 1 : 0) - state.r), 4);
  return { k, h, r };
}
