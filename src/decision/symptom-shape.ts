// The shape of one symptom metric over the last minutes, measured against its own baseline and
// noise: how far the latest reading is from usual (in its noise, σ), whether the minutes before it
// were already away from usual, and whether it got there gradually (a climb) or in one jump (a
// blip, a step). The diagnosis's signatures read shapes instead of fixed levels, so "CPU up" means up
// for this service, whatever its usual level is.
import type { Anomaly } from '../model/anomaly';
import type { Sample } from '../model/sample';

export interface SymptomShape {
  metric: string;
  /** The usual level and its noise (robust σ): the detector's when it judged the metric, else the
   *  older part of the recent samples'. */
  baseline: number;
  sigma: number;
  /** Where the baseline came from: 'detector' when it judged the metric in the last minutes. */
  from: 'detector' | 'recent samples';
  latest: number;
  /** The latest reading's distance from usual, in σ. */
  z: number;
  /** The last readings' (the latest included) mean distance from usual, in σ of that mean: a shift
   *  that holds over several readings, not one reading's noise. */
  heldZ: number;
  /** The readings just before the latest: their mean distance from usual, in σ. */
  priorZ: number;
  /** The latest one-minute change, in σ. */
  jumpZ: number;
  /** The largest one-minute change (in the climb's direction up) among the held readings, in σ. */
  maxJumpZ: number;
  /** Least-squares slope over the recent readings, in σ per minute. */
  slopeZ: number;
  /** That slope over its standard error for readings of noise σ (a t statistic): a trend beyond
   *  noise, which a steady climb is before any one reading stands far out. */
  slopeT: number;
  /** Readings the shape was measured on. */
  points: number;
}

export const SHAPE = {
  /** Readings the "held" mean and the prior mean are taken over (the latest included for held). */
  heldReadings: 5,
  priorReadings: 3,
  /** Readings newer than this are the symptom; older ones in the window make the baseline. */
  recentMinutes: 8,
  /** The fewest older readings a baseline of its own needs. */
  minBaselineReadings: 8,
  /** The readings the slope is fitted on. */
  slopeReadings: 6,
  /** Only the detector's judgement of the last minutes speaks for the metric now (its baseline
   *  moves with the day; an anomaly of a quarter hour ago says nothing of now). */
  judgedWithinMinutes: 2,
  /** Two consecutive readings of pure noise differ by up to 3 σ of their difference (√2 σ each). */
  noiseJumpZ: 3 * Math.SQRT2,
};

/** Readings of `metric` at or before `now`, oldest first, one per timestamp. */
function readings(
  metric: string,
  samples: readonly Sample[],
  now: Date,
): Array<{ t: number; v: number }> {
  const byTime = new Map<number, number>();
  const nowMs = now.getTime();
  for (const s of samples) {
    const t = Date.parse(s.at);
    const v = s.metrics[metric];
    if (t > nowMs || v == null || !Number.isFinite(v)) continue;
    byTime.set(t, v);
  }
  return [...byTime.entries()].map(([t, v]) => ({ t, v })).sort((a, b) => a.t - b.t);
}

/** The detector's baseline and σ for the metric, from its latest anomaly of the last minutes. */
function detectorBaseline(
  metric: string,
  anomalies: readonly Anomaly[],
  now: Date,
): { baseline: number; sigma: number } | null {
  const judged = anomalies
    .filter(
      (a) =>
        a.metric === metric &&
        Date.parse(a.at) <= now.getTime() &&
        Date.parse(a.at) >= now.getTime() - SHAPE.judgedWithinMinutes * 60_000 &&
        (a.source ?? 'detector') === 'detector' &&
        a.expected != null &&
        a.zScore != null &&
        Math.abs(a.zScore) > 0,
    )
    .sort((a, b) => Date.parse(b.at) - Date.parse(a.at))[0];
  if (!judged) return null;
  const sigma = (judged.value - judged.expected!) / judged.zScore!;
  return sigma > 0 ? { baseline: judged.expected!, sigma } : null;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Median and robust σ (1.4826 × MAD, floored by the readings' resolution) of older readings. */
function ownBaseline(older: readonly number[]): { baseline: number; sigma: number } | null {
  if (older.length < SHAPE.minBaselineReadings) return null;
  const baseline = median(older);
  const mad = median(older.map((v) => Math.abs(v - baseline)));
  // A flat series (a count that stays 0) has no noise: a tiny floor keeps z finite.
  const sigma = Math.max(1.4826 * mad, 1e-3 * Math.max(1, Math.abs(baseline)));
  return { baseline, sigma };
}

/**
 * The metric's shape at `now`, from the service's recent samples and the anomalies the detector
 * raised on it; null when there are too few readings to tell.
 */
export function shapeOf(
  metric: string,
  samples: readonly Sample[],
  anomalies: readonly Anomaly[],
  now: Date,
): SymptomShape | null {
  const all = readings(metric, samples, now);
  if (all.length < SHAPE.heldReadings) return null;
  const recentFrom = now.getTime() - SHAPE.recentMinutes * 60_000;
  const judged = detectorBaseline(metric, anomalies, now);
  const base = judged ?? ownBaseline(all.filter((r) => r.t <= recentFrom).map((r) => r.v));
  if (!base) return null;
  const { baseline, sigma } = base;
  const z = (v: number) => (v - baseline) / sigma;
  const latest = all.at(-1)!.v;
  const held = all.slice(-SHAPE.heldReadings);
  const prior = all.slice(-1 - SHAPE.priorReadings, -1);
  const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const slopeOver = all.slice(-SHAPE.slopeReadings);
  return {
    metric,
    baseline,
    sigma,
    from: judged ? 'detector' : 'recent samples',
    latest,
    z: z(latest),
    heldZ: mean(held.map((r) => z(r.v))) * Math.sqrt(held.length),
    priorZ: prior.length ? mean(prior.map((r) => z(r.v))) : 0,
    jumpZ: (latest - all.at(-2)!.v) / sigma,
    maxJumpZ: Math.max(...held.slice(1).map((r, i) => (r.v - held[i]!.v) / sigma)),
    slopeZ: slopeOf(slopeOver) / sigma,
    slopeT: (slopeOf(slopeOver) / sigma) * Math.sqrt(spreadOf(slopeOver)),
    points: all.length,
  };
}

/** Σ (t − mean t)² in minutes²: the slope's standard error is σ over its square root. */
function spreadOf(points: ReadonlyArray<{ t: number }>): number {
  const xs = points.map((p) => p.t / 60_000);
  const mx = xs.reduce((a, b) => a + b, 0) / (xs.length || 1);
  return xs.reduce((a, x) => a + (x - mx) ** 2, 0);
}

/** Least-squares slope per minute. */
function slopeOf(points: ReadonlyArray<{ t: number; v: number }>): number {
  const n = points.length;
  if (n < 2) return 0;
  const xs = points.map((p) => p.t / 60_000);
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = points.reduce((a, p) => a + p.v, 0) / n;
  let sxx = 0;
  let sxy = 0;
  points.forEach((p, i) => {
    sxx += (xs[i]! - mx) ** 2;
    sxy += (xs[i]! - mx) * (p.v - my);
  });
  return sxx === 0 ? 0 : sxy / sxx;
}

/**
 * A climb up, not a blip or a step: the latest reading is away from usual, the last readings hold
 * above it or trend up beyond noise (their mean, or their slope, 3 of its standard errors), the
 * readings before the latest were already on their way (above usual on average, rising), and no
 * minute among them jumped further than noise and the climb allow — a one-minute jump far past the
 * noise is a blip or a step instead.
 */
export function isClimb(shape: SymptomShape): boolean {
  return (
    shape.z >= 2 &&
    (shape.heldZ >= 3 || shape.slopeT >= 3) &&
    shape.priorZ > 0 &&
    shape.slopeZ > 0 &&
    shape.maxJumpZ <= SHAPE.noiseJumpZ + shape.slopeZ
  );
}

/**
 * The metric is above (below) its usual level beyond noise: the last readings' mean by 2 σ of that
 * mean (a shift that holds, as a ramp's does before any one reading stands out), the latest reading
 * still on that side by its noise.
 */
export function isRaised(shape: SymptomShape | null, direction: 'up' | 'down' = 'up'): boolean {
  if (!shape) return false;
  const s = direction === 'up' ? 1 : -1;
  return s * shape.heldZ >= 2 && s * shape.z >= 1;
}

/**
 * Whether the metric was still away from usual (by 2 σ on average, in `direction`) over the
 * `minutes` before `untilMs`: an earlier anomaly that had passed by then was another fault, or noise.
 * Unknown (no readings in that span) counts as held.
 */
export function heldBefore(
  shape: SymptomShape,
  samples: readonly Sample[],
  untilMs: number,
  direction: 'up' | 'down',
  minutes = 3,
): boolean {
  const span = readings(shape.metric, samples, new Date(untilMs - 1)).filter(
    (r) => r.t >= untilMs - minutes * 60_000,
  );
  if (span.length === 0) return true;
  const meanZ = span.reduce((a, r) => a + (r.v - shape.baseline) / shape.sigma, 0) / span.length;
  return (direction === 'up' ? 1 : -1) * meanZ >= 2;
}

/** What a diagnosis reads shapes from: its recent samples, the open anomalies and the time. */
export interface ShapeSource {
  sample: Sample;
  history?: readonly Sample[];
  openAnomalies: readonly Anomaly[];
  now: Date;
}

const shapes = new WeakMap<ShapeSource, Map<string, SymptomShape | null>>();

/** The metric's shape over the input's samples (memoised per input); null without enough of them. */
export function shapeFor(input: ShapeSource, metric: string): SymptomShape | null {
  let known = shapes.get(input);
  if (!known) shapes.set(input, (known = new Map()));
  if (!known.has(metric)) {
    const samples = [...(input.history ?? []), input.sample];
    known.set(metric, shapeOf(metric, samples, input.openAnomalies, input.now));
  }
  return known.get(metric)!;
}

/** An open anomaly of the metric in that direction. */
export function hasOpenAnomaly(
  input: Pick<ShapeSource, 'openAnomalies'>,
  metric: string,
  direction: 'up' | 'down',
): boolean {
  return input.openAnomalies.some((a) => a.metric === metric && a.direction === direction);
}
