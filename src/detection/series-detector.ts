// The contract every streaming detector meets: one point in, a judgement out, state as small JSON;
// and the load forecast composed beside a detector's state.
import type { Direction, Severity } from '../model/common';
import { compactLoad, initLoadForecast, learnLoad, type LoadForecastState } from './load-forecast';

export interface SeriesPoint {
  /** Epoch milliseconds of the observation. */
  timestamp: number;
  /** The observed value; null when the source had no datapoint (a gap). */
  value: number | null;
}

export interface DetectionOutput {
  timestamp: number;
  value: number | null;
  /** 0 = perfectly normal, 1 = as anomalous as the detector can say. Never NaN. */
  score: number;
  /** True when the score crossed this series' alert threshold and the model is warm. */
  anomalous: boolean;
  direction: Direction;
  expected: number | null;
  lower: number | null;
  upper: number | null;
  severity: Severity;
  /** One line a person understands, e.g. "cpu 92.0 is far above its usual 35.1 (band 28.0–42.3)". */
  explanation: string;
  /** The raw robust z of the point: residual from `expected` over the baseline's robust sigma
   *  (clipped at ±50), before any calibration; null when the point was not judged. */
  zScore: number | null;
  /** False while the model is still warming up: its scores are not yet trusted. */
  warm: boolean;
  /** Trend + seasonal forecast a short horizon ahead (SPEC D5); absent while warming up. */
  forecast?: { horizonMinutes: number; value: number };
}

export interface SeriesDetector<State> {
  readonly name: string;
  init(): State;
  update(state: State, point: SeriesPoint): { state: State; output: DetectionOutput };
}

/**
 * A detector that also keeps the load forecast (load-forecast.ts) of its series beside its own
 * state, under `lf`: one pass over the points teaches both, and the forecast pre-scaling uses is
 * saved with the model collect already writes.
 */
export function withLoadForecast<S extends object>(
  inner: SeriesDetector<S>,
): SeriesDetector<S & { lf?: LoadForecastState }> {
  return {
    name: inner.name,
    init: () => ({ ...inner.init(), lf: initLoadForecast() }),
    update(state, point) {
      const { state: next, output } = inner.update(state, point);
      const lf = learnLoad(state.lf ?? initLoadForecast(), point.timestamp, point.value);
      return { state: { ...next, lf: compactLoad(lf) }, output };
    },
  };
}
