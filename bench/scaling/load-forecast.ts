// Stand-in for the detector's "expected load for the next minutes" (SPEC D5) in the benchmark:
// Holt's linear trend on the observed request rate. Deliberately simple, so a win comes from the
// scaler's use of a forecast, not from a clairvoyant one; it sees only delayed datapoints.

export interface HoltForecaster {
  observe(value: number): void;
  /** Expected values for the next `minutes` minutes after the last observation. */
  forecast(minutes: number): number[];
}

export function holtForecaster(alpha = 0.5, beta = 0.3): HoltForecaster {
  let level: number | null = null;
  let trend = 0;
  return {
    observe(value) {
      if (level === null) {
        level = value;
        return;
      }
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
  };
}
