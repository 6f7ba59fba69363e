// The decision side of the in-memory table: decisions with their claim and completion conditions,
// the autopilot state under its version (DecisionLedger), and verification with the learning rows
// and summary, one "transaction" per decision (LearningStore) — as lib/store writes them.
import {
  emptyLearningSummary,
  emptyScalingState,
  type ActionStats,
  type LearningSummary,
  type ScalingState,
} from '../../src/decision';
import { ConflictError } from '../../src/errors';
import type { Decision } from '../../src/model';
import type {
  AutopilotState,
  DecisionClaim,
  DecisionCommit,
  DecisionCompletion,
  DecisionLedger,
  DecisionStore,
  LearnedStatsRecord,
  LearningStore,
  PendingDecisions,
  VerificationCommit,
} from '../../src/ports';
import { needsFollowUp } from '../../src/use-cases/pending-decisions';
import type { MemoryTable } from './memory-ports';

const copy = <T>(v: T): T => structuredClone(v);

/** Decisions, the autopilot state and the learning rows, with lib/store's conditions. */
export class MemoryDecisions
  implements DecisionStore, DecisionLedger, LearningStore, PendingDecisions
{
  private readonly autopilot = new Map<string, AutopilotState>();
  private readonly stats = new Map<string, LearnedStatsRecord>();
  private summary: { summary: LearningSummary; version: number } = {
    summary: emptyLearningSummary(),
    version: 0,
  };

  constructor(private readonly table: MemoryTable) {}

  // ── PendingDecisions: the index holds exactly the decisions that need follow-up ──
  async pending() {
    return [...this.table.decisions.values()]
      .filter(needsFollowUp)
      .sort((a, b) => a.at.localeCompare(b.at))
      .map(copy);
  }
  async settle() {}

  // ── DecisionStore ──
  async putDecision(decision: Decision) {
    if (this.table.decisions.has(decision.id)) return false;
    this.table.putDecisionItem(decision, null);
    return true;
  }
  async getDecision(_serviceId: string, id: string) {
    const d = this.table.decisions.get(id);
    return d ? copy(d) : null;
  }
  async decisionsSince(serviceId: string, since: Date) {
    return this.table.decisionsOf(serviceId, since);
  }
  async claimDecision(
    _serviceId: string,
    id: string,
    now: Date,
    staleBefore: Date,
  ): Promise<DecisionClaim | null> {
    const before = this.table.decisions.get(id);
    if (!before) return null;
    const stale =
      before.status === 'executing' &&
      before.claimedAt !== undefined &&
      before.claimedAt < staleBefore.toISOString();
    if (before.status !== 'approved' && !stale) return null;
    const claimed: Decision = { ...before, status: 'executing', claimedAt: now.toISOString() };
    this.table.putDecisionItem(claimed, before);
    return {
      decision: copy(claimed),
      interruptedClaimAt: before.status === 'executing' ? (before.claimedAt ?? null) : null,
    };
  }
  async releaseClaim(_serviceId: string, id: string, claimedAt: Date): Promise<boolean> {
    const before = this.table.decisions.get(id);
    if (before?.status !== 'executing' || before.claimedAt !== claimedAt.toISOString())
      return false;
    const { claimedAt: _dropped, ...rest } = before;
    this.table.putDecisionItem({ ...rest, status: 'approved' }, before);
    return true;
  }
  async finishDecision(
    _serviceId: string,
    id: string,
    outcome: { status: 'executed' | 'failed'; result: string; finishedAt: Date },
  ) {
    const before = this.table.decisions.get(id);
    if (before?.status !== 'executing') throw new ConflictError(`decision ${id} not executing`);
    this.table.putDecisionItem(
      {
        ...before,
        status: outcome.status,
        result: outcome.result,
        finishedAt: outcome.finishedAt.toISOString(),
      },
      before,
    );
  }
  async recentDecisions(limit: number) {
    return [...this.table.decisions.values()]
      .sort((a, b) => b.at.localeCompare(a.at))
      .slice(0, limit)
      .map(copy);
  }

  // ── DecisionLedger ──
  async loadAutopilotState(serviceId: string) {
    return copy(this.autopilot.get(serviceId) ?? { scaling: emptyScalingState(), version: 0 });
  }
  async commitDecision(
    decision: Decision,
    scaling: ScalingState,
    expectedVersion: number,
  ): Promise<DecisionCommit> {
    if (this.table.decisions.has(decision.id)) return 'exists';
    if ((this.autopilot.get(decision.serviceId)?.version ?? 0) !== expectedVersion) {
      return 'conflict';
    }
    this.table.putDecisionItem(decision, null);
    this.autopilot.set(decision.serviceId, {
      scaling: copy(scaling),
      version: expectedVersion + 1,
    });
    return 'created';
  }
  async saveScalingState(serviceId: string, scaling: ScalingState, expectedVersion: number) {
    if ((this.autopilot.get(serviceId)?.version ?? 0) !== expectedVersion) return 'conflict';
    this.autopilot.set(serviceId, { scaling: copy(scaling), version: expectedVersion + 1 });
    return 'saved' as const;
  }
  async completeDecision(c: DecisionCompletion) {
    const before = this.table.decisions.get(c.decision.id);
    if (before?.status !== 'executing') {
      throw new ConflictError(`decision ${c.decision.id} is no longer executing`);
    }
    this.table.putDecisionItem(
      {
        ...before,
        status: c.status,
        result: c.result,
        finishedAt: c.finishedAt.toISOString(),
        before: c.before,
        after: c.after,
      },
      before,
    );
  }

  // ── LearningStore ──
  async loadStats(serviceId: string) {
    return [...this.stats.entries()]
      .filter(([k]) => k.startsWith(`${serviceId}~`))
      .map(([, r]) => copy(r));
  }
  async loadSummary() {
    return copy(this.summary);
  }
  async executedSince(serviceId: string, since: Date) {
    return this.table.decisionsOf(serviceId, since).filter((d) => d.status === 'executed');
  }
  async samplesBetween(serviceId: string, from: Date, to: Date) {
    const [a, b] = [from.toISOString(), to.toISOString()];
    return [...this.table.samples.values()]
      .filter((s) => s.serviceId === serviceId && s.at >= a && s.at <= b)
      .sort((x, y) => x.at.localeCompare(y.at))
      .map(copy);
  }
  async commitVerification(c: VerificationCommit) {
    const stored = this.table.decisions.get(c.decision.id);
    if (stored?.status !== 'executed' || stored.outcome !== undefined) return 'verified';
    const key = c.stats && statsKey(c.decision.serviceId, c.stats.stats);
    const statsVersion = key ? (this.stats.get(key)?.version ?? 0) : 0;
    if (c.stats && statsVersion !== c.stats.version) return 'conflict';
    if (this.summary.version !== c.summary.version) return 'conflict';
    if (c.compensation && this.table.decisions.has(c.compensation.id)) return 'conflict';
    this.table.putDecisionItem(
      {
        ...stored,
        outcome: c.outcome,
        verifiedAt: c.verifiedAt.toISOString(),
        outcomeDetail: c.detail,
      },
      stored,
    );
    if (c.stats && key)
      this.stats.set(key, { stats: copy(c.stats.stats), version: statsVersion + 1 });
    this.summary = { summary: copy(c.summary.summary), version: c.summary.version + 1 };
    if (c.compensation) this.table.putDecisionItem(c.compensation, null);
    return 'committed';
  }
}

function statsKey(serviceId: string, s: ActionStats): string {
  return `${serviceId}~${s.diagnosis}~${s.action}`;
}
