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
  if (x === 0 || !Number.isFinite(x)) return Number.isFinite(x) ? x : 0;
  return Number(x.toPrecision(7));
}

/** Rounds to `digits` significant digits, for state arrays where 7 would only cost JSON time. */
export function coarse(x: number, digits: number): number {
  if (x === 0 || !Number.isFinite(x)) return Number.isFinite(x) ? x : 0;
  return Number(x.toPrecision(digits));
}

export function formatValue(n: number): string {
  const a = Math.abs(n);
  if (a === 0) return '0';
  if (a >= 1e6 || a < 1e-3) return n.toExponential(2);
  if (a >= 100) return n.toFixed(0);
  if (a >= 1) return n.toFixed(1);
  return n.toPrecision(2);
}
