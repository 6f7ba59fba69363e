// A cyclic profile for the load forecast: one value per half hour of the day or of the week. Steps,
// not interpolation: scheduled load (office hours, batch jobs, a campaign at 09:00) changes at a
// clock time, and interpolating between bucket centres would smear a step over the hour before it,
// where pre-scaling needs it sharp. A ramp inside the half hour is left to the persistence term.
export const DAY_MS = 86_400_000;
export const WEEK_MS = 7 * DAY_MS;
export const BUCKET_MS = 30 * 60_000;
/**
 * Share of the error each point corrects. With one-minute points a bucket sees 30 per pass: a pass
 * moves it about half way, so last week counts most but one odd day does not erase the pattern.
 */
const PROFILE_ALPHA = 0.024;

/** Absolute values per bucket. */
export interface Profile {
  v: number[];
}

export function initProfile(period: number, value = 0): Profile {
  return { v: new Array<number>(Math.round(period / BUCKET_MS)).fill(value) };
}

function bucket(profile: Profile, period: number, timestamp: number): number {
  const within = ((timestamp % period) + period) % period;
  return Math.min(profile.v.length - 1, Math.floor(within / BUCKET_MS));
}

export function profileAt(profile: Profile, period: number, timestamp: number): number {
  return profile.v[bucket(profile, period, timestamp)]!;
}

export function learnProfile(
  profile: Profile,
  period: number,
  timestamp: number,
  value: number,
): Profile {
  const i = bucket(profile, period, timestamp);
  const v = [...profile.v];
  v[i] = v[i]! + PROFILE_ALPHA * (value - v[i]!);
  return { v };
}
