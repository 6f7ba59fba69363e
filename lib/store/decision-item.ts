// The stored form of a decision, written alike by the decision store, the ledger, the verifier's
// compensation and a manual action: one layout, one function.
import { TARGET_SCALING_REQUESTER, type Decision } from '../../src/model';
import { needsFollowUp } from '../../src/use-cases/pending-decisions';
import { decisionGsi1, decisionPending, decisionSk, expiresAt, servicePk, ttl } from './keys';

export function decisionItem(decision: Decision, recordedAt: Date): Record<string, unknown> {
  return {
    pk: servicePk(decision.serviceId),
    sk: decisionSk(decision.id),
    ...decisionGsi1(decision.at, decision.id),
    // In the pending index while the sweep or the verifier still has something to do with it.
    ...(needsFollowUp(decision) ? decisionPending(decision.at, decision.id) : {}),
    kind: 'decision',
    ...decision,
    recordedAt: recordedAt.toISOString(),
    ...routineExpiry(decision, decision.at),
  };
}

/**
 * Target scaling writes a decision per action, many a day on a busy service: those items, and the
 * audit records of their execution, expire like anomalies. Every other decision is kept.
 */
export function routineExpiry(decision: Decision, from: string): { expiresAt?: number } {
  return decision.requestedBy === TARGET_SCALING_REQUESTER
    ? { expiresAt: expiresAt(from, ttl.targetScalingDays) }
    : {};
}
