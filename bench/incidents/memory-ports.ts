// The ports of src/ports.ts in memory, for bench:incidents: one "table" per simulated stack with the
// same conditional semantics as lib/store (idempotent creates, optimistic versions, claim and
// complete only from the right status), and a stream of what was written, in write order, that the
// pipeline hands to its consumers as DynamoDB Streams would. Decisions and learning are in
// memory-decisions.ts.
import type { AlertingState, Incident, Notice } from '../../src/alerting';
import { ConflictError } from '../../src/errors';
import type { Anomaly, Decision, Sample, Service } from '../../src/model';
import type {
  AlertingStateStore,
  Clock,
  CollectorHeartbeat,
  CollectorShardRun,
  HeartbeatStore,
  ModelStore,
  NotificationClaim,
  NotificationLog,
  ObservationStore,
  ServiceModels,
  ServiceRegistry,
} from '../../src/ports';

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
  /** One item per service, as lib/store/model-store.ts keeps them. */
  private readonly items = new Map<string, ServiceModels>();
  async loadModels(serviceId: string) {
    return copy(this.items.get(serviceId)?.series ?? []);
  }
  async loadServiceModels(serviceIds: readonly string[]) {
    const out = new Map<string, ServiceModels>();
    for (const id of serviceIds) {
      out.set(id, copy(this.items.get(id) ?? { version: 0, series: [], cadence: null }));
    }
    return out;
  }
  async saveServiceModels(
    serviceId: string,
    models: Omit<ServiceModels, 'version'>,
    expectedVersion: number,
  ) {
    const current = this.items.get(serviceId)?.version ?? 0;
    if (current !== expectedVersion) throw new ConflictError(`models of ${serviceId} changed`);
    this.items.set(serviceId, { ...copy(models), version: expectedVersion + 1 });
  }
}

export class MemoryHeartbeat implements HeartbeatStore {
  private last: CollectorHeartbeat | null = null;
  async recordCollectorRun(beat: CollectorHeartbeat) {
    this.last = beat;
  }
  async recordCollectorShard(tickAt: string, _index: number, run: CollectorShardRun) {
    // The bench collects inline (one shard): a shard's figures add to its own tick only.
    if (this.last?.tickAt !== tickAt) return;
    this.last = {
      ...this.last,
      services: this.last.services + run.services,
      series: this.last.series + run.series,
      anomalies: this.last.anomalies + run.anomalies,
    };
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
  /**
   * When each decision was first written, by the stack's clock. A decision's own `at` is its
   * evidence's time (a sample's datapoint, minutes older than the ECS state read with it), not
   * when it was made.
   */
  readonly decidedAt = new Map<string, number>();

  constructor(private readonly clock?: { now(): Date }) {}

  putDecisionItem(next: Decision, old: Decision | null): void {
    if (!this.decidedAt.has(next.id)) {
      this.decidedAt.set(next.id, this.clock?.now().getTime() ?? Date.parse(next.at));
    }
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
