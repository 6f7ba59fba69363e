// The service profile's one number (SPEC D4): the latest judgement of each of a service's series
// combined into a health score 0..100 — the worst series dominates, the others still count — and
// what else is known of the service now (no task running, an open incident).
import type { Severity } from '../model/common';
import type { DetectionOutput } from './series-detector';
import { DETECTOR_PARAMS } from './vigia-params';
import type { VigiaState } from './vigia-state';

export type HealthStatus = 'operational' | 'degraded' | 'outage';

/** How much one series' current judgement takes away from its service's health, 0..1. */
function badness(output: DetectionOutput): number {
  if (!output.warm || !Number.isFinite(output.score)) return 0;
  const score = Math.min(1, Math.max(0, output.score));
  // Below-alert scores are normal jitter: they nibble at health without ever making it degraded.
  if (!output.anomalous) return 0.1 * score;
  return output.severity === 'critical' ? 0.5 + 0.5 * score : 0.25 + 0.35 * score;
}

export function serviceHealth(outputs: readonly DetectionOutput[]): number {
  let health = 1;
  for (const output of outputs) health *= 1 - Math.min(0.95, badness(output));
  return Math.round(100 * health);
}

export function healthStatus(health: number): HealthStatus {
  if (health >= 80) return 'operational';
  if (health >= 40) return 'degraded';
  return 'outage';
}

/** A recent anomaly, as the table keeps the detector's judgement of an anomalous point. */
export interface RecentAnomaly {
  metric: string;
  at: string;
  score: number;
  severity: Severity;
}

export interface HealthFacts {
  /** The service's anomalies; those within HEALTH_WINDOW_MS of `reference` weigh. */
  anomalies: readonly RecentAnomaly[];
  /** Each series' detector state, for the latest score of the series with no recent anomaly. */
  models: readonly { metric: string; detector: VigiaState | null }[];
  /** ECS at the latest sample; null when unknown. */
  tasks: { desired: number; running: number } | null;
  openIncidents: number;
  /** Data time (the collector's latest tick), so a delayed feed does not read as healthy. */
  reference: number;
}

export interface ServiceHealthView {
  score: number;
  state: HealthStatus;
}

/** Anomalies this recent still weigh on a service's health score, as on /status. */
export const HEALTH_WINDOW_MS = 15 * 60_000;
/** Below the operational band: an incident is open until people are told it recovered. */
const OPEN_INCIDENT_CAP = 79;
/** The lowest score of a service with tasks running (or unknown): the bottom of 'degraded'. */
const DEGRADED_FLOOR = 40;

/**
 * The service's one health score (SPEC D4) from everything known about it now: each series judged
 * by its latest recent anomaly, else by the detector's latest score (jitter nibbles, never more);
 * no task running while some are desired is an outage (0), anything else at worst degraded (40);
 * an open incident keeps it below operational. So its state is /status's state for the service.
 */
export function serviceHealthOf(facts: HealthFacts): ServiceHealthView {
  if (facts.tasks && facts.tasks.desired > 0 && facts.tasks.running === 0) {
    return { score: 0, state: 'outage' };
  }
  const latest = new Map<string, RecentAnomaly>();
  for (const a of facts.anomalies) {
    if (Date.parse(a.at) < facts.reference - HEALTH_WINDOW_MS) continue;
    const seen = latest.get(a.metric);
    if (!seen || seen.at < a.at) latest.set(a.metric, a);
  }
  const outputs: DetectionOutput[] = [...latest.values()].map((a) =>
    judgement(a.score, true, a.severity),
  );
  for (const { metric, detector } of facts.models) {
    if (latest.has(metric) || !detector || detector.t === null) continue;
    // A series the collector stopped feeding says nothing about now.
    if (detector.t < facts.reference - HEALTH_WINDOW_MS) continue;
    const warm = detector.n >= DETECTOR_PARAMS.warmup;
    outputs.push(judgement(detector.ls ?? 0, false, 'info', warm));
  }
  // The outage band is kept for a service with no task running, as /status's state: the detector
  // sees a service that answers badly, which is degraded however bad.
  let score = Math.max(DEGRADED_FLOOR, serviceHealth(outputs));
  if (facts.openIncidents > 0) score = Math.min(score, OPEN_INCIDENT_CAP);
  return { score, state: healthStatus(score) };
}

function judgement(
  score: number,
  anomalous: boolean,
  severity: Severity,
  warm = true,
): DetectionOutput {
  return {
    timestamp: 0,
    value: null,
    score,
    anomalous,
    direction: 'none',
    expected: null,
    lower: null,
    upper: null,
    severity,
    explanation: '',
    zScore: null,
    warm,
  };
}
