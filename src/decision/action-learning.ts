// What a service has learned about each action for each diagnosis (SPEC X5): Beta posteriors on
// "this action resolves this diagnosis", updated by verified outcomes, and a Thompson-sampling
// choice among the actions the policies allow, seeded with rule-based priors.
import { z } from 'zod';
import { actionTypeSchema, type ActionType } from '../model/decision';
import type { DiagnosisName } from './diagnosis';
import type { Outcome } from './outcome-judgement';
import { sampleBeta, type Random } from './seeded-random';

export const actionStatsSchema = z.strictObject({
  diagnosis: z.string().min(1),
  action: actionTypeSchema,
  /** Posterior Beta(alpha, beta) including the prior. */
  alpha: z.number().positive(),
  beta: z.number().positive(),
  resolved: z.number().int().min(0).default(0),
  notResolved: z.number().int().min(0).default(0),
  worse: z.number().int().min(0).default(0),
});
export type ActionStats = z.infer<typeof actionStatsSchema>;

/** Store key of one statistics row, per service. */
export function actionStatsKey(serviceId: string, diagnosis: string, action: ActionType): string {
  return `${serviceId}~${diagnosis}~${action}`;
}

/**
 * Rule-based priors, worth a few observations each: what an operator's runbook would try first.
 * Anything not listed starts at Beta(1, 1), knowing nothing.
 */
const priorTable: Partial<Record<DiagnosisName, Partial<Record<ActionType, [number, number]>>>> = {
  overload: { 'scale-out': [4, 1], restart: [1, 3], notify: [1, 2] },
  saturation: { 'scale-out': [4, 1], restart: [1.5, 2], notify: [1, 2] },
  memory_leak: { restart: [4, 1], 'scale-out': [1.5, 2], rollback: [1.5, 2], notify: [1, 2] },
  bad_deploy: { rollback: [5, 1], restart: [1, 3], notify: [1, 2] },
  error_burst: { restart: [2.5, 1.5], rollback: [2, 1.5], 'scale-out': [1, 2], notify: [1, 2] },
  failing_dependency: { notify: [3, 1], restart: [1, 3], 'scale-out': [1, 4] },
  latency_regression: { rollback: [2, 1.5], 'scale-out': [2, 1.5], restart: [1.5, 2] },
};

export function priorFor(diagnosis: string, action: ActionType): ActionStats {
  const [alpha, beta] = priorTable[diagnosis as DiagnosisName]?.[action] ?? [1, 1];
  return { diagnosis, action, alpha, beta, resolved: 0, notResolved: 0, worse: 0 };
}

/**
 * resolved is a success; not-resolved a failure; worse counts as two failures, since an action
 * that hurts should lose favour faster than one that merely did nothing.
 */
export function recordOutcome(stats: ActionStats, outcome: Outcome): ActionStats {
  switch (outcome) {
    case 'resolved':
      return { ...stats, alpha: stats.alpha + 1, resolved: stats.resolved + 1 };
    case 'not-resolved':
      return { ...stats, beta: stats.beta + 1, notResolved: stats.notResolved + 1 };
    case 'worse':
      return { ...stats, beta: stats.beta + 2, worse: stats.worse + 1 };
  }
}

export function expectedSuccess(stats: ActionStats): number {
  return stats.alpha / (stats.alpha + stats.beta);
}

export interface ActionChoice {
  action: ActionType;
  /** The sampled success probability of each candidate, for the audit trail. */
  samples: Array<{ action: ActionType; sample: number; expected: number }>;
}

/**
 * Thompson sampling: draw once from each allowed action's posterior and take the highest draw.
 * Explores while unsure, exploits once the evidence is in; `random` makes it replayable.
 */
export function chooseAction(
  diagnosis: string,
  allowed: readonly ActionType[],
  learned: readonly ActionStats[],
  random: Random,
): ActionChoice | null {
  if (allowed.length === 0) return null;
  const samples = allowed.map((action) => {
    const stats =
      learned.find((s) => s.diagnosis === diagnosis && s.action === action) ??
      priorFor(diagnosis, action);
    return {
      action,
      sample: sampleBeta(stats.alpha, stats.beta, random),
      expected: expectedSuccess(stats),
    };
  });
  const best = samples.reduce((a, b) => (b.sample > a.sample ? b : a));
  return { action: best.action, samples };
}
