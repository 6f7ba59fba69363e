// What the domain needs from the outside world. lib/ implements these; src/ only sees the interfaces.
import type { AlertingState, Incident, Silence } from './alerting';
import type { ActionStats, LearningSummary, ScalingState } from './decision';
import type {
  Anomaly,
  Decision,
  DecisionOutcome,
  EcsState,
  Runbook,
  RunbookContext,
  Sample,
  Service,
  ServiceSnapshot,
} from './model';
import type { BreakerSnapshot } from './resilience/circuit-breaker';
import type { CadenceMemory } from './collection/read-cadence';

export interface Clock {
  now(): Date;
}

export type TelemetryDimensions = Record<string, string>;

/** vigia's own metrics (ticks, decisions, failures, loop latencies): what it tells about itself. */
export interface Telemetry {
  count(name: string, value?: number, dims?: TelemetryDimensions): void;
  timing(name: string, ms: number, dims?: TelemetryDimensions): void;
}

export interface MetricPoint {
  timestamp: number;
  value: number;
}

/** serviceId → metric id → points in ascending time. */
export type MetricBatch = Map<string, Map<string, MetricPoint[]>>;

/** One source could not read one service (its Prometheus answered an error, say). */
export interface SourceFailure {
  serviceId: string;
  source: string;
  error: string;
}

export interface MetricSource {
  /**
   * A failure confined to one service's series is reported, and the tick goes on without those
   * series; a thrown error fails the whole fetch.
   */
  fetch(
    services: readonly Service[],
    from: Date,
    to: Date,
    report?: (failure: SourceFailure) => void,
    /** The window is history (a warm-up chunk): a source that reads only the present answers nothing. */
    history?: boolean,
  ): Promise<MetricBatch>;
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

/** All of one service's detector models in one item under one version lock (and its read cadence). */
export interface ServiceModels<State = unknown> {
  /** The item's optimistic-lock version; 0 when the service has no item yet. */
  version: number;
  /** One record per series; each record's own version counts that series' saves. */
  series: ModelRecord<State>[];
  cadence: CadenceMemory | null;
}

export interface ModelStore {
  loadModels(serviceId: string): Promise<ModelRecord[]>;
  /** Many services' models in few calls; a service without any maps to version 0 and no series. */
  loadServiceModels(serviceIds: readonly string[]): Promise<Map<string, ServiceModels>>;
  /**
   * Replaces the service's models (every series, saved or not, in one write) only over
   * `expectedVersion`; throws ConflictError when another tick saved first.
   */
  saveServiceModels(
    serviceId: string,
    models: Omit<ServiceModels, 'version'>,
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
  /** A fanned-out tick: the shards handed to workers, and how many have reported so far. */
  shards?: number;
  shardsDone?: number;
}

/** What one collect worker reports for its shard of a tick. */
export interface CollectorShardRun {
  services: number;
  series: number;
  anomalies: number;
  failures: number;
  durationMs: number;
}

export interface HeartbeatStore {
  recordCollectorRun(beat: CollectorHeartbeat): Promise<void>;
  /** Adds a worker's shard to its tick's heartbeat (dropped once a later tick has started). */
  recordCollectorShard(tickAt: string, index: number, run: CollectorShardRun): Promise<void>;
  lastCollectorRun(): Promise<CollectorHeartbeat | null>;
}

/** One worker's share of a collector tick: the services travel with it (no second registry read). */
export interface CollectShard {
  tickAt: string;
  index: number;
  count: number;
  services: Service[];
}

/** Hands a shard to a worker invocation (asynchronous: it returns once the shard is queued). */
export interface ShardInvoker {
  invoke(shard: CollectShard): Promise<void>;
}

/** One invocation of a function (stream consumer, schedule or subscriber), as its middleware saw it. */
export interface FunctionRun {
  /** The function's name in serverless.yml: decide, scale, collect, … */
  name: string;
  at: Date;
  /** Set when the invocation threw or reported failed records. */
  error?: string;
  /** The container's circuit breakers as the invocation left them (none until one is used). */
  breakers?: BreakerSnapshot[];
}

/** What every function leaves behind, run after run: /health judges each subsystem by it. */
export interface FunctionHeartbeat {
  name: string;
  lastSuccessAt: string | null;
  lastFailureAt: string | null;
  lastError: string | null;
  /** Failed invocations since the item was created. */
  errors: number;
  runs: number;
  /** The breakers of the container that ran last, as it reported them. */
  breakers: BreakerSnapshot[];
}

export interface FunctionHeartbeatStore {
  /** One atomic, conditional write per invocation. */
  recordRun(run: FunctionRun): Promise<void>;
  functionHeartbeats(): Promise<FunctionHeartbeat[]>;
}

/**
 * Decisions that still need follow-up (to be carried out or verified), across services: an index
 * decision items join when written needing it (src/use-cases/pending-decisions.ts).
 */
export interface PendingDecisions {
  /** Every decision in the index, oldest first. */
  pending(): Promise<Decision[]>;
  /** Takes the decision out of the index if it is still as read (status and outcome). */
  settle(decision: Decision): Promise<void>;
}

export interface DecisionStore {
  /** False when a decision with this id exists already. */
  putDecision(decision: Decision, recordedAt: Date): Promise<boolean>;
  getDecision(serviceId: string, id: string): Promise<Decision | null>;
  decisionsSince(serviceId: string, since: Date): Promise<Decision[]>;
  /**
   * Moves an approved decision to executing. Returns null when it was not approved (already taken,
   * or done), unless a previous claim is older than staleBefore (a scaler that died or could not
   * record its result): then it is taken over, and `interruptedClaimAt` says when that claim began.
   */
  claimDecision(
    serviceId: string,
    id: string,
    now: Date,
    staleBefore: Date,
  ): Promise<DecisionClaim | null>;
  /**
   * Puts a claim made at `claimedAt` back to approved, untouched; false when it is no longer that
   * claim (taken over, or finished).
   */
  releaseClaim(serviceId: string, id: string, claimedAt: Date): Promise<boolean>;
  finishDecision(
    serviceId: string,
    id: string,
    outcome: { status: 'executed' | 'failed'; result: string; finishedAt: Date },
  ): Promise<void>;
  recentDecisions(limit: number): Promise<Decision[]>;
}

export interface DecisionClaim {
  decision: Decision;
  /** Set when an earlier claim was taken over: its action may already have reached ECS. */
  interruptedClaimAt: string | null;
}

export type NotificationClaim = 'claimed' | 'already-sent' | 'in-flight';

export interface NotificationLog {
  /**
   * A claim that is already this call's counts as 'claimed': the write landed but its answer was
   * lost, and the client's retry found it. `owner` (a token unique to this attempt) names the claim
   * for a later `release`; without one the claim is the call's own alone.
   */
  claim(key: string, now: Date, staleBefore: Date, owner?: string): Promise<NotificationClaim>;
  markSent(key: string, messageId: string, now: Date): Promise<void>;
  /** Drops a claim still 'sending' (only the owner's own, when given). */
  release(key: string, owner?: string): Promise<void>;
}

/**
 * What the topic's own subscriber saw: a message published whose answer was lost is known to have
 * gone out when the subscriber recorded it. `confirmed` waits a while for that record.
 */
export interface PublicationEcho {
  confirmed(key: string): Promise<boolean>;
}

/** A Publish that got no answer and no echo: kept in the log until it is confirmed or sent again. */
export interface UnconfirmedPublication {
  key: string;
  message: OutboundMessage;
  /** When the last Publish of it was attempted (ISO): the echo is awaited from then. */
  attemptedAt: string;
  /** Publishes attempted so far, the first included. */
  attempts: number;
}

/**
 * The notification log's entries whose Publish is unconfirmed (publish-notification.ts,
 * republish-unconfirmed.ts). Every change is conditional on the state the caller last saw.
 */
export interface UnconfirmedPublications {
  /**
   * The run's own 'sending' claim (named by its `claimedAt`) becomes 'unconfirmed'. False when it
   * is no longer that claim (the echo marked it sent, or another run took it over).
   */
  markUnconfirmed(
    key: string,
    claimedAt: Date,
    message: OutboundMessage,
    attemptedAt: Date,
    attempts: number,
  ): Promise<boolean>;
  /** Unconfirmed entries (and republishes that never finished) attempted before `before`, oldest first. */
  due(before: Date, limit: number): Promise<UnconfirmedPublication[]>;
  /** Claims an entry for a republish at `now` if it is still as `due` read it; false otherwise. */
  claimRepublish(entry: UnconfirmedPublication, now: Date): Promise<boolean>;
  /** Stops republishing an entry still as `due` read it (it stays in the log, 'abandoned'). */
  abandon(entry: UnconfirmedPublication, now: Date): Promise<boolean>;
}

export interface Scaler {
  setDesiredCount(service: Service, desiredCount: number): Promise<{ previous: number | null }>;
}

export interface OutboundMessage {
  subject: string;
  /** Plain text, or with `structure: 'json'` a JSON object of per-protocol bodies (SNS). */
  body: string;
  /** `route` ("<service>:<severity>") is what routed email and SMS subscriptions filter on. */
  attributes: { severity: string; service: string; kind: string; route?: string };
  structure?: 'json';
}

export interface Notifier {
  publish(message: OutboundMessage): Promise<{ messageId: string }>;
}

// ── alerting (issue 10) ─────────────────────────────────────────────────────
// What the alerting use cases need from storage: one service's alerting state, saved with
// conditional writes, and the API's views of incidents and silences.

export interface AlertingStateStore {
  /** The service's open and recently resolved incidents, its notices, and every silence. */
  loadServiceState(serviceId: string, now: Date): Promise<AlertingState>;
  /**
   * Writes what changed between `before` and `after` (the result of a step or flush), each item
   * conditional on what was read. Throws ConflictError when another writer got there first.
   */
  saveServiceState(before: AlertingState, after: AlertingState, now: Date): Promise<void>;
}

export interface IncidentQuery {
  serviceId?: string;
  from?: string;
  to?: string;
  status?: 'open' | 'resolved';
  limit: number;
  cursor?: string;
}

export interface IncidentPage {
  incidents: Incident[];
  /** Opaque; pass back as `cursor` for the next page. Null on the last page. */
  nextCursor: string | null;
}

export interface AlertingAdminStore {
  getIncident(incidentId: string): Promise<Incident | null>;
  /** Conditional on the incident's version being `expectedVersion`. */
  saveIncident(incident: Incident, expectedVersion: number): Promise<void>;
  listIncidents(query: IncidentQuery): Promise<IncidentPage>;
  /** Silences not yet past their retention, ended ones included. */
  listSilences(now: Date): Promise<Silence[]>;
  getSilence(id: string): Promise<Silence | null>;
  /** Creates a silence; false when the id exists. */
  createSilence(silence: Silence): Promise<boolean>;
  /** Replaces a silence only if it still equals `expected`; ConflictError otherwise. */
  replaceSilence(expected: Silence, next: Silence): Promise<void>;
}

// ── decision engine (issue 4) ───────────────────────────────────────────────

/** What the autopilot remembers per service between decisions (cooldowns, recommendations). */
export interface AutopilotState {
  scaling: ScalingState;
  /** Optimistic-lock version; 0 when nothing was stored yet. */
  version: number;
}

export type DecisionCommit = 'created' | 'exists' | 'conflict';

/** The decision engine's writes: a decision and its service's state move together, or not at all. */
export interface DecisionLedger {
  loadAutopilotState(serviceId: string): Promise<AutopilotState>;
  /**
   * Creates the decision and saves the state at expectedVersion + 1 in one transaction: 'exists'
   * when the decision was written before (a redelivery), 'conflict' when another decision for the
   * service committed since the state was read (plan again).
   */
  commitDecision(
    decision: Decision,
    scaling: ScalingState,
    expectedVersion: number,
    recordedAt: Date,
  ): Promise<DecisionCommit>;
  /**
   * Saves the scaling state alone at expectedVersion + 1 (a held plan's recommendation): 'saved',
   * or 'conflict' when another writer committed since the state was read.
   */
  saveScalingState(
    serviceId: string,
    scaling: ScalingState,
    expectedVersion: number,
    recordedAt: Date,
  ): Promise<'saved' | 'conflict'>;
  /**
   * executing → executed | failed | skipped, with the audit record of the action, in one
   * transaction. Throws ConflictError when the decision is no longer executing.
   */
  completeDecision(completion: DecisionCompletion): Promise<void>;
}

export interface DecisionCompletion {
  decision: Decision;
  status: 'executed' | 'failed' | 'skipped';
  result: string;
  finishedAt: Date;
  before: ServiceSnapshot | null;
  after: ServiceSnapshot | null;
}

/** ECS actions beyond the desired count (SPEC X4). */
export interface ServiceActuator extends Scaler {
  snapshot(service: Service): Promise<ServiceSnapshot>;
  /** Force a new deployment of the same task definition. */
  restart(service: Service): Promise<void>;
  /** Back to `target`, or to the task definition that ran before the current one. */
  rollback(service: Service, target: string | null): Promise<{ from: string; to: string }>;
}

/**
 * Runs a team's runbook (SPEC X7) and answers one line for the audit trail. A runbook that failed
 * throws an error naming why; one that got no answer in time throws OutcomeUnknownError.
 */
export interface RunbookRunner {
  run(name: string, runbook: Runbook, context: RunbookContext): Promise<string>;
}

export interface LearnedStatsRecord {
  stats: ActionStats;
  version: number;
}

export interface VerificationCommit {
  decision: Decision;
  outcome: DecisionOutcome;
  detail: string;
  verifiedAt: Date;
  /** The updated statistics row (null: nothing learned, e.g. a compensation). */
  stats: LearnedStatsRecord | null;
  summary: { summary: LearningSummary; version: number };
  compensation: Decision | null;
}

export interface LearningStore {
  loadStats(serviceId: string): Promise<LearnedStatsRecord[]>;
  loadSummary(): Promise<{ summary: LearningSummary; version: number }>;
  /** Executed decisions of a service since a time (data time), newest last. */
  executedSince(serviceId: string, since: Date): Promise<Decision[]>;
  samplesBetween(serviceId: string, from: Date, to: Date): Promise<Sample[]>;
  /**
   * Writes the outcome on the decision (only once), the statistics row and the summary (both at
   * version + 1) and the compensation, in one transaction. 'verified' when another run did it.
   */
  commitVerification(commit: VerificationCommit): Promise<'committed' | 'verified' | 'conflict'>;
}

// ── HTTP API use cases ──
// What the API's use cases (manual actions, decision review, the service catalogue, silences and
// acknowledgements, history) need; the stores in lib/store satisfy these structurally.

/** One entry of the operator audit trail (SPEC X6): who asked for what, on which service. */
export interface AuditEntry {
  id: string;
  serviceId: string;
  at: string;
  /** e.g. scale, restart, recover, approve, reject, mode, service-create, service-update. */
  type: string;
  requestedBy: string;
  detail: string;
  decisionId: string | null;
}

export interface AuditTrail {
  record(entry: AuditEntry): Promise<void>;
}

/** Who asked and when: stamps audit entries; requestId also names the audit entry. */
export interface OperatorRequest {
  requestId: string;
  /** e.g. `api:ci-bot`. */
  requestedBy: string;
  now: Date;
}

/** A client's Idempotency-Key, scoped to its API key and bound to what it asked for. */
export interface IdempotencyClaim {
  apiKeyId: string;
  key: string;
  /** Hash of what was asked: the same key may not ask for something else. */
  fingerprint: string;
}

export type ManualRecord =
  | { kind: 'created' }
  /** The key was used before for the same request: its decision stands. */
  | { kind: 'repeated'; decisionId: string }
  /** The key was used before for a different request. */
  | { kind: 'key-reused' }
  /** The transaction was cancelled and nothing stored answers for it (a race): try again. */
  | { kind: 'conflict' };

/** Writes a manual action's decision, its audit entry and the key's claim in one transaction. */
export interface ManualActionLedger {
  record(
    decision: Decision,
    audit: AuditEntry,
    claim: IdempotencyClaim | null,
    now: Date,
  ): Promise<ManualRecord>;
}

export interface ManualActionPorts {
  services: Pick<ServiceRegistry, 'get'>;
  observations: Pick<ObservationStore, 'latestSample' | 'anomaliesSince'>;
  /** The count a manual action starts from: ECS's desired count now, not the last sample's. */
  ecs: EcsStateSource;
  decisions: Pick<DecisionStore, 'getDecision'>;
  ledger: ManualActionLedger;
  audit: AuditTrail;
}

/** A stored decision as the history shows it (loosely typed: older items may lack fields). */
export type DecisionRecordItem = Record<string, unknown>;

export interface DecisionReviewPorts {
  decisions: { decision(id: string): Promise<DecisionRecordItem | null> };
  /** A decision whose service was removed may not be approved. */
  services: Pick<ServiceRegistry, 'get'>;
  /** Conditional on the decision being proposed; ConflictError otherwise. */
  reviews: {
    review(
      id: string,
      verdict: 'approved' | 'rejected',
      by: string,
      now: Date,
      note: string,
    ): Promise<DecisionRecordItem>;
  };
  audit: AuditTrail;
}

export interface StoredServiceRecord {
  service: Service;
  version: number;
}

/** Services registered or overridden through the API, each write conditional on its version. */
export interface ServiceOverrideStore {
  get(id: string): Promise<StoredServiceRecord | null>;
  /** Creates (expectedVersion null) or replaces at expectedVersion; returns the new version. */
  put(service: Service, expectedVersion: number | null, now: Date): Promise<number>;
  delete(id: string, expectedVersion: number): Promise<void>;
}

export interface ServiceCataloguePorts {
  registry: Pick<ServiceRegistry, 'list'>;
  /** The services of config/services.json: their source of truth is the file. */
  declared: readonly Service[];
  /** Clusters vigia may act on besides the declared services' (deploy parameter extraClusters). */
  extraClusters?: readonly string[];
  overrides: ServiceOverrideStore;
  audit: AuditTrail;
}

export interface AlertAdminPorts {
  store: AlertingAdminStore;
  newId(): string;
}

export interface HistoryFilter {
  from: Date;
  to: Date;
  serviceId?: string | undefined;
}

export interface HistoryPageRequest {
  limit: number;
  cursor?: string | undefined;
}

export interface HistoryPage {
  items: Record<string, unknown>[];
  /** Opaque; pass back as `cursor` for the next page. Null on the last page. */
  nextCursor: string | null;
}

/** The read side of anomalies, decisions and the action audit trail, newest first. */
export interface HistoryReader {
  anomalies(filter: HistoryFilter, page: HistoryPageRequest): Promise<HistoryPage>;
  decisions(
    filter: HistoryFilter & { status?: string | undefined },
    page: HistoryPageRequest,
  ): Promise<HistoryPage>;
  actions(filter: HistoryFilter, page: HistoryPageRequest): Promise<HistoryPage>;
}
