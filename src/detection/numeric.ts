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

/**
 * Rounds to `digits` (1–15) significant digits, for state arrays where 7 would only cost JSON
 * time. Exactly `Number(x.toPrecision(digits))`, without building a string: the mantissa
 * `|x| × 10^k` is rounded to an integer n and n / 10^k is one correctly rounded division, the same
 * double the string would parse to. Where the product's own rounding (≤ 1e-8 at 15 digits) could
 * decide the digit — a mantissa near a half, a scale beyond 1e22, an exponent at a power of ten —
 * it falls back to the string.
 */
export function coarse(x: number, digits: number): number {
  if (x === 0 || !Number.isFinite(x)) return Number.isFinite(x) ? x : 0;
  const a = x < 0 ? -x : x;
  const k = digits - 1 - Math.floor(Math.log10(a));
  if (k > 22 || k < -22 || digits > 15) return Number(x.toPrecision(digits));
  const m = k >= 0 ? a * POW10[k]! : a / POW10[-k]!;
  const n = Math.floor(m + 0.5);
  const half = m - Math.floor(m) - 0.5;
  if (m < POW10[digits - 1]! || n >= POW10[digits]! || (half < 1e-6 && half > -1e-6)) {
    return Number(x.toPrecision(digits));
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
