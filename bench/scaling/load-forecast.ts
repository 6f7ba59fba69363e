// Stand-in for the detector's "expected load for the next minutes" (SPEC D5) in the benchmark:
// Holt's linear trend on the observed request rate. Deliberately simple, so a win comes from the
// scaler's use of a forecast, not from a clairvoyant one; it sees only delayed datapoints.

export interface HoltForecaster {
  observe(value: number): void;
  /** Expected values for the next `minutes` minutes after the last observation. */
  forecast(minutes: number): number[];
  /** Upper edge of a z-sigma band around the forecast, widening with the horizon. */
  upper(minutes: number, z: number): number[];
}

export function holtForecaster(alpha = 0.5, beta = 0.3): HoltForecaster {
  let level: number | null = null;
  let trend = 0;
  let meanAbsError = 0;
  return {
    observe(value) {
      if (level === null) {
        level = value;
        return;
      }
      meanAbsError = 0.9 * meanAbsError + 0.1 * Math.abs(value - (level + trend));
      const previous = level;
      level = alpha * value + (1 - alpha) * (level + trend);
      trend = beta * (level - previous) + (1 - beta) * trend;
    },
    forecast(minutes) {
      if (level === null) return [];
      const l = level;
      // Only rising trends pre-scale; a falling one is left to the stabilised scale-in.
      return Array.from({ length: minutes }, (_, h) =>
        Math.max(0, l + Math.max(0, trend) * (h + 1)),
      );
    },
    upper(minutes, z) {
      // 1.25 × mean absolute error ≈ standard deviation for normal errors.
      const sigma = 1.25 * meanAbsError;
      return this.forecast(minutes).map((f, h) => f + z * sigma * Math.sqrt(h + 1));
    },
  };
}
