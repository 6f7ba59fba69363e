// A detector state as stored: the same JSON, but every list of numbers packed into one string of
// decimal integer codes, since printing and parsing ~300 fractional numbers (each a shortest-digits
// search) was three quarters of a point's cost on collect's path, where a service read every minute
// makes one state round trip per point. A list is coded at one power of ten for the whole list:
// n = x · 10^k, written in a fixed number of base-64 characters (3, 4, 6 or 9: 18 to 54 bits), the
// fewest that hold every code; it is used only when n / 10^k gives back the very double for every
// value (the state's numbers are rounded to a few significant digits, so almost every list is),
// otherwise the list stays plain JSON. Decoding is that same division, so the detector's outputs
// cannot change. A string of the state that begins with the marker is escaped, so the packing is
// reversible for any JSON value; states saved before (plain number lists, and the novelty memory's
// string, which never starts with the marker) unpack to themselves.
// Since session 11 the store writes the models item as bytes (lib/store/binary-value.ts, the same
// decimal codes in whole bytes): collect only unpacks, the items sessions 9-10 wrote; packState is
// the measure of the 4 KB state budget (a state's JSON as sessions 9-10 stored it, bench).

/** Starts a packed list; a string of the state that starts with it gets it doubled. */
const MARK = '~';
const TILDE = 126;
/** The digits of a code, 6 bits each; none needs escaping in JSON. */
const DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const VALUE_OF = new Int8Array(128).fill(-1);
for (let i = 0; i < DIGITS.length; i++) VALUE_OF[DIGITS.charCodeAt(i)] = i;
const CODE_OF = Uint8Array.from(DIGITS, (c) => c.charCodeAt(0));
/** Characters per code, tried in this order; one 6-bit digit each. */
const WIDTHS = [3, 4, 6, 9] as const;
/** The exact powers of ten (every one up to 1e22 is a double exactly). */
const POW10 = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));
/** Lists shorter than this stay plain (the header would not pay). */
const MIN_LENGTH = 4;

/** n / 10^k for k ≥ 0, n · 10^-k below: one correctly rounded operation, as coded and as decoded. */
function decimal(n: number, k: number): number {
  return k >= 0 ? n / POW10[k]! : n * POW10[-k]!;
}

/** The largest k in −22…22 with max · 10^k below the limit, or null. */
function scaleFor(max: number, limit: number): number | null {
  if (max === 0) return 0;
  let k = Math.min(22, Math.floor(Math.log10(limit / max)));
  // log10 may be off by one at a boundary: step down until max · 10^k fits.
  while (k >= -22 && (k >= 0 ? max * POW10[k]! : max / POW10[-k]!) >= limit) k--;
  return k < -22 ? null : k;
}

/** What is added to a code so the digits are of a non-negative number; at most 2^52, so that
 *  code + offset stays an exact integer. */
const OFFSETS = WIDTHS.map((width) => Math.min(2 ** (6 * width - 1), 2 ** 52));

let chars = Buffer.alloc(64 * 9 + 8);

/**
 * Writes the list's codes at 10^k, `width` digits each, after the 3-character header; the length
 * written, or −1 as soon as a value is not exactly its code / 10^k.
 */
function writeCodes(xs: readonly number[], width: number, offset: number, k: number): number {
  const up = k >= 0;
  const p = POW10[up ? k : -k]!;
  let at = 3;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    const n = Math.round(up ? x * p : x / p);
    if ((up ? n / p : n * p) !== x) return -1;
    let u = n + offset;
    if (width <= 5) {
      for (let d = 0; d < width; d++, u >>>= 6) chars[at++] = CODE_OF[u & 63]!;
    } else {
      // Beyond 31 bits: the low 30 bits by integer ops, the rest by exact division.
      const high = Math.floor(u / 0x40000000);
      let low = u - high * 0x40000000;
      for (let d = 0; d < 5; d++, low >>>= 6) chars[at++] = CODE_OF[low & 63]!;
      u = high;
      for (let d = 5; d < width; d++, u >>>= 6) chars[at++] = CODE_OF[u & 63]!;
    }
  }
  return at;
}

/** A list of finite numbers as a packed string, or null when no scale gives them back exactly. */
export function packNumbers(xs: readonly number[]): string | null {
  let max = 0;
  // The smallest non-zero value needs the most decimals: tried first, it rules a width out quickly.
  let smallest = Infinity;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    const a = x < 0 ? -x : x;
    if (!(a <= Number.MAX_VALUE)) return null;
    if (a > max) max = a;
    if (a < smallest && a > 0) smallest = a;
  }
  if (chars.length < xs.length * 9 + 8) chars = Buffer.alloc(xs.length * 9 + 8);
  for (let w = 0; w < WIDTHS.length; w++) {
    const width = WIDTHS[w]!;
    const offset = OFFSETS[w]!;
    const k = scaleFor(max, offset);
    if (k === null) continue;
    if (smallest < Infinity && decimal(Math.round(smallest * 10 ** k), k) !== smallest) continue;
    const at = writeCodes(xs, width, offset, k);
    if (at < 0) continue;
    // Header: marker, width, k + 22 as one digit; then each code + offset, low digit first.
    chars[0] = TILDE;
    chars[1] = CODE_OF[width]!;
    chars[2] = CODE_OF[k + 22]!;
    return chars.toString('latin1', 0, at);
  }
  return null;
}

/** A packed string back to the very numbers. */
export function unpackNumbers(packed: string): number[] {
  const width = VALUE_OF[packed.charCodeAt(1)]!;
  const k = VALUE_OF[packed.charCodeAt(2)]! - 22;
  const offset = OFFSETS[WIDTHS.indexOf(width as 3)]!;
  const count = (packed.length - 3) / width;
  // Grown by push, not preallocated: a holey array would slow every later read of the state.
  const xs: number[] = [];
  for (let i = 0, at = 3; i < count; i++) {
    let u = 0;
    if (width <= 5) {
      for (let d = width - 1; d >= 0; d--) u = (u << 6) | VALUE_OF[packed.charCodeAt(at + d)]!;
    } else {
      for (let d = width - 1; d >= 5; d--) u = u * 64 + VALUE_OF[packed.charCodeAt(at + d)]!;
      let low = 0;
      for (let d = 4; d >= 0; d--) low = (low << 6) | VALUE_OF[packed.charCodeAt(at + d)]!;
      u = u * 0x40000000 + low;
    }
    at += width;
    xs.push(decimal(u - offset, k));
  }
  return xs;
}

/**
 * A list worth packing: numbers, some of them fractional (small integers, such as the load
 * forecast's 12-bit codes, are already cheap JSON).
 */
function isFractionList(xs: unknown[]): xs is number[] {
  if (xs.length < MIN_LENGTH) return false;
  let fractional = false;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    if (typeof x !== 'number') return false;
    if (!fractional && (x !== Math.floor(x) || x > 0x7fffffff || x < -0x80000000))
      fractional = true;
  }
  return fractional;
}

/**
 * A state with its number lists packed: still a JSON value, smaller and quicker to (de)serialise.
 * The state itself is not changed. Objects are copied whole (one spread) and only their lists,
 * nested objects and marked strings rewritten: a store per key would cost more than the JSON saves.
 */
export function packState(value: unknown): unknown {
  if (Array.isArray(value)) {
    const packed = isFractionList(value) ? packNumbers(value) : null;
    return packed ?? value.map(packState);
  }
  if (typeof value === 'string') return value.charCodeAt(0) === TILDE ? MARK + value : value;
  if (value === null || typeof value !== 'object') return value;
  const object = value as Record<string, unknown>;
  const out: Record<string, unknown> = { ...object };
  for (const key in object) {
    const v = object[key];
    if ((typeof v === 'object' && v !== null) || typeof v === 'string') {
      const packed = packState(v);
      if (packed !== v) out[key] = packed;
    }
  }
  return out;
}

/**
 * The state packState packed, or a state saved before packing existed (it comes back as it is).
 * Rewrites the freshly parsed JSON value it is given in place, and returns it.
 */
export function unpackState(value: unknown): unknown {
  if (typeof value === 'string') {
    if (value.charCodeAt(0) !== TILDE) return value;
    return value.charCodeAt(1) === TILDE ? value.slice(1) : unpackNumbers(value);
  }
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (typeof v === 'object' || typeof v === 'string') value[i] = unpackState(v);
    }
    return value;
  }
  const object = value as Record<string, unknown>;
  for (const key in object) {
    const v = object[key];
    if ((typeof v === 'object' && v !== null) || typeof v === 'string') {
      const unpacked = unpackState(v);
      if (unpacked !== v) object[key] = unpacked;
    }
  }
  return object;
}
