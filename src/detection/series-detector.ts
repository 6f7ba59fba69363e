// The contract every streaming detector meets: one point in, a judgement out, state as small JSON.
import type { Direction, Severity } from '../model/common';

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
