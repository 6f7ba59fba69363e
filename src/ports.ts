// What the domain needs from the outside world. lib/ implements these; src/ only sees the interfaces.
import type { Anomaly, Decision, EcsState, Sample, Service } from './model';

export interface Clock {
  now(): Date;
}

export interface MetricPoint {
  timestamp: number;
  value: number;
}

/** serviceId → metric id → points in ascending time. */
export type MetricBatch = Map<string, Map<string, MetricPoint[]>>;

export interface MetricSource {
  fetch(services: readonly Service[], from: Date, to: Date): Promise<MetricBatch>;
}

export interface EcsStateSource {
  /** serviceId → state; null when ECS does not know the service. */
  describe(services: readonly Service[]): Promise<Map<string, EcsState | null>>;
}

export interface ServiceRegistry {
  list(): Promise<Service[]>;
  get(id: string): Promise<Service | null>;
}

export interface ModelRecord<State = unknown> {
  metric: string;
  state: State;
  /** Optimistic-lock version: a save succeeds only if nobody saved since this was read. */
  version: number;
}

export interface ModelStore {
  loadModels(serviceId: string): Promise<ModelRecord[]>;
  /** Throws ConflictError when another tick saved first. */
  saveModel(
    serviceId: string,
    metric: string,
    state: unknown,
    expectedVersion: number,
  ): Promise<void>;
}

export interface ObservationStore {
  /** False when the sample for that minute was already written (a repeated tick). */
  putSample(sample: Sample, recordedAt: Date): Promise<boolean>;
  putAnomaly(anomaly: Anomaly, recordedAt: Date): Promise<boolean>;
  latestSample(serviceId: string): Promise<Sample | null>;
  anomaliesSince(serviceId: string, since: Date): Promise<Anomaly[]>;
}

export interface CollectorHeartbeat {
  ranAt: string;
  tickAt: string;
  services: number;
  series: number;
  anomalies: number;
  failures: number;
  durationMs: number;
}

export interface HeartbeatStore {
  recordCollectorRun(beat: CollectorHeartbeat): Promise<void>;
  lastCollectorRun(): Promise<CollectorHeartbeat | null>;
}

export interface DecisionStore {
  /** False when a decision with this id exists already. */
  putDecision(decision: Decision, recordedAt: Date): Promise<boolean>;
  getDecision(serviceId: string, id: string): Promise<Decision | null>;
  decisionsSince(serviceId: string, since: Date): Promise<Decision[]>;
  /**
   * Moves an approved decision to executing. Returns null when it was not approved (already taken,
   * or done), unless a previous claim is older than staleBefore (a crashed scaler).
   */
  claimDecision(
    serviceId: string,
    id: string,
    now: Date,
    staleBefore: Date,
  ): Promise<Decision | null>;
  finishDecision(
    serviceId: string,
    id: string,
    outcome: { status: 'executed' | 'failed'; result: string; finishedAt: Date },
  ): Promise<void>;
  recentDecisions(limit: number): Promise<Decision[]>;
}

export type NotificationClaim = 'claimed' | 'already-sent' | 'in-flight';

export interface NotificationLog {
  claim(key: string, now: Date, staleBefore: Date): Promise<NotificationClaim>;
  markSent(key: string, messageId: string, now: Date): Promise<void>;
  release(key: string): Promise<void>;
}

export interface Scaler {
  setDesiredCount(service: Service, desiredCount: number): Promise<{ previous: number | null }>;
}

export interface OutboundMessage {
  subject: string;
  /** Plain text, or with `structure: 'json'` a JSON object of per-protocol bodies (SNS). */
  body: string;
  attributes: { severity: string; service: string; kind: string };
  structure?: 'json';
}

export interface Notifier {
  publish(message: OutboundMessage): Promise<{ messageId: string }>;
}
