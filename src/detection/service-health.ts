// The service profile's one number (SPEC D4): the latest judgement of each of a service's series
// combined into a health score 0..100 — the worst series dominates, the others still count.
import type { DetectionOutput } from './series-detector';

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
