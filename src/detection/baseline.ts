// The baseline a series' detector has learned, in the open (what other systems call metric stats):
// level, robust scale, the expected value and alert band at the last point, a summary of the
// seasonal profile and the latest score. Read from the saved state alone; nothing is re-run.
import { BUCKETS, type SeasonalState } from './seasonal-profile';
import { DETECTOR_PARAMS } from './vigia-params';
import { expectedAt, sigmaOf, type VigiaState } from './vigia-state';

export interface ProfileSummary {
  /** Whether the profile is in use: it must explain the data better than the plain level. */
  active: boolean;
  /** Offset from the level at the highest and lowest bucket, and where they are. */
  peak: { at: number; offset: number };
  trough: { at: number; offset: number };
}

export interface BaselineSummary {
  points: number;
  warm: boolean;
  lastAt: number | null;
  lastValue: number | null;
  /** The robust level (without the seasonal offset) and scale (robust sigma, from the MAD). */
  level: number | null;
  scale: number | null;
  /** What the baseline expects at the last point, and the band a point must leave to alert. */
  expected: number | null;
  band: { lower: number; upper: number } | null;
  /** Time-of-day profile, buckets are UTC hours. */
  daily: ProfileSummary;
  /** Weekday and weekend time-of-day profiles (UTC), active when the series has a weekly pattern. */
  weekly: { active: boolean; weekday: ProfileSummary; weekend: ProfileSummary };
  latest: { score: number | null; zScore: number | null };
}

function summarise(offsets: number[], active: boolean): ProfileSummary {
  let hi = 0;
  let lo = 0;
  offsets.forEach((o, i) => {
    if (o > (offsets[hi] ?? 0)) hi = i;
    if (o < (offsets[lo] ?? 0)) lo = i;
  });
  return {
    active,
    peak: { at: hi, offset: offsets[hi] ?? 0 },
    trough: { at: lo, offset: offsets[lo] ?? 0 },
  };
}

function dailyOf(season: SeasonalState): ProfileSummary {
  return summarise(season.b.slice(0, BUCKETS), season.on);
}

export function baselineOf(state: VigiaState, P = DETECTOR_PARAMS): BaselineSummary {
  const seen = state.n > 0 && state.t !== null;
  const sigma = sigmaOf(state);
  const expected = seen ? expectedAt(state, state.t!) : null;
  // The band of a point that surprises as much as an alert needs, before the hourly discount.
  const half = P.zAlert * Math.max(P.surpriseFloor, state.q, P.memoryWeight * state.m) * sigma;
  return {
    points: state.n,
    warm: state.n >= P.warmup,
    lastAt: state.t,
    lastValue: state.x,
    level: seen ? state.lvl : null,
    scale: seen ? sigma : null,
    expected,
    band: expected === null ? null : { lower: expected - half, upper: expected + half },
    daily: dailyOf(state.season),
    weekly: {
      active: state.season.w?.on ?? false,
      weekday: summarise(state.season.w?.d ?? [], state.season.w?.on ?? false),
      weekend: summarise(state.season.w?.e ?? [], state.season.w?.on ?? false),
    },
    latest: { score: state.ls ?? null, zScore: state.lz ?? null },
  };
}
