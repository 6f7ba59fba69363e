// What each hour of the day usually reaches, as surprise (1 = an alert's worth): the largest
// surprise in each hour bucket today, yesterday and the day before. A spike that came back at the
// same time on both previous days (a nightly job, a daily batch) is only news if it beats what that
// hour did then; one bad hour yesterday is not a pattern and changes nothing.
import { BUCKETS, bucketOf } from './seasonal-profile';
import { coarse } from './numeric';

const DAY_MS = 86_400_000;

export interface HourlyReachState {
  /** Day index (UTC days since epoch) of `now`; -1 before the first point. */
  d: number;
  /** Largest surprise per hour bucket today, yesterday (y1) and the day before (y2). */
  now: number[];
  y1: number[];
  y2: number[];
}

const zeros = (): number[] => new Array<number>(BUCKETS).fill(0);

export function initHourlyReach(): HourlyReachState {
  return { d: -1, now: zeros(), y1: zeros(), y2: zeros() };
}

function around(day: number[], k: number): number {
  let r = 0;
  for (let j = k - 1; j <= k + 1; j++) r = Math.max(r, day[(j + BUCKETS) % BUCKETS] ?? 0);
  return r;
}

/** What this time of day (this hour or a neighbour) reached on both of the last two days. */
export function usualReach(state: HourlyReachState, timestamp: number): number {
  const day = Math.floor(timestamp / DAY_MS);
  const k = bucketOf(timestamp);
  if (day === state.d) return Math.min(around(state.y1, k), around(state.y2, k));
  // The point opens a new day: `now` is already yesterday.
  if (day === state.d + 1) return Math.min(around(state.now, k), around(state.y1, k));
  return 0;
}

/** Records this point's surprise in its hour bucket, rolling the days over first. */
export function learnHourlyReach(
  state: HourlyReachState,
  timestamp: number,
  surprise: number,
): HourlyReachState {
  const day = Math.floor(timestamp / DAY_MS);
  let { now, y1, y2 } = state;
  if (day !== state.d && state.d >= 0) {
    const days = day - state.d;
    y2 = days === 1 ? y1 : days === 2 ? now : zeros();
    y1 = days === 1 ? now : zeros();
    now = zeros();
  }
  const k = bucketOf(timestamp);
  if (surprise > (now[k] ?? 0)) {
    now = now.slice();
    // Three digits: the reach is compared with 1.5 times slack, and 72 numbers ride every round trip.
    now[k] = coarse(surprise, 3);
  }
  return { d: day, now, y1, y2 };
}
