// A first streaming detector: robust z-score (median / MAD) over a sliding window that updates itself.
// The window excludes the points it flags, so a spike does not drag the baseline towards itself.
import { median, medianAbsoluteDeviation } from 'simple-statistics';
import type { DetectionOutput, SeriesDetector, SeriesPoint } from './series-detector';

export interface RobustZScoreOptions {
  window: number;
  warmup: number;
  /** |z| at which a point is anomalous. */
  threshold: number;
  /** |z| at which an anomaly is critical. */
  criticalAt: number;
}

export interface RobustZScoreState {
  v: 1;
  values: number[];
  seen: number;
  lastTimestamp: number | null;
}

const defaults: RobustZScoreOptions = { window: 60, warmup: 20, threshold: 6, criticalAt: 12 };

const MAD_TO_SIGMA = 1.4826;

export function robustZScoreDetector(
  options: Partial<RobustZScoreOptions> = {},
): SeriesDetector<RobustZScoreState> {
  const o = { ...defaults, ...options };
  return {
    name: 'robust-zscore',
    init: () => ({ v: 1, values: [], seen: 0, lastTimestamp: null }),
    update(state, point) {
      const empty = quiet(point);
      if (point.value === null || !Number.isFinite(point.value)) {
        return { state, output: { ...empty, explanation: 'no datapoint' } };
      }
      if (state.lastTimestamp !== null && point.timestamp <= state.lastTimestamp) {
        return { state, output: { ...empty, explanation: 'out-of-order point ignored' } };
      }
      const value = point.value;
      const warm = state.values.length >= o.warmup;
      let output: DetectionOutput = { ...empty, warm, explanation: 'warming up' };
      if (warm) {
        const center = median(state.values);
        // A floor on the scale keeps a perfectly flat history from turning any change into infinity.
        const scale = Math.max(
          medianAbsoluteDeviation(state.values) * MAD_TO_SIGMA,
          Math.abs(center) * 0.01,
          1e-9,
        );
        const z = (value - center) / scale;
        const absZ = Math.abs(z);
        const anomalous = absZ >= o.threshold;
        const lower = center - o.threshold * scale;
        const upper = center + o.threshold * scale;
        output = {
          timestamp: point.timestamp,
          value,
          score: absZ / (absZ + o.threshold * 0.67),
          anomalous,
          direction: anomalous ? (z > 0 ? 'up' : 'down') : 'none',
          expected: center,
          lower,
          upper,
          severity: absZ >= o.criticalAt ? 'critical' : anomalous ? 'warning' : 'info',
          explanation: anomalous
            ? `${fmt(value)} is far ${z > 0 ? 'above' : 'below'} its usual ${fmt(center)} (band ${fmt(lower)}–${fmt(upper)})`
            : `${fmt(value)} is within its usual band ${fmt(lower)}–${fmt(upper)}`,
          warm: true,
        };
      }
      const values = output.anomalous ? state.values : [...state.values, value].slice(-o.window);
      return {
        state: { v: 1, values, seen: state.seen + 1, lastTimestamp: point.timestamp },
        output,
      };
    },
  };
}

function quiet(point: SeriesPoint): DetectionOutput {
  return {
    timestamp: point.timestamp,
    value: point.value,
    score: 0,
    anomalous: false,
    direction: 'none',
    expected: null,
    lower: null,
    upper: null,
    severity: 'info',
    explanation: '',
    warm: false,
  };
}

function fmt(n: number): string {
  return Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(1);
}
