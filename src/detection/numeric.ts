// Small numeric helpers shared by the detector's parts, written so no input (1e300, 1e-300, NaN)
// can push a NaN or an Infinity into a series' state.

export function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

/** x when finite, else the fallback: the last line of defence for state fields. */
export function finiteOr(x: number, fallback: number): number {
  return Number.isFinite(x) ? x : fallback;
}

/** Exponentially weighted step towards a target, with the weight floored at 1/n so early estimates are plain means. */
export function ewStep(current: number, target: number, alpha: number, n: number): number {
  const a = Math.max(alpha, 1 / Math.max(n, 1));
  return finiteOr(current + a * (target - current), current);
}

/** Rounds to 7 significant digits: enough for a baseline, and it keeps the JSON state small. */
export function compact(x: number): number {
  return coarse(x, 7);
}

/** Exact powers of ten (every one up to 1e22 is a double exactly). */
const POW10 = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));
/** Veltkamp's splitter for doubles: 2^27 + 1. */
const SPLITTER = 134_217_729;

/** The rounding error of a·b (exactly a·b − fl(a·b), Dekker's product; no overflow here). */
function productError(a: number, b: number, p: number): number {
  const ca = SPLITTER * a;
  const ah = ca - (ca - a);
  const al = a - ah;
  const cb = SPLITTER * b;
  const bh = cb - (cb - b);
  const bl = b - bh;
  return ah * bh - p + ah * bl + al * bh + al * bl;
}

/**
 * Rounds to `digits` (1–15) significant digits, for state arrays where 7 would only cost JSON
 * time. Exactly `Number(x.toPrecision(digits))`, without building a string: the mantissa
 * `|x| × 10^k` is rounded to an integer n and n / 10^k is one correctly rounded division, the same
 * double the string would parse to. The exponent is found by comparison (no logarithm). Where the
 * product's own rounding (at most half an ulp of the mantissa) could decide the digit, its exact
 * error (Dekker's product) decides it, a tie going up as toPrecision's does; beyond the powers of
 * ten that are exact doubles, or when the exponent guess is off, it falls back to the string.
 * On the detector's path once for most numbers of the state, every point.
 */
export function coarse(x: number, digits: number): number {
  if (x === 0 || !Number.isFinite(x)) return Number.isFinite(x) ? x : 0;
  const a = x < 0 ? -x : x;
  if (digits > 15 || !(a >= 1e-15 && a < 1e15)) return Number(x.toPrecision(digits));
  // k = digits − 1 − ⌊log10 a⌋, by exact powers of ten (a wrong guess is caught below).
  let k = digits - 1;
  if (a >= 1) {
    for (let p = 10; a >= p; p *= 10) k--;
  } else {
    for (let p = 1; a * p < 1; p *= 10) k++;
  }
  if (k > 22 || k < -22) return Number(x.toPrecision(digits));
  const m = k >= 0 ? a * POW10[k]! : a / POW10[-k]!;
  if (m < POW10[digits - 1]! || m >= POW10[digits]! - 0.5) return Number(x.toPrecision(digits));
  let n = Math.floor(m + 0.5);
  const half = m - Math.floor(m) - 0.5;
  // The product is within half an ulp (≤ m·2^-53) of a·10^k: only that close to a half can it
  // have rounded across one.
  const near = m * 4.5e-16;
  if (half < near && half > -near) {
    if (k < 0) return Number(x.toPrecision(digits));
    const above = half + productError(a, POW10[k]!, m);
    n = above >= 0 ? Math.floor(m) + 1 : Math.floor(m);
  }
  const y = k >= 0 ? n / POW10[k]! : n * POW10[-k]!;
  return x < 0 ? -y : y;
}

export function formatValue(n: number): string {
  const a = Math.abs(n);
  if (a === 0) return '0';
  if (a >= 1e6 || a < 1e-3) return n.toExponential(2);
  if (a >= 100) return n.toFixed(0);
  if (a >= 1) return n.toFixed(1);
  return n.toPrecision(2);
}
