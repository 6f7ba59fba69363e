// Every minute: finishes decisions that nothing else will. A decision left `executing` by a scaler
// that died or could not record its result, or left `approved` because its stream record was lost
// after its retries, is claimed and carried out (or, if ECS already shows it, recorded) exactly as
// the scale consumer would — the same claim keeps it exactly once. It reads the pending-decisions
// index (one query, however large the fleet), not every service's decisions.
import type { GlobalSwitches } from '../decision';
import type { Decision } from '../model';
import type { PendingDecisions } from '../ports';
import {
  executeDecision,
  STALE_CLAIM_MS,
  UNFINISHED_HORIZON_MS,
  type ExecuteDeps,
  type ExecutionOutcome,
} from './execute-decision';
import { needsFollowUp } from './pending-decisions';

export interface SweepDeps extends ExecuteDeps {
  pending: PendingDecisions;
}

/**
 * How far back the sweep looks. Not just the last hour: when the schedule itself stopped for longer
 * (an outage, a paused rule), what was interrupted before must still be finished when it comes back
 * (bench:soak found decisions stuck for good behind a 60-minute horizon). A day of a service's
 * decisions is a few items per query. The same horizon as a later decision's wait for an earlier one.
 */
export const SWEEP_LOOKBACK_MS = UNFINISHED_HORIZON_MS;

export interface SweepResult {
  finished: { decisionId: string; outcome: ExecutionOutcome }[];
  failures: { serviceId: string; error: string }[];
}

/** Unfinished for longer than a live scaler could take: its record will not come back by itself. */
export function isAbandoned(d: Decision, now: Date): boolean {
  const staleBefore = now.getTime() - STALE_CLAIM_MS;
  if (d.status === 'executing') return Date.parse(d.claimedAt ?? d.at) < staleBefore;
  if (d.status === 'approved') return Date.parse(d.at) < staleBefore;
  return false;
}

export async function sweepUnfinishedDecisions(
  deps: SweepDeps,
  switches: GlobalSwitches,
): Promise<SweepResult> {
  const now = deps.clock.now();
  const result: SweepResult = { finished: [], failures: [] };
  const registered = new Set((await deps.registry.list()).map((s) => s.id));
  const horizon = now.getTime() - SWEEP_LOOKBACK_MS;
  for (const decision of await deps.pending.pending()) {
    try {
      // Done: out of the index. (Not by age: rewriting an old approved decision would hand it to
      // scale's stream filter again; the few the sweep gave up on stay listed, skipped below.)
      if (!needsFollowUp(decision)) {
        await deps.pending.settle(decision);
        continue;
      }
      if (Date.parse(decision.at) < horizon) continue;
      if (!registered.has(decision.serviceId) || !isAbandoned(decision, now)) continue;
      // Oldest first (the index's order): an earlier one is finished before a later one that waits.
      const outcome = await executeDecision(deps, decision, switches);
      if (outcome === 'waiting') continue;
      result.finished.push({ decisionId: decision.id, outcome });
    } catch (err) {
      result.failures.push({ serviceId: decision.serviceId, error: (err as Error).message });
    }
  }
  return result;
}
