// Outputs for points the detector does not score: warming up, out of order, and gaps (a long
// silence is itself news once the series is warm).
import { clamp } from './numeric';
import type { DetectionOutput, SeriesPoint } from './series-detector';
import type { DetectorParams } from './vigia-params';
import type { VigiaState } from './vigia-state';

export function quiet(
  point: SeriesPoint,
  state: VigiaState,
  P: DetectorParams,
  explanation: string,
): DetectionOutput {
  return {
    timestamp: point.timestamp,
    value: point.value,
    score: 0,
    anomalous: false,
    direction: 'none',
    expected: state.n > 0 ? state.lvl : null,
    lower: null,
    upper: null,
    severity: 'info',
    explanation,
    zScore: null,
    warm: state.n >= P.warmup,
  };
}

export function gapOutput(
  state: VigiaState,
  point: SeriesPoint,
  P: DetectorParams,
): DetectionOutput {
  const missing = state.t !== null && state.dt > 0 ? (point.timestamp - state.t) / state.dt : 0;
  const minutes = state.t !== null ? Math.round((point.timestamp - state.t) / 60_000) : 0;
  const out = quiet(
    point,
    state,
    P,
    state.t === null ? 'no datapoint' : `no datapoint for ${minutes} min`,
  );
  if (out.warm && Number.isFinite(missing) && missing >= 5) {
    out.score = clamp(missing / (missing + 10), 0, 1);
    out.anomalous = out.score >= P.alertScore;
    out.severity = out.anomalous ? 'warning' : 'info';
  }
  return out;
}
