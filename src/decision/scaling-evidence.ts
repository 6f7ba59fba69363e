// How sure target scaling is that the load moved (issues 14 and 18): a step on CloudWatch samples
// goes when the mean of the latest readings is past what the tasks carry by more than EVIDENCE_Z
// standard errors of the series' own noise, measured over target scaling's own samples. A strong
// jump acts on one reading; an excess of the size of the noise needs several; a service sized at
// its target whose minutes wander by about the tolerance is left alone. A fixed count of readings
// did neither: it let three noisy minutes through and made every real rise wait three minutes.
import type { MetricProposal } from './metric-proposals';
import type { MeasuredLoads, ScalingState } from './scaling-state';

/**
 * Standard errors of the readings' mean by which the load must be past the count (scale-out), or
 * that a scale-in keeps below the new count. One global value, chosen on the tuning traces and
 * seeds (docs/benchmarks/scaling.md, ninth round).
 */
export const EVIDENCE_Z = 3;
/** Weight of the newest sample's change in the smoothed noise: about the last ten minutes. */
const NOISE_SMOOTHING = 0.1;
/** A change this many times the smoothed one is a step of the load, not noise: counted as that. */
const NOISE_CLIP = 2.5;
/** Two independent readings of noise σ differ by 2σ/√π on average: σ = mean |Δ| × √π / 2. */
const CHANGE_TO_SIGMA = Math.sqrt(Math.PI) / 2;

export const MEASURED_SIGNALS = ['cpu', 'memory', 'requests'] as const;
export type MeasuredSignal = (typeof MEASURED_SIGNALS)[number];

type Noise = ScalingState['noise'];
type Readings = ScalingState['readings'];

/** Each measured signal's load in tasks at target: its ratio to target × the tasks that made it. */
export function loadsOf(proposals: readonly MetricProposal[], producers: number): MeasuredLoads {
  const out: MeasuredLoads = {};
  for (const p of proposals) {
    const signal = p.signal as MeasuredSignal;
    if (MEASURED_SIGNALS.includes(signal) && Number.isFinite(p.ratio) && producers > 0) {
      out[signal] = p.ratio * producers;
    }
  }
  return out;
}

/**
 * Adds a sample's loads to the noise: the relative change from the previous sample, smoothed.
 * Samples further apart than `gapMs` start afresh from the last value known. Before any change is
 * seen the noise is the tolerance: the band the service's owner said is noise.
 */
export function rememberNoise(
  noise: Noise,
  loads: MeasuredLoads,
  at: number,
  tolerance: number,
  gapMs: number,
): Noise {
  const out: Noise = { ...noise };
  for (const signal of MEASURED_SIGNALS) {
    const load = loads[signal];
    if (load === undefined) continue;
    const prev = noise[signal];
    const prior = prev?.change ?? tolerance / CHANGE_TO_SIGMA;
    if (!prev || at <= prev.at || at - prev.at > gapMs) {
      out[signal] = { at, last: load, change: prior };
      continue;
    }
    const scale = (load + prev.last) / 2;
    const change = scale > 0 ? Math.abs(load - prev.last) / scale : 0;
    const clipped = Math.min(change, NOISE_CLIP * prior);
    out[signal] = {
      at,
      last: load,
      change: (1 - NOISE_SMOOTHING) * prior + NOISE_SMOOTHING * clipped,
    };
  }
  return out;
}

/** One reading's noise of a signal, relative to its level (the tolerance until measured). */
export function relativeNoise(noise: Noise, signal: MeasuredSignal, tolerance: number): number {
  const n = noise[signal];
  return n ? Math.max(n.change * CHANGE_TO_SIGMA, 1e-6) : Math.max(tolerance, 1e-6);
}

export interface Evidence {
  signal: MeasuredSignal;
  /** How far the mean load is past the count, in standard errors of that mean. */
  z: number;
  /** Readings in that mean, the latest included. */
  readings: number;
  /** Their mean load over the count (1.2: 20 % past what the tasks carry at target). */
  ratio: number;
}

/**
 * The strongest evidence that the load is past what `count` tasks carry at target: for each signal
 * past the tolerance now, the readings in a row before this one that asked for more (each within
 * `windowMs` of the next), and of the latest m of them (m from the signal's minimum up), the mean's
 * distance past the count in standard errors. A reading that asked for nothing breaks the run: one
 * blip cannot carry calm minutes at the target. A reading that asked on another signal (the
 * forecast, the requests) keeps it: a slow ramp's noisy minutes do not all cross the tolerance on
 * one signal. Null when no signal is past the tolerance now; z is -Infinity when the run is
 * shorter than the signal's minimum.
 */
export function scaleOutEvidence(
  current: MeasuredLoads,
  earlier: Readings,
  at: number,
  count: number,
  noise: Noise,
  tolerance: number,
  windowMs: number,
  minReadings: (signal: MeasuredSignal) => number,
): Evidence | null {
  const before = [...earlier].filter((r) => r.at <= at).sort((a, b) => b.at - a.at);
  const asks = (load: number | undefined): load is number =>
    load !== undefined && load > count * (1 + tolerance);
  let best: Evidence | null = null;
  for (const signal of MEASURED_SIGNALS) {
    const now = current[signal];
    if (!asks(now) || count <= 0) continue;
    const run = [now];
    let from = at;
    for (const r of before) {
      const load = r.loads?.[signal];
      if (r.at < from - windowMs || load === undefined || !(r.desired > count)) break;
      run.push(load);
      from = r.at;
    }
    const sigma = relativeNoise(noise, signal, tolerance);
    const min = Math.max(1, minReadings(signal));
    let found: Evidence = { signal, z: -Infinity, readings: run.length, ratio: now / count };
    let sum = 0;
    for (let m = 1; m <= run.length; m++) {
      sum += run[m - 1]!;
      if (m < min) continue;
      const ratio = sum / m / count;
      const z = ((ratio - 1) * Math.sqrt(m)) / sigma;
      if (z > found.z) found = { signal, z, readings: m, ratio };
    }
    if (!best || found.z > best.z) best = found;
  }
  return best;
}

/** A signal's mean load over the readings within `windowMs` (the latest included), and how many. */
export function windowMean(
  current: MeasuredLoads,
  earlier: Readings,
  at: number,
  windowMs: number,
  signal: MeasuredSignal,
): { mean: number; readings: number } | null {
  const now = current[signal];
  if (now === undefined) return null;
  const values = [
    now,
    ...earlier
      .filter((r) => r.at < at && r.at > at - windowMs)
      .flatMap((r) => r.loads?.[signal] ?? []),
  ];
  return { mean: values.reduce((a, b) => a + b, 0) / values.length, readings: values.length };
}

/**
 * The most tasks the load may need, surely: over each signal's readings within the scale-in
 * window (the latest included), their mean plus EVIDENCE_Z standard errors, the highest of the
 * signals. Null without a measured signal.
 */
export function loadUpperBound(
  current: MeasuredLoads,
  earlier: Readings,
  at: number,
  windowMs: number,
  noise: Noise,
  tolerance: number,
): number | null {
  let bound: number | null = null;
  for (const signal of MEASURED_SIGNALS) {
    const w = windowMean(current, earlier, at, windowMs, signal);
    if (!w) continue;
    const sigma = relativeNoise(noise, signal, tolerance);
    const upper = w.mean * (1 + (EVIDENCE_Z * sigma) / Math.sqrt(w.readings));
    bound = bound === null ? upper : Math.max(bound, upper);
  }
  return bound;
}
