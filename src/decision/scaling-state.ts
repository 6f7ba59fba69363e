// What the scaler remembers between ticks: last actions (for cooldowns) and a short history of
// recommendations (for scale-in stabilisation). Small and JSON-serialisable; the caller stores it.
import { z } from 'zod';

export const scalingRecommendationSchema = z.strictObject({
  /** Epoch milliseconds. */
  at: z.number().int(),
  desired: z.number().int().min(0),
});

/**
 * The load a target-scaling reading measured, per signal, in tasks at target (the signal's ratio to
 * its target times the tasks that produced it): comparable across readings whatever the count was.
 */
export const measuredLoadsSchema = z.strictObject({
  cpu: z.number().min(0).optional(),
  memory: z.number().min(0).optional(),
  requests: z.number().min(0).optional(),
});
export type MeasuredLoads = z.infer<typeof measuredLoadsSchema>;

export const targetReadingSchema = scalingRecommendationSchema.extend({
  loads: measuredLoadsSchema.optional(),
});

/** A signal's own noise between samples: its last load and the smoothed relative change. */
export const signalNoiseSchema = z.strictObject({
  at: z.number().int(),
  last: z.number().min(0),
  /** Exponentially smoothed |Δload| ÷ load between consecutive samples. */
  change: z.number().min(0),
});

export const scalingStateSchema = z
  .strictObject({
    lastScaleOutAt: z.number().int().nullable().default(null),
    lastScaleInAt: z.number().int().nullable().default(null),
    recommendations: z.array(scalingRecommendationSchema).default([]),
    /** Time of the newest reading target scaling used: older or repeated readings are ignored. */
    lastReadingAt: z.number().int().nullable().default(null),
    /**
     * The running counts ECS reported when target scaling looked (epoch ms), a run of equal counts
     * kept as its first and last sighting: which tasks produced a datapoint a minute or two old.
     */
    tasksSeen: z
      .array(z.strictObject({ at: z.number().int(), running: z.number().min(0) }))
      .default([]),
    /**
     * What target scaling's own latest readings asked for (their time, the measured recommendation),
     * newest last, at most READINGS_KEPT: a scale-out on sampled data is confirmed by readings of
     * earlier samples, never by an anomaly decision's plan on the same sample.
     */
    readings: z.array(targetReadingSchema).default([]),
    /** Each measured signal's noise over target scaling's own samples (scaling-evidence.ts). */
    noise: z
      .strictObject({
        cpu: signalNoiseSchema.optional(),
        memory: signalNoiseSchema.optional(),
        requests: signalNoiseSchema.optional(),
      })
      .default({}),
  })
  .prefault({});
export type ScalingState = z.infer<typeof scalingStateSchema>;

export const emptyScalingState = (): ScalingState => ({
  lastScaleOutAt: null,
  lastScaleInAt: null,
  recommendations: [],
  lastReadingAt: null,
  tasksSeen: [],
  readings: [],
  noise: {},
});

/** Target-scaling readings kept: a scale-out's run, and a scale-in's stabilisation window. */
export const READINGS_KEPT = 5;

/** Adds what a target-scaling reading asked for (and measured), keeping the newest READINGS_KEPT. */
export function rememberReading(
  readings: ScalingState['readings'],
  at: number,
  desired: number,
  loads?: MeasuredLoads,
): ScalingState['readings'] {
  const entry = loads ? { at, desired, loads } : { at, desired };
  return [...readings.filter((r) => r.at < at), entry].slice(-READINGS_KEPT);
}

/** Sightings older than this (and before the newest older one) can no longer pair with a reading. */
const TASKS_SEEN_MS = 10 * 60_000;

/** Adds what ECS reports running now to the sightings, keeping a run of equal counts as two. */
export function rememberTasksSeen(
  seen: ScalingState['tasksSeen'],
  running: number,
  nowMs: number,
): ScalingState['tasksSeen'] {
  const out = seen.filter((s) => s.at < nowMs);
  const n = out.length;
  if (n >= 2 && out[n - 1]!.running === running && out[n - 2]!.running === running) {
    out[n - 1] = { at: nowMs, running };
  } else out.push({ at: nowMs, running });
  const keepFrom = out.findLastIndex((s) => s.at <= nowMs - TASKS_SEEN_MS);
  return keepFrom > 0 ? out.slice(keepFrom) : out;
}

/**
 * The average number of tasks running over [fromMs, toMs] from the sightings: between two
 * sightings of different counts, the change is placed halfway. Null when no sighting covers the
 * window (the first reading after a gap).
 */
export function tasksDuring(
  seen: ScalingState['tasksSeen'],
  fromMs: number,
  toMs: number,
): number | null {
  if (seen.length === 0 || toMs <= fromMs) return null;
  // Piecewise-constant count: from each breakpoint on, a value.
  const pieces: { from: number; running: number }[] = [
    { from: seen[0]!.at, running: seen[0]!.running },
  ];
  for (let i = 1; i < seen.length; i++) {
    const a = seen[i - 1]!;
    const b = seen[i]!;
    if (a.running !== b.running) pieces.push({ from: (a.at + b.at) / 2, running: b.running });
  }
  let weighted = 0;
  let covered = 0;
  for (let i = 0; i < pieces.length; i++) {
    const start = Math.max(pieces[i]!.from, fromMs);
    const end = Math.min(i + 1 < pieces.length ? pieces[i + 1]!.from : Infinity, toMs);
    if (end <= start) continue;
    weighted += pieces[i]!.running * (end - start);
    covered += end - start;
  }
  return covered > 0 ? weighted / covered : null;
}

/**
 * Adds a recommendation and forgets those older than the window, so the state stays bounded. Newer
 * ones stay: an anomaly decision plans at its anomaly's minute, target scaling at the end of its
 * reading, so one may come in behind the other, and forgetting a later recommendation could let a
 * scale-in through early.
 */
export function rememberRecommendation(
  state: ScalingState,
  desired: number,
  nowMs: number,
  windowSeconds: number,
): ScalingState {
  const horizon = nowMs - windowSeconds * 1000;
  return {
    ...state,
    recommendations: [
      ...state.recommendations.filter((r) => r.at > horizon),
      { at: nowMs, desired },
    ],
  };
}

/** The highest recommendation in the window: scale in only as far as every recent tick agreed. */
export function stabilisedRecommendation(state: ScalingState): number | null {
  if (state.recommendations.length === 0) return null;
  return Math.max(...state.recommendations.map((r) => r.desired));
}
