// A JSON value as bytes, for the models item's body (a DynamoDB Binary attribute): what
// JSON.stringify + JSON.parse give back, without printing or parsing a number. A hot service's save
// packed ~2,000 fractional numbers into base-64 codes, stringified the result and compressed it,
// every minute: with the detectors' update, the whole of a tick. Here every list of numbers is
// written as integer codes n = x · 10^k in the fewest whole bytes that hold them (the state's
// numbers are rounded to a few significant digits), k one power of ten for the list, used only when
// n / 10^k gives back the very double for every value; otherwise as raw float64. Other numbers are
// varints or float64, strings UTF-8, object keys written once per body and then by index.
// The value read back is the one JSON would give back: NaN and ±Infinity become null, −0 becomes 0,
// undefined members are left out (null in an array), so the detectors' outputs cannot change.

/** A body that is not a value this codec wrote (truncated, corrupt, or of another format). */
export class BinaryValueError extends Error {
  constructor(message: string, cause?: unknown) {
    super(`models body corrupt: ${message}`, cause === undefined ? undefined : { cause });
    this.name = 'BinaryValueError';
  }
}

/** String.prototype.isWellFormed (Node 20; not in the ES2023 typings the project compiles with). */
type WellFormed = string & { isWellFormed(): boolean };

const enum Tag {
  Null = 0,
  False = 1,
  True = 2,
  /** A 32-bit integer, zigzag varint. */
  Int = 3,
  Float = 4,
  String = 5,
  Array = 6,
  /** Keys (by the key table) and values, up to a 0 key. */
  Object = 7,
  /** count, width (bytes), k + 22, then count codes + offset, little-endian. */
  Decimals = 8,
  /** count, then count float64, little-endian. */
  Floats = 9,
  /** A string with a lone surrogate (no UTF-8 of it): length, then UTF-16 code units. */
  Utf16 = 10,
}

/** The exact powers of ten (every one up to 1e22 is a double exactly). */
const POW10 = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));
/** Bytes per code, tried narrowest first. */
const WIDTHS = [1, 2, 3, 4, 5, 6, 7] as const;
/** Added to a code so it is stored non-negative; at most 2^52, so code + offset stays exact. */
const OFFSETS = WIDTHS.map((w) => Math.min(2 ** (8 * w - 1), 2 ** 52));
/** Shorter number lists are written value by value. */
const MIN_LIST = 2;
const TWO_32 = 0x100000000;

// One buffer per container, grown as needed: a save allocates only the bytes it returns.
let out = Buffer.alloc(1 << 16);
let view = new DataView(out.buffer, out.byteOffset, out.byteLength);
let at = 0;
/** Keys met in bodies written so far, and which body is being written with how many keys so far. */
const keys = new Map<string, KeySlot>();
const MAX_KEPT_KEYS = 4096;
let body = 0;
let keyCount = 0;

function reserve(n: number): void {
  if (at + n <= out.length) return;
  const bigger = Buffer.alloc(Math.max(out.length * 2, at + n));
  out.copy(bigger, 0, 0, at);
  out = bigger;
  view = new DataView(out.buffer, out.byteOffset, out.byteLength);
}

function writeVarint(u: number): void {
  reserve(5);
  while (u >= 0x80) {
    out[at++] = (u & 0x7f) | 0x80;
    u >>>= 7;
  }
  out[at++] = u;
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** A short ASCII string: its bytes as they are. */
function writeAscii(s: string): void {
  const n = s.length;
  writeVarint(n);
  reserve(n);
  for (let i = 0; i < n; i++) out[at++] = s.charCodeAt(i);
}

/** A well-formed string: length-prefixed UTF-8. */
function writeUtf8(s: string): void {
  const bytes = Buffer.byteLength(s, 'utf8');
  writeVarint(bytes);
  reserve(bytes);
  at += out.write(s, at, 'utf8');
}

function writeNumber(x: number): void {
  reserve(9);
  if ((x | 0) === x) {
    // −0 | 0 is 0: written as 0, as JSON prints it.
    out[at++] = Tag.Int;
    writeVarint(((x << 1) ^ (x >> 31)) >>> 0);
  } else if (x - x === 0) {
    out[at++] = Tag.Float;
    view.setFloat64(at, x, true);
    at += 8;
  } else {
    out[at++] = Tag.Null; // NaN, ±Infinity: JSON's null.
  }
}

/** The largest k in −22…22 with max · 10^k below the limit, or null. */
function scaleFor(max: number, limit: number): number | null {
  if (max === 0) return 0;
  let k = Math.min(22, Math.floor(Math.log10(limit / max)));
  // log10 may be off by one at a boundary: step down until max · 10^k fits.
  while (k >= -22 && (k >= 0 ? max * POW10[k]! : max / POW10[-k]!) >= limit) k--;
  return k < -22 ? null : k;
}

/** The list's codes at 10^k, `width` bytes each, from `start`; false when a value is not exact. */
function writeCodes(
  xs: readonly number[],
  width: number,
  offset: number,
  k: number,
  start: number,
) {
  const up = k >= 0;
  const p = POW10[up ? k : -k]!;
  let o = start;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    const n = Math.round(up ? x * p : x / p);
    if ((up ? n / p : n * p) !== x) return false;
    let u = n + offset;
    if (width <= 4) {
      for (let d = 0; d < width; d++, u >>>= 8) out[o++] = u & 0xff;
    } else {
      const high = Math.floor(u / TWO_32);
      let low = u - high * TWO_32;
      for (let d = 0; d < 4; d++, low >>>= 8) out[o++] = low & 0xff;
      u = high;
      for (let d = 4; d < width; d++, u >>>= 8) out[o++] = u & 0xff;
    }
  }
  return true;
}

/** The largest |x| and the smallest non-zero |x| of the list scanned last (by isNumberList). */
let listMax = 0;
let listSmallest = Infinity;

/** Finite numbers (scanned by isNumberList just before): as decimal codes when some scale gives
 *  every value back, else as float64. */
function writeNumbers(xs: readonly number[]): void {
  const max = listMax;
  // The smallest non-zero value needs the most decimals: tried first, it rules a width out quickly.
  const smallest = listSmallest;
  const n = xs.length;
  reserve(4 + 5 + n * 8);
  const headerAt = at;
  out[at++] = Tag.Decimals;
  writeVarint(n);
  const codesAt = at + 2;
  for (let w = 0; w < WIDTHS.length; w++) {
    const width = WIDTHS[w]!;
    const offset = OFFSETS[w]!;
    const k = scaleFor(max, offset);
    if (k === null) continue;
    if (smallest < Infinity) {
      const p = POW10[k >= 0 ? k : -k]!;
      const code = Math.round(k >= 0 ? smallest * p : smallest / p);
      if ((k >= 0 ? code / p : code * p) !== smallest) continue;
    }
    if (!writeCodes(xs, width, offset, k, codesAt)) continue;
    out[at] = width;
    out[at + 1] = k + 22;
    at = codesAt + n * width;
    return;
  }
  at = headerAt;
  out[at++] = Tag.Floats;
  writeVarint(n);
  for (let i = 0; i < n; i++, at += 8) view.setFloat64(at, xs[i]! + 0, true); // −0 + 0 is 0.
}

/** Numbers only, every one finite, long enough for a list header to pay; one pass that also
 *  finds what writeNumbers needs (listMax, listSmallest). */
function isNumberList(xs: readonly unknown[]): xs is number[] {
  if (xs.length < MIN_LIST) return false;
  let max = 0;
  let smallest = Infinity;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    if (typeof x !== 'number' || x - x !== 0) return false;
    const a = x < 0 ? -x : x;
    if (a > max) max = a;
    if (a < smallest && a > 0) smallest = a;
  }
  listMax = max;
  listSmallest = smallest;
  return true;
}

/** A key's place in the body being written (valid while `body` is the current body) and its UTF-8. */
interface KeySlot {
  body: number;
  index: number;
  utf8: Buffer;
}

function writeKey(key: string): void {
  let slot = keys.get(key);
  if (slot === undefined) {
    // The container's keys are the few of a state, met again in every body: kept across bodies
    // (bounded, for a store whose keys would not repeat), so a body only stamps them.
    if (keys.size >= MAX_KEPT_KEYS) keys.clear();
    slot = { body: -1, index: 0, utf8: Buffer.from(key, 'utf8') };
    keys.set(key, slot);
  }
  if (slot.body === body) {
    writeVarint((slot.index + 1) << 1);
    return;
  }
  slot.body = body;
  slot.index = keyCount++;
  const bytes = slot.utf8;
  writeVarint((bytes.length << 1) | 1);
  reserve(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[at++] = bytes[i]!;
}

function writeValue(value: unknown): void {
  switch (typeof value) {
    case 'number':
      writeNumber(value);
      return;
    case 'string':
      reserve(1);
      // Short ASCII is checked and copied here; longer strings go to the native UTF-8 encoder.
      if (value.length < 64 && isAscii(value)) {
        out[at++] = Tag.String;
        writeAscii(value);
      } else if ((value as WellFormed).isWellFormed()) {
        out[at++] = Tag.String;
        writeUtf8(value);
      } else {
        out[at++] = Tag.Utf16;
        writeVarint(value.length);
        reserve(2 * value.length);
        for (let i = 0; i < value.length; i++, at += 2)
          view.setUint16(at, value.charCodeAt(i), true);
      }
      return;
    case 'boolean':
      reserve(1);
      out[at++] = value ? Tag.True : Tag.False;
      return;
    case 'object':
      break;
    default:
      // undefined, functions, symbols: null in an array, as JSON writes them (objects skip them).
      reserve(1);
      out[at++] = Tag.Null;
      return;
  }
  if (value === null) {
    reserve(1);
    out[at++] = Tag.Null;
  } else if (Array.isArray(value)) {
    if (isNumberList(value)) {
      writeNumbers(value);
      return;
    }
    reserve(1);
    out[at++] = Tag.Array;
    writeVarint(value.length);
    for (let i = 0; i < value.length; i++) writeValue(value[i]);
  } else {
    reserve(1);
    out[at++] = Tag.Object;
    const object = value as Record<string, unknown>;
    for (const key in object) {
      const v = object[key];
      if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
      writeKey(key);
      writeValue(v);
    }
    writeVarint(0);
  }
}

/** The value's bytes after `prefix` (a format header), in a buffer of their own. */
export function encodeValue(value: unknown, prefix: readonly number[] = []): Buffer {
  at = 0;
  body++;
  keyCount = 0;
  reserve(prefix.length);
  for (const b of prefix) out[at++] = b;
  writeValue(value);
  const bytes = Buffer.allocUnsafe(at);
  out.copy(bytes, 0, 0, at);
  return bytes;
}

class Reader {
  at: number;
  /** The keys this body has written in full so far, by index (decoded once a body). */
  private readonly keys: string[] = [];
  private readonly view: DataView;
  private readonly end: number;

  constructor(
    private readonly bytes: Uint8Array,
    start: number,
  ) {
    this.at = start;
    this.end = bytes.length;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private need(n: number): void {
    if (this.at + n > this.end)
      throw new BinaryValueError(`ends at byte ${this.end}, ${n} more needed`);
  }

  private byte(): number {
    if (this.at >= this.end) this.need(1);
    return this.bytes[this.at++]!;
  }

  private varint(): number {
    // One byte (tags' counts, key indexes, small integers) read straight; longer ones byte by byte.
    const at = this.at;
    if (at < this.end) {
      const b = this.bytes[at]!;
      if (b < 0x80) {
        this.at = at + 1;
        return b;
      }
    }
    let u = 0;
    for (let scale = 1, i = 0; i < 5; i++, scale *= 0x80) {
      const b = this.byte();
      u += (b & 0x7f) * scale;
      if (b < 0x80) return u;
    }
    throw new BinaryValueError(`varint too long at byte ${this.at}`);
  }

  private utf8(n: number): string {
    this.need(n);
    const b = this.bytes;
    const start = this.at;
    this.at += n;
    if (n < 32) {
      let s = '';
      for (let i = start; i < start + n; i++) {
        const c = b[i]!;
        if (c > 0x7f) return Buffer.from(b.buffer, b.byteOffset + start, n).toString('utf8');
        s += String.fromCharCode(c);
      }
      return s;
    }
    return Buffer.from(b.buffer, b.byteOffset + start, n).toString('utf8');
  }

  private decimals(): number[] {
    const n = this.varint();
    const width = this.byte();
    const k = this.byte() - 22;
    if (width < 1 || width > 7 || k < -22 || k > 22)
      throw new BinaryValueError(`number list of width ${width}, scale ${k} at byte ${this.at}`);
    this.need(n * width);
    const offset = OFFSETS[width - 1]!;
    const b = this.bytes;
    const o = this.at;
    this.at = o + n * width;
    // Grown by push, not preallocated: a holey array would slow every later read of the state.
    // The value is n / 10^k (or n · 10^-k) exactly as written, per width only the read differs.
    const xs: number[] = [];
    if (k >= 0) {
      const p = POW10[k]!;
      if (width === 1) for (let i = o; i < o + n; i++) xs.push((b[i]! - offset) / p);
      else if (width === 2)
        for (let i = o; i < o + 2 * n; i += 2) xs.push(((b[i]! | (b[i + 1]! << 8)) - offset) / p);
      else if (width === 3)
        for (let i = o; i < o + 3 * n; i += 3)
          xs.push(((b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16)) - offset) / p);
      else for (let i = 0; i < n; i++) xs.push((wideCode(b, o + i * width, width) - offset) / p);
    } else {
      const p = POW10[-k]!;
      if (width === 1) for (let i = o; i < o + n; i++) xs.push((b[i]! - offset) * p);
      else if (width === 2)
        for (let i = o; i < o + 2 * n; i += 2) xs.push(((b[i]! | (b[i + 1]! << 8)) - offset) * p);
      else if (width === 3)
        for (let i = o; i < o + 3 * n; i += 3)
          xs.push(((b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16)) - offset) * p);
      else for (let i = 0; i < n; i++) xs.push((wideCode(b, o + i * width, width) - offset) * p);
    }
    return xs;
  }

  private floats(): number[] {
    const n = this.varint();
    this.need(n * 8);
    const xs: number[] = [];
    const view = this.view;
    const o = this.at;
    for (let i = o; i < o + 8 * n; i += 8) xs.push(view.getFloat64(i, true));
    this.at = o + 8 * n;
    return xs;
  }

  private key(): string | null {
    const v = this.varint();
    if (v === 0) return null;
    if (v & 1) {
      const key = this.utf8(v >>> 1);
      this.keys.push(key);
      return key;
    }
    const key = this.keys[(v >>> 1) - 1];
    if (key === undefined) throw new BinaryValueError(`unknown key index at byte ${this.at}`);
    return key;
  }

  private object(): Record<string, unknown> {
    const object: Record<string, unknown> = {};
    for (let key = this.key(); key !== null; key = this.key()) {
      const value = this.value();
      // As JSON.parse does: a key named __proto__ is a member, not the prototype.
      if (key === '__proto__')
        Object.defineProperty(object, key, {
          value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      else object[key] = value;
    }
    return object;
  }

  private array(): unknown[] {
    const n = this.varint();
    // Each element takes at least one byte: a corrupt count fails here, not in an allocation.
    this.need(n);
    const xs: unknown[] = [];
    for (let i = 0; i < n; i++) xs.push(this.value());
    return xs;
  }

  value(): unknown {
    const tag = this.byte();
    switch (tag) {
      case Tag.Null:
        return null;
      case Tag.False:
        return false;
      case Tag.True:
        return true;
      case Tag.Int: {
        const z = this.varint();
        return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
      }
      case Tag.Float:
        this.need(8);
        this.at += 8;
        return this.view.getFloat64(this.at - 8, true);
      case Tag.String:
        return this.utf8(this.varint());
      case Tag.Utf16: {
        const n = this.varint();
        this.need(2 * n);
        let text = '';
        for (let i = 0; i < n; i++, this.at += 2)
          text += String.fromCharCode(this.view.getUint16(this.at, true));
        return text;
      }
      case Tag.Array:
        return this.array();
      case Tag.Object:
        return this.object();
      case Tag.Decimals:
        return this.decimals();
      case Tag.Floats:
        return this.floats();
      default:
        throw new BinaryValueError(`unknown tag ${tag} at byte ${this.at - 1}`);
    }
  }
}

/** A 4- to 7-byte little-endian code from `o` (below 2^53: exact). */
function wideCode(b: Uint8Array, o: number, width: number): number {
  let u = 0;
  for (let d = width - 1; d >= 4; d--) u = u * 256 + b[o + d]!;
  return u * TWO_32 + (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16)) + b[o + 3]! * 0x1000000;
}

/** The value encodeValue wrote from byte `start` on; every byte must belong to it. */
export function decodeValue(bytes: Uint8Array, start = 0): unknown {
  const reader = new Reader(bytes, start);
  const value = reader.value();
  if (reader.at !== bytes.length)
    throw new BinaryValueError(`${bytes.length - reader.at} byte(s) after the value`);
  return value;
}
