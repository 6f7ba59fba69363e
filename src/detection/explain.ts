// Turns the detector's numbers into what a person reads: direction, band, severity and one line
// saying which signal fired ("level shift", "spike", "flat line", "changing fast").
import { formatValue as fmt } from './numeric';
import type { DetectionOutput, SeriesPoint } from './series-detector';

export interface SignalParts {
  point: number;
  shift: number;
  roc: number;
  flat: number;
}

export interface Judgement {
  point: SeriesPoint;
  value: number;
  expected: number;
  halfBand: number;
  score: number;
  warm: boolean;
  z: number;
  shift: number;
  parts: SignalParts;
  flat: number;
  alertScore: number;
  criticalScore: number;
  /** Which signal the score came from; the residual when absent. */
  why?: 'residual' | 'distribution' | 'novelty';
}

export function describe(j: Judgement): DetectionOutput {
  const lower = j.expected - j.halfBand;
  const upper = j.expected + j.halfBand;
  const anomalous = j.warm && j.score >= j.alertScore;
  const up = j.parts.shift > j.parts.point ? j.shift > 0 : j.z > 0;
  const direction =
    anomalous && j.parts.flat < Math.max(j.parts.point, j.parts.shift)
      ? up
        ? 'up'
        : 'down'
      : 'none';
  const severity = !anomalous ? 'info' : j.score >= j.criticalScore ? 'critical' : 'warning';
  return {
    timestamp: j.point.timestamp,
    value: j.value,
    score: j.score,
    anomalous,
    direction,
    expected: j.expected,
    lower: Number.isFinite(lower) ? lower : null,
    upper: Number.isFinite(upper) ? upper : null,
    severity,
    explanation: explain(j, anomalous, lower, upper),
    zScore: Number.isFinite(j.z) ? j.z : null,
    warm: j.warm,
  };
}

function explain(j: Judgement, anomalous: boolean, lower: number, upper: number): string {
  const band = `usual ${fmt(j.expected)} (band ${fmt(lower)}–${fmt(upper)})`;
  if (!j.warm) return `learning what normal looks like (${fmt(j.value)})`;
  if (!anomalous) return `${fmt(j.value)} is within its ${band}`;
  const where = j.value > j.expected ? 'above' : 'below';
  if (j.why === 'distribution')
    return `${fmt(j.value)}: the recent values are spread unlike usual (${where} its ${band})`;
  if (j.why === 'novelty')
    return `${fmt(j.value)} is at a level rare at this time of day (${where} its ${band})`;
  const { point, shift, roc, flat } = j.parts;
  const strongest = Math.max(point, shift, roc * 0.5, flat);
  if (strongest === flat)
    return `${fmt(j.value)} has not changed for ${j.flat} points on a series that normally moves`;
  if (strongest === shift && shift > point) {
    return `level shift ${j.shift > 0 ? 'up' : 'down'}: ${fmt(j.value)} has stayed ${where} its ${band}`;
  }
  if (strongest === point) return `${fmt(j.value)} is far ${where} its ${band}`;
  return `${fmt(j.value)} is changing unusually fast (${where} its ${band})`;
}
