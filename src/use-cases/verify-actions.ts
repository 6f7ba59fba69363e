// Verification and learning (SPEC X5), run every minute: each executed action whose window has
// passed in the data is judged from the metrics that triggered it; the verdict goes on the decision
// (outcome, verifiedAt, outcomeDetail — the recovery note), into the service's statistics for that
// (diagnosis, action) and the learning summary; an action that made things worse gets a
// compensating decision. All of it one transaction per decision, so two runs verify once.
import {
  awaitsVerification,
  compensationDecision,
  settledDueAt,
  judgeDecision,
  metricsAfter,
  priorFor,
  recordOutcome,
  verificationDueAt,
  withOutcome,
  type GlobalSwitches,
} from '../decision';
import { ConflictError } from '../errors';
import type { Decision, DecisionOutcome, Service } from '../model';
import type { Clock, LearningStore, ServiceRegistry } from '../ports';

export interface VerifyDeps {
  clock: Clock;
  registry: ServiceRegistry;
  learning: LearningStore;
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
  for (const service of await deps.registry.list()) {
    try {
      await verifyService(deps, service, now, switches, options, result);
    } catch (err) {
      result.failures.push({ serviceId: service.id, error: (err as Error).message });
    }
  }
  return result;
}

async function verifyService(
  deps: VerifyDeps,
  service: Service,
  now: Date,
  switches: GlobalSwitches,
  options: VerifyOptions,
  result: VerifyResult,
) {
  const since = new Date(now.getTime() - options.lookbackMinutes * MINUTE);
  const pending = (await deps.learning.executedSince(service.id, since)).filter(awaitsVerification);
  if (pending.length === 0) return;
  const earliest = Math.min(...pending.map((d) => Date.parse(d.at)));
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
    const verified = await verifyOne(deps, service, decision, after, due, switches, options);
    if (verified) result.verified.push(verified);
  }
}

async function verifyOne(
  deps: VerifyDeps,
  service: Service,
  decision: Decision,
  after: Record<string, number>,
  dueAtMs: number,
  switches: GlobalSwitches,
  options: VerifyOptions,
): Promise<VerifiedAction | null> {
  const verdict = judgeDecision(decision, after);
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
