// A cyclic profile for the load forecast: one value per bucket of the day (half hours) or of the
// week (hours). Steps, not interpolation: scheduled load (office hours, batch jobs, a campaign at
// 09:00) changes at a clock time, and interpolating between bucket centres would smear a step over
// the hour before it, where pre-scaling needs it sharp. A ramp inside a bucket is left to the
// deviation and trend terms.
//
// Stored small (issue 12's 4 KB per series): each bucket is a 12-bit fraction of the profile's
// scale, two base64url characters, so a week of hours is 336 characters of JSON instead of ~2.5 KB
// of numbers. The scale grows when a value outgrows it and halves (exactly) when every bucket fits
// in a quarter of it, so a bucket keeps at least 10 bits of precision for the load it holds.
export const DAY_MS = 86_400_000;
export const WEEK_MS = 7 * DAY_MS;
/** Half hours of the day, hours of the week. */
export const DAY_BUCKET_MS = 30 * 60_000;
export const WEEK_BUCKET_MS = 60 * 60_000;
/**
 * Share of the error each point corrects, per minute-long point: a pass over a half-hour bucket
 * moves it about half way, so the last cycle counts most but one odd day does not erase the pattern.
 * An hour bucket sees twice the points per pass, so its share is halved to keep the same memory.
 */
const PROFILE_ALPHA_PER_HALF_HOUR = 0.024;

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** Character code → digit, -1 for a character outside the alphabet. */
const DIGIT = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DIGIT[ALPHABET.charCodeAt(i)] = i;
const FULL = 4095;

/** `s`: the value a full code stands for; `v`: two characters per bucket, oldest clock time first. */
export interface Profile {
  s: number;
  v: string;
}

const encode = (code: number) => ALPHABET[code >> 6]! + ALPHABET[code & 63]!;

function codeAt(v: string, i: number): number {
  const hi = DIGIT[v.charCodeAt(2 * i)] ?? -1;
  const lo = DIGIT[v.charCodeAt(2 * i + 1)] ?? -1;
  if (hi < 0 || lo < 0) throw new Error(`load profile: bad code at bucket ${i}`);
  return hi * 64 + lo;
}

export function initProfile(period: number, bucketMs: number, value = 0): Profile {
  const n = Math.round(period / bucketMs);
  const s = value > 0 ? 2 * value : 1;
  return { s, v: encode(Math.round((Math.max(0, value) / s) * FULL)).repeat(n) };
}

/** Whether a stored value is a profile this code reads (states saved before were plain arrays). */
export function isProfile(p: unknown, period: number, bucketMs: number): p is Profile {
  const q = p as Partial<Profile> | null;
  return (
    typeof q?.s === 'number' &&
    q.s > 0 &&
    typeof q.v === 'string' &&
    q.v.length === 2 * Math.round(period / bucketMs) &&
    /^[A-Za-z0-9_-]*$/.test(q.v)
  );
}

function bucket(profile: Profile, period: number, timestamp: number): number {
  const n = profile.v.length / 2;
  const within = ((timestamp % period) + period) % period;
  return Math.min(n - 1, Math.floor((within / period) * n));
}

export function profileAt(profile: Profile, period: number, timestamp: number): number {
  return (codeAt(profile.v, bucket(profile, period, timestamp)) / FULL) * profile.s;
}

export function learnProfile(
  profile: Profile,
  period: number,
  timestamp: number,
  value: number,
): Profile {
  const n = profile.v.length / 2;
  const alpha = (PROFILE_ALPHA_PER_HALF_HOUR * n * DAY_BUCKET_MS) / period;
  const i = bucket(profile, period, timestamp);
  const old = (codeAt(profile.v, i) / FULL) * profile.s;
  const next = Math.max(0, old + alpha * (Math.max(0, value) - old));
  let { s, v } = profile;
  if (next > s) {
    const grown = 1.5 * next;
    v = rescale(v, s / grown);
    s = grown;
  }
  // Rounded up or down by a deterministic dither, so small corrections still move the bucket on
  // average: nearest rounding would stop it wherever one point's correction is under half a code.
  const code = Math.floor((next / s) * FULL + dither(timestamp));
  v = v.slice(0, 2 * i) + encode(Math.min(FULL, Math.max(0, code))) + v.slice(2 * i + 2);
  // A scale four times what every bucket holds halves, exactly (codes double), keeping precision.
  while (s > 2e-9 && !hasCodeFrom(v, FULL / 4)) {
    v = rescale(v, 2);
    s /= 2;
  }
  return { s, v };
}

/** A low-discrepancy sequence in [0, 1) over the series' minutes (golden-ratio steps). */
function dither(timestamp: number): number {
  const x = (Math.floor(timestamp / 60_000) * 0.6180339887498949) % 1;
  return x < 0 ? x + 1 : x;
}

function rescale(v: string, factor: number): string {
  let out = '';
  for (let i = 0; i < v.length / 2; i++) {
    out += encode(Math.min(FULL, Math.round(codeAt(v, i) * factor)));
  }
  return out;
}

/** Whether some bucket's code is at least `limit`: the scan stops at the first one, which in a
 *  profile the scale fits is usually found within a few buckets. */
function hasCodeFrom(v: string, limit: number): boolean {
  for (let i = 0; i < v.length / 2; i++) if (codeAt(v, i) >= limit) return true;
  return false;
}
