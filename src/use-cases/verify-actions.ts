// Verification and learning (SPEC X5), run every minute: each executed action whose window has
// passed in the data is judged from the metrics that triggered it (a restart or rollback: from its
// diagnosis's symptoms as the service showed them at the decision); the verdict goes on the decision
// (outcome, verifiedAt, outcomeDetail — the recovery note), into the service's statistics for that
// (diagnosis, action) and the learning summary; an action that made things worse gets a
// compensating decision. All of it one transaction per decision, so two runs verify once. The
// executed decisions are found in the pending-decisions index (one query for the fleet); only the
// services that have one read their samples.
import {
  awaitsVerification,
  compensationDecision,
  settledDueAt,
  judgeDecision,
  judgedTriggers,
  metricsAfter,
  metricsAt,
  priorFor,
  READING_MAX_AGE_MINUTES,
  recordOutcome,
  verificationDueAt,
  withOutcome,
  type GlobalSwitches,
} from '../decision';
import { ConflictError } from '../errors';
import type { Decision, DecisionOutcome, DecisionTrigger, Service } from '../model';
import type { Clock, LearningStore, PendingDecisions, ServiceRegistry } from '../ports';
import { needsFollowUp } from './pending-decisions';

export interface VerifyDeps {
  clock: Clock;
  registry: ServiceRegistry;
  learning: LearningStore;
  pending: PendingDecisions;
}

export interface VerifyOptions {
  /** Executed decisions older than this are no longer looked at. */
  lookbackMinutes: number;
  maxConflictRetries: number;
}

export const defaultVerifyOptions: VerifyOptions = { lookbackMinutes: 180, maxConflictRetries: 5 };

export interface VerifiedAction {
  decisionId: string;
  outcome: DecisionOutcome;
  detail: string;
  compensation: string | null;
}

export interface VerifyResult {
  verified: VerifiedAction[];
  /** Executed decisions still inside their window (or without data after it yet). */
  waiting: number;
  failures: { serviceId: string; error: string }[];
}

const MINUTE = 60_000;

export async function verifyActions(
  deps: VerifyDeps,
  switches: GlobalSwitches,
  options: VerifyOptions = defaultVerifyOptions,
): Promise<VerifyResult> {
  const now = deps.clock.now();
  const result: VerifyResult = { verified: [], waiting: 0, failures: [] };
  const since = now.getTime() - options.lookbackMinutes * MINUTE;
  const byService = new Map<string, Decision[]>();
  for (const decision of await deps.pending.pending()) {
    try {
      // Done, or past the lookback (never judged now): out of the index. The sweep keeps its own.
      if (
        !needsFollowUp(decision) ||
        (awaitsVerification(decision) && Date.parse(decision.at) < since)
      ) {
        await deps.pending.settle(decision);
        continue;
      }
    } catch (err) {
      result.failures.push({ serviceId: decision.serviceId, error: (err as Error).message });
      continue;
    }
    if (!awaitsVerification(decision)) continue;
    byService.set(decision.serviceId, [...(byService.get(decision.serviceId) ?? []), decision]);
  }
  if (byService.size === 0) return result;
  for (const service of await deps.registry.list()) {
    const pending = byService.get(service.id);
    if (!pending) continue;
    try {
      await verifyService(deps, service, pending, now, switches, options, result);
    } catch (err) {
      result.failures.push({ serviceId: service.id, error: (err as Error).message });
    }
  }
  return result;
}

async function verifyService(
  deps: VerifyDeps,
  service: Service,
  pending: readonly Decision[],
  now: Date,
  switches: GlobalSwitches,
  options: VerifyOptions,
  result: VerifyResult,
) {
  // From a little before the earliest decision: how the service looked when each was made.
  const earliest =
    Math.min(...pending.map((d) => Date.parse(d.at))) - READING_MAX_AGE_MINUTES * MINUTE;
  const samples = await deps.learning.samplesBetween(service.id, new Date(earliest), now);
  for (const decision of pending) {
    // A restart or rollback is judged once its rollout completed (verification.ts settledDueAt).
    const due = settledDueAt(
      decision,
      samples,
      verificationDueAt(decision, service.verifyAfterMinutes),
    );
    const after = metricsAfter(samples, due);
    if (!after) {
      result.waiting++;
      continue;
    }
    const judged = judgedTriggers(decision, service, metricsAt(samples, Date.parse(decision.at)));
    const verified = await verifyOne(
      deps,
      service,
      decision,
      judged,
      after,
      due,
      switches,
      options,
    );
    if (verified) result.verified.push(verified);
  }
}

async function verifyOne(
  deps: VerifyDeps,
  service: Service,
  decision: Decision,
  judged: readonly DecisionTrigger[],
  after: Record<string, number>,
  dueAtMs: number,
  switches: GlobalSwitches,
  options: VerifyOptions,
): Promise<VerifiedAction | null> {
  const verdict = judgeDecision(decision, after, judged);
  // Compensations were not chosen by the engine: judged and shown, but not learned from.
  const learns = decision.choice?.how !== 'compensation' && decision.diagnosis !== undefined;
  const compensation = compensationDecision(decision, verdict, dueAtMs, service.mode, switches);
  for (let attempt = 0; ; attempt++) {
    const verifiedAt = deps.clock.now();
    const [rows, summary] = await Promise.all([
      deps.learning.loadStats(service.id),
      deps.learning.loadSummary(),
    ]);
    let stats = null;
    let allStats = rows.map((r) => r.stats);
    if (learns) {
      const row = rows.find(
        (r) => r.stats.diagnosis === decision.diagnosis && r.stats.action === decision.action,
      );
      const updated = recordOutcome(
        row?.stats ?? priorFor(decision.diagnosis!, decision.action),
        verdict.outcome,
      );
      stats = { stats: updated, version: row?.version ?? 0 };
      allStats = [...allStats.filter((s) => s !== row?.stats), updated];
    }
    const commit = await deps.learning.commitVerification({
      decision,
      outcome: verdict.outcome,
      detail: verdict.detail,
      verifiedAt,
      stats,
      summary: {
        summary: withOutcome(
          summary.summary,
          service.id,
          learns ? verdict.outcome : null,
          allStats,
          verifiedAt.toISOString(),
        ),
        version: summary.version,
      },
      compensation,
    });
    if (commit === 'verified') return null;
    if (commit === 'committed') {
      return {
        decisionId: decision.id,
        outcome: verdict.outcome,
        detail: verdict.detail,
        compensation: compensation?.id ?? null,
      };
    }
    if (attempt >= options.maxConflictRetries) {
      throw new ConflictError(`verification of ${decision.id}: learning state kept changing`);
    }
  }
}
