// The five store ports the functions share (models, observations, heartbeat, decisions, notification
// log) as one object over one Table, for wiring that hands a single store to every use case. Each
// port's implementation lives in its own file; this only delegates.
import type { Anomaly, Decision, Sample } from '../../src/model';
import type {
  CollectorHeartbeat,
  CollectorShardRun,
  DecisionStore,
  HeartbeatStore,
  ModelStore,
  NotificationLog,
  ObservationStore,
  ServiceModels,
} from '../../src/ports';
import { DynamoDecisionStore } from './decision-store';
import { DynamoHeartbeatStore } from './heartbeat-store';
import { DynamoModelStore } from './model-store';
import { DynamoNotificationLog } from './notification-log';
import { DynamoObservationStore } from './observation-store';
import type { Table } from './table';

export class SingleTableStore
  implements ModelStore, ObservationStore, HeartbeatStore, DecisionStore, NotificationLog
{
  readonly models: DynamoModelStore;
  readonly observations: DynamoObservationStore;
  readonly heartbeat: DynamoHeartbeatStore;
  readonly decisions: DynamoDecisionStore;
  readonly notifications: DynamoNotificationLog;

  constructor(table: Table) {
    this.models = new DynamoModelStore(table);
    this.observations = new DynamoObservationStore(table);
    this.heartbeat = new DynamoHeartbeatStore(table);
    this.decisions = new DynamoDecisionStore(table);
    this.notifications = new DynamoNotificationLog(table);
  }

  loadModels(serviceId: string) {
    return this.models.loadModels(serviceId);
  }
  loadServiceModels(serviceIds: readonly string[]) {
    return this.models.loadServiceModels(serviceIds);
  }
  saveServiceModels(
    serviceId: string,
    models: Omit<ServiceModels, 'version'>,
    expectedVersion: number,
  ) {
    return this.models.saveServiceModels(serviceId, models, expectedVersion);
  }
  saveModel(serviceId: string, metric: string, state: unknown, expectedVersion: number) {
    return this.models.saveModel(serviceId, metric, state, expectedVersion);
  }

  putSample(sample: Sample, recordedAt: Date) {
    return this.observations.putSample(sample, recordedAt);
  }
  putAnomaly(anomaly: Anomaly, recordedAt: Date) {
    return this.observations.putAnomaly(anomaly, recordedAt);
  }
  latestSample(serviceId: string) {
    return this.observations.latestSample(serviceId);
  }
  anomaliesSince(serviceId: string, since: Date) {
    return this.observations.anomaliesSince(serviceId, since);
  }

  recordCollectorRun(beat: CollectorHeartbeat) {
    return this.heartbeat.recordCollectorRun(beat);
  }
  recordCollectorShard(tickAt: string, index: number, run: CollectorShardRun) {
    return this.heartbeat.recordCollectorShard(tickAt, index, run);
  }
  lastCollectorRun() {
    return this.heartbeat.lastCollectorRun();
  }

  putDecision(decision: Decision, recordedAt: Date) {
    return this.decisions.putDecision(decision, recordedAt);
  }
  getDecision(serviceId: string, id: string) {
    return this.decisions.getDecision(serviceId, id);
  }
  decisionsSince(serviceId: string, since: Date) {
    return this.decisions.decisionsSince(serviceId, since);
  }
  recentDecisions(limit: number) {
    return this.decisions.recentDecisions(limit);
  }
  claimDecision(serviceId: string, id: string, now: Date, staleBefore: Date) {
    return this.decisions.claimDecision(serviceId, id, now, staleBefore);
  }
  releaseClaim(serviceId: string, id: string, claimedAt: Date) {
    return this.decisions.releaseClaim(serviceId, id, claimedAt);
  }
  finishDecision(
    serviceId: string,
    id: string,
    outcome: { status: 'executed' | 'failed'; result: string; finishedAt: Date },
  ) {
    return this.decisions.finishDecision(serviceId, id, outcome);
  }

  claim(key: string, now: Date, staleBefore: Date, owner?: string) {
    return this.notifications.claim(key, now, staleBefore, owner);
  }
  markSent(key: string, messageId: string, now: Date) {
    return this.notifications.markSent(key, messageId, now);
  }
  release(key: string, owner?: string) {
    return this.notifications.release(key, owner);
  }
}
