// What the autopilot has learned, in one readable document (SPEC X5): decision accuracy over every
// verified action, per service, and each service's posterior per (diagnosis, action). /health shows it.
import type { DecisionOutcome } from '../model/decision';
import { expectedSuccess, type ActionStats } from './action-learning';
import { decisionAccuracy, type DecisionAccuracy } from './decision-accuracy';

export interface LearnedAction extends ActionStats {
  /** Posterior mean of "this action resolves this diagnosis". */
  expectedSuccess: number;
}

export interface ServiceLearning extends DecisionAccuracy {
  stats: LearnedAction[];
}

export interface LearningSummary extends DecisionAccuracy {
  updatedAt: string | null;
  services: Record<string, ServiceLearning>;
}

export function emptyLearningSummary(): LearningSummary {
  return { ...decisionAccuracy([]), updatedAt: null, services: {} };
}

function tally(
  counts: Pick<DecisionAccuracy, 'resolved' | 'notResolved' | 'worse'>,
  outcome: DecisionOutcome | null,
): DecisionAccuracy {
  const next = {
    resolved: counts.resolved + (outcome === 'resolved' ? 1 : 0),
    notResolved: counts.notResolved + (outcome === 'not-resolved' ? 1 : 0),
    worse: counts.worse + (outcome === 'worse' ? 1 : 0),
  };
  const verified = next.resolved + next.notResolved + next.worse;
  return { verified, ...next, accuracy: verified === 0 ? null : next.resolved / verified };
}

/**
 * One more verified outcome (null: only the stats changed) and the service's current statistics.
 * Returns a new summary; the caller stores it with an optimistic lock.
 */
export function withOutcome(
  summary: LearningSummary,
  serviceId: string,
  outcome: DecisionOutcome | null,
  serviceStats: readonly ActionStats[],
  at: string,
): LearningSummary {
  const previous = summary.services[serviceId] ?? { ...decisionAccuracy([]), stats: [] };
  const stats = [...serviceStats]
    .sort((a, b) => a.diagnosis.localeCompare(b.diagnosis) || a.action.localeCompare(b.action))
    .map((s) => ({ ...s, expectedSuccess: round(expectedSuccess(s)) }));
  return {
    ...tally(summary, outcome),
    updatedAt: at,
    services: { ...summary.services, [serviceId]: { ...tally(previous, outcome), stats } },
  };
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
