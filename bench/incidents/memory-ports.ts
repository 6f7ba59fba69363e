// The ports of src/ports.ts in memory, for bench:incidents: one "table" per simulated stack with the
// same conditional semantics as lib/store (idempotent creates, optimistic versions, claim and
// complete only from the right status), and a stream of what was written, in write order, that the
// pipeline hands to its consumers as DynamoDB Streams would.
import { emptyLearningSummary, type ActionStats, type LearningSummary } from '../../src/decision';
import type { AlertingState, Incident, Notice } from '../../src/alerting';
import { ConflictError } from '../../src/errors';
import type { Anomaly, Decision, Sample, Service } from '../../src/model';
import type {
  AlertingStateStore,
  AutopilotState,
  Clock,
  CollectorHeartbeat,
  DecisionClaim,
  DecisionCommit,
  DecisionCompletion,
  DecisionLedger,
  DecisionStore,
  HeartbeatStore,
  LearnedStatsRecord,
  LearningStore,
  ModelRecord,
  ModelStore,
  NotificationClaim,
  NotificationLog,
  ObservationStore,
  ServiceRegistry,
  VerificationCommit,
} from '../../src/ports';
import { emptyScalingState, type ScalingState } from '../../src/decision';

/** One change as a DynamoDB stream record shows it to a consumer (NEW_AND_OLD_IMAGES). */
export type StreamRecord =
  | { kind: 'sample'; eventName: 'INSERT'; newImage: Sample }
  | { kind: 'anomaly'; eventName: 'INSERT'; newImage: Anomaly }
  | {
      kind: 'decision';
      eventName: 'INSERT' | 'MODIFY';
      newImage: Decision;
      oldImage: Decision | null;
    };

/** Values cross the "table" as copies, as they would through marshalling. */
const copy = <T>(v: T): T => structuredClone(v);

export class MemoryClock implements Clock {
  constructor(private ms: number) {}
  now(): Date {
    return new Date(this.ms);
  }
  set(ms: number): void {
    this.ms = ms;
  }
}

export class MemoryRegistry implements ServiceRegistry {
  constructor(private readonly services: readonly Service[]) {}
  async list() {
    return copy([...this.services]);
  }
  async get(id: string) {
    const s = this.services.find((x) => x.id === id);
    return s ? copy(s) : null;
  }
}

export class MemoryModelStore implements ModelStore {
  private readonly items = new Map<string, ModelRecord>();
  async loadModels(serviceId: string) {
    return [...this.items.entries()]
      .filter(([k]) => k.startsWith(`${serviceId}~`))
      .map(([, r]) => copy(r));
  }
  async saveModel(serviceId: string, metric: string, state: unknown, expectedVersion: number) {
    const key = `${serviceId}~${metric}`;
    const current = this.items.get(key)?.version ?? 0;
    if (current !== expectedVersion) throw new ConflictError(`model ${key} changed`);
    this.items.set(key, { metric, state: copy(state), version: expectedVersion + 1 });
  }
}

export class MemoryHeartbeat implements HeartbeatStore {
  private last: CollectorHeartbeat | null = null;
  async recordCollectorRun(beat: CollectorHeartbeat) {
    this.last = beat;
  }
  async lastCollectorRun() {
    return this.last;
  }
}

/** Samples, anomalies and decisions of one simulated stack, and the stream of their writes. */
export class MemoryTable {
  readonly samples = new Map<string, Sample>();
  readonly anomalies = new Map<string, Anomaly>();
  readonly decisions = new Map<string, Decision>();
  readonly stream: StreamRecord[] = [];

  putDecisionItem(next: Decision, old: Decision | null): void {
    this.decisions.set(next.id, copy(next));
    this.stream.push({
      kind: 'decision',
      eventName: old ? 'MODIFY' : 'INSERT',
      newImage: copy(next),
      oldImage: old ? copy(old) : null,
    });
  }

  decisionsOf(serviceId: string, since: Date): Decision[] {
    return [...this.decisions.values()]
      .filter((d) => d.serviceId === serviceId && Date.parse(d.at) >= since.getTime())
      .sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id))
      .map(copy);
  }
}

export class MemoryObservations implements ObservationStore {
  constructor(private readonly table: MemoryTable) {}
  async putSample(sample: Sample) {
    const key = `${sample.serviceId}~${sample.at}`;
    if (this.table.samples.has(key)) return false;
    this.table.samples.set(key, copy(sample));
    this.table.stream.push({ kind: 'sample', eventName: 'INSERT', newImage: copy(sample) });
    return true;
  }
  async putAnomaly(anomaly: Anomaly) {
    if (this.table.anomalies.has(anomaly.id)) return false;
    this.table.anomalies.set(anomaly.id, copy(anomaly));
    this.table.stream.push({ kind: 'anomaly', eventName: 'INSERT', newImage: copy(anomaly) });
    return true;
  }
  async latestSample(serviceId: string) {
    let latest: Sample | null = null;
    for (const s of this.table.samples.values()) {
      if (s.serviceId === serviceId && (latest === null || s.at > latest.at)) latest = s;
    }
    return latest ? copy(latest) : null;
  }
  async anomaliesSince(serviceId: string, since: Date) {
    return [...this.table.anomalies.values()]
      .filter((a) => a.serviceId === serviceId && Date.parse(a.at) >= since.getTime())
      .sort((a, b) => a.at.localeCompare(b.at))
      .map(copy);
  }
}

/** Decisions, the autopilot state and the learning rows, with lib/store's conditions. */
export class MemoryDecisions implements DecisionStore, DecisionLedger, LearningStore {
  private readonly autopilot = new Map<string, AutopilotState>();
  private readonly stats = new Map<string, LearnedStatsRecord>();
  private summary: { summary: LearningSummary; version: number } = {
    summary: emptyLearningSummary(),
    version: 0,
  };

  constructor(private readonly table: MemoryTable) {}

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

/** Incidents (versioned, as DynamoAlertingStore writes them) and notices (by digest). */
export class MemoryAlerting implements AlertingStateStore {
  private readonly incidents = new Map<string, Incident>();
  private readonly notices = new Map<string, Notice>();

  constructor(private readonly retainResolvedSeconds: number) {}

  async loadServiceState(serviceId: string, now: Date): Promise<AlertingState> {
    const keep = now.getTime() - this.retainResolvedSeconds * 1000;
    return copy({
      incidents: [...this.incidents.values()].filter(
        (i) =>
          i.serviceId === serviceId && (i.resolvedAt === null || Date.parse(i.resolvedAt) >= keep),
      ),
      silences: [],
      notices: [...this.notices.values()].filter((n) => n.serviceId === serviceId),
    });
  }

  async saveServiceState(before: AlertingState, after: AlertingState) {
    const old = new Map(before.incidents.map((i) => [i.id, i]));
    for (const incident of after.incidents) {
      const was = old.get(incident.id);
      if (was !== undefined && was.version === incident.version) continue;
      const stored = this.incidents.get(incident.id)?.version ?? 0;
      if (stored !== (was?.version ?? 0)) throw new ConflictError(`incident ${incident.id}`);
      this.incidents.set(incident.id, copy(incident));
    }
    const oldNotices = new Map(before.notices.map((n) => [n.note.decisionId, n]));
    for (const notice of after.notices) {
      const id = notice.note.decisionId;
      const was = oldNotices.get(id);
      if (was !== undefined && JSON.stringify(was) === JSON.stringify(notice)) continue;
      const stored = this.notices.get(id);
      if (JSON.stringify(stored) !== JSON.stringify(was)) throw new ConflictError(`notice ${id}`);
      this.notices.set(id, copy(notice));
    }
  }

  all(): Incident[] {
    return [...this.incidents.values()].map(copy);
  }
}

export class MemoryNotificationLog implements NotificationLog {
  private readonly entries = new Map<string, { sent: boolean; claimedAt: number }>();
  async claim(key: string, now: Date, staleBefore: Date): Promise<NotificationClaim> {
    const e = this.entries.get(key);
    if (e?.sent) return 'already-sent';
    if (e && e.claimedAt >= staleBefore.getTime()) return 'in-flight';
    this.entries.set(key, { sent: false, claimedAt: now.getTime() });
    return 'claimed';
  }
  async markSent(key: string) {
    const e = this.entries.get(key);
    if (e) e.sent = true;
  }
  async release(key: string) {
    this.entries.delete(key);
  }
}
