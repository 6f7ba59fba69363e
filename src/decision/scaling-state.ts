// What the scaler remembers between ticks: last actions (for cooldowns) and a short history of
// recommendations (for scale-in stabilisation). Small and JSON-serialisable; the caller stores it.
import { z } from 'zod';

export const scalingRecommendationSchema = z.strictObject({
  /** Epoch milliseconds. */
  at: z.number().int(),
  desired: z.number().int().min(0),
});

export const scalingStateSchema = z
  .strictObject({
    lastScaleOutAt: z.number().int().nullable().default(null),
    lastScaleInAt: z.number().int().nullable().default(null),
    recommendations: z.array(scalingRecommendationSchema).default([]),
    /** Time of the newest reading target scaling used: older or repeated readings are ignored. */
    lastReadingAt: z.number().int().nullable().default(null),
  })
  .prefault({});
export type ScalingState = z.infer<typeof scalingStateSchema>;

export const emptyScalingState = (): ScalingState => ({
  lastScaleOutAt: null,
  lastScaleInAt: null,
  recommendations: [],
  lastReadingAt: null,
});

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
