// The single-table layout: every key in one place.
//
// pk            sk                         kind        gsi1pk     gsi1sk
// SVC#<id>      SERVICE                    service     SERVICE    <id>
// SVC#<id>      SAMPLE#<at>                sample      -          -          (TTL)
// SVC#<id>      MODELS                     model       -          -          every series' model, one item
// SVC#<id>      MODEL#<metric>             model       -          -          (before MODELS; folded in, deleted)
// SVC#<id>      ANOMALY#<at>#<metric>      anomaly     ANOMALY    <at>#<id>#<metric> (TTL)
// SVC#<id>      DECISION#<rest of id>      decision    DECISION   <at>#<decisionId> (TTL: target scaling only)
//                                          (and, while it needs follow-up, pendingPk DECISION /
//                                           pendingSk <at>#<decisionId>: the sparse gsi `pending`)
// AUTOPILOT     HEARTBEAT#collect          heartbeat   -          -
// AUTOPILOT     HEARTBEAT#fn#<function>    heartbeat   -          -
// NOTIFY#<key>  NOTIFY                     notification -         -          (TTL)
//                                          (and, while its Publish is unconfirmed, pendingPk
//                                           NOTIFY#UNCONFIRMED / pendingSk <attemptedAt>#<key>)
// SVC#<id>      INCIDENT#<openedAt>        incident    INCIDENT   <openedAt>#<id> (TTL once resolved)
// SVC#<id>      NOTICE#<decisionId>        notice      -          -          (TTL)
// SILENCES      SILENCE#<id>               silence     -          -          (TTL after it ends)
// SVC#<id>      PAST#<resolvedAt>#<openedAt> past-incident -      -          (TTL) the status page's history
// SVC#<id>      TRACKED                    tracked     -          -          when vigia first saw the service
// REPORTS       DAILY#<day>                daily-report -         -          (TTL) housekeeping's report
//
// Queries read a service's items of one kind by sort-key prefix (skPrefix), and every service's
// items of one kind newest first through gsi1 (gsi1Kind).

/** The sort-key prefix of each kind a service partition holds. */
export const skPrefix = {
  sample: 'SAMPLE#',
  model: 'MODEL#',
  anomaly: 'ANOMALY#',
  decision: 'DECISION#',
  incident: 'INCIDENT#',
  notice: 'NOTICE#',
  action: 'ACTION#',
  pushed: 'PUSH#',
  reading: 'READING#',
  actionStats: 'LEARN#',
} as const;

/** The gsi1 partition of each kind listed across services. */
export const gsi1Kind = {
  service: 'SERVICE',
  anomaly: 'ANOMALY',
  decision: 'DECISION',
  incident: 'INCIDENT',
  action: 'ACTION',
  apiKey: 'APIKEY',
} as const;

export const servicePk = (serviceId: string) => `SVC#${serviceId}`;
export const sampleSk = (at: string) => `${skPrefix.sample}${at}`;
export const modelSk = (metric: string) => `${skPrefix.model}${metric}`;
/** The one item holding all of a service's detector models (and its read cadence). */
export const modelsSk = 'MODELS';
export const anomalySk = (at: string, metric: string) => `${skPrefix.anomaly}${at}#${metric}`;
export const anomalyGsi1 = (serviceId: string, at: string, metric: string) => ({
  gsi1pk: gsi1Kind.anomaly,
  gsi1sk: `${at}#${serviceId}#${metric}`,
});
export const decisionSk = (decisionId: string) =>
  `${skPrefix.decision}${decisionId.slice(decisionId.indexOf('~') + 1)}`;
export const decisionGsi1 = (at: string, decisionId: string) => ({
  gsi1pk: gsi1Kind.decision,
  gsi1sk: `${at}#${decisionId}`,
});
/** The sparse index of decisions that still need the sweep or the verifier. */
export const pendingIndex = {
  name: 'pending',
  decisions: 'DECISION',
  /** Notification log entries whose Publish is unconfirmed (notification-log.ts). */
  unconfirmedNotifications: 'NOTIFY#UNCONFIRMED',
} as const;
export const unconfirmedPending = (attemptedAt: string, key: string) => ({
  pendingPk: pendingIndex.unconfirmedNotifications,
  pendingSk: `${attemptedAt}#${key}`,
});
export const decisionPending = (at: string, decisionId: string) => ({
  pendingPk: pendingIndex.decisions,
  pendingSk: `${at}#${decisionId}`,
});
export const heartbeatKey = { pk: 'AUTOPILOT', sk: 'HEARTBEAT#collect' } as const;
export const functionHeartbeatPrefix = 'HEARTBEAT#fn#';
export const functionHeartbeatKey = (name: string) => ({
  pk: heartbeatKey.pk,
  sk: `${functionHeartbeatPrefix}${name}`,
});
export const notificationKey = (key: string) => ({ pk: `NOTIFY#${key}`, sk: 'NOTIFY' });

export const incidentSk = (openedAt: string) => `${skPrefix.incident}${openedAt}`;
export const incidentGsi1 = (serviceId: string, openedAt: string) => ({
  gsi1pk: gsi1Kind.incident,
  gsi1sk: `${openedAt}#${serviceId}`,
});
export const noticeSk = (decisionId: string) => `${skPrefix.notice}${decisionId}`;
export const silencesPk = 'SILENCES';
export const silenceKey = (id: string) => ({ pk: silencesPk, sk: `SILENCE#${id}` });

export const pastIncidentSk = (resolvedAt: string, openedAt: string) =>
  `PAST#${resolvedAt}#${openedAt}`;
export const trackedSk = 'TRACKED';
export const reportsPk = 'REPORTS';
export const dailyReportKey = (day: string) => ({ pk: reportsPk, sk: `DAILY#${day}` });

export const ttl = {
  sampleDays: 14,
  anomalyDays: 90,
  /** Target scaling decides on every reading: its decisions and their audit records go like anomalies. */
  targetScalingDays: 90,
  notificationDays: 7,
  /** An ended silence stays listed this long. */
  silenceDays: 7,
  /** Past incidents back the status page's 90 days, with a margin. */
  pastIncidentDays: 100,
  dailyReportDays: 400,
};

export function expiresAt(from: Date | string, days: number): number {
  return Math.floor(new Date(from).getTime() / 1000) + days * 86_400;
}

/** Attributes that are storage detail, not domain data. */
export const storageAttributes = [
  'pk',
  'sk',
  'gsi1pk',
  'gsi1sk',
  'pendingPk',
  'pendingSk',
  'kind',
  'expiresAt',
  'recordedAt',
  'version',
  // Which verify run's transaction wrote the outcome (learning-store.ts commitVerification).
  'verifiedBy',
];

export function stripStorage(item: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) if (!storageAttributes.includes(k)) out[k] = v;
  return out;
}

// The HTTP API's items (issue 5):
//
// pk              sk                       kind        gsi1pk     gsi1sk
// APIKEY#<sha256> APIKEY                   apikey      APIKEY     <keyId>
// RATE#<keyId>    MINUTE#<minute>          ratelimit   -          -          (TTL)
// SVC#<id>        ACTION#<at>#<actionId>   action      ACTION     <at>#<actionId>
// SVC#<id>        PUSH#<minute>#<metric>   pushed      -          -          (TTL)
// SVC#<id>        READING#<at>             reading     -          -          (TTL) target scaling's input
// SVC#<id>        PUSHING                  push-marker -          -          (TTL) when it last pushed
// IDEMPOTENCY#<keyId>#<key> IDEMPOTENCY   idempotency -          -          (TTL) a manual action's key
// (runtime services: SVC#<id> / SERVICE above, written by the API's service store)

export const apiKeyKey = (hash: string) => ({ pk: `APIKEY#${hash}`, sk: 'APIKEY' });
export const apiKeyGsi1 = (keyId: string) => ({ gsi1pk: gsi1Kind.apiKey, gsi1sk: keyId });
export const rateLimitKey = (keyId: string, minute: string) => ({
  pk: `RATE#${keyId}`,
  sk: `MINUTE#${minute}`,
});
export const serviceKey = (serviceId: string) => ({ pk: servicePk(serviceId), sk: 'SERVICE' });
export const serviceGsi1 = (serviceId: string) => ({ gsi1pk: gsi1Kind.service, gsi1sk: serviceId });
export const actionSk = (at: string, actionId: string) => `${skPrefix.action}${at}#${actionId}`;
export const pushedSk = (minute: string, metric: string) => `${skPrefix.pushed}${minute}#${metric}`;

export const readingSk = (at: string) => `${skPrefix.reading}${at}`;
/** Says a service pushes (and when it last did): the collector queries only such services. */
export const pushMarkerKey = (serviceId: string) => ({ pk: servicePk(serviceId), sk: 'PUSHING' });
export const idempotencyKey = (apiKeyId: string, key: string) => ({
  pk: `IDEMPOTENCY#${apiKeyId}#${key}`,
  sk: 'IDEMPOTENCY',
});

export const apiTtl = { rateLimitDays: 1, pushedDays: 2, readingDays: 1, idempotencyDays: 1 };

// The decision engine's items (issue 4):
//
// pk            sk                              kind             gsi1pk   gsi1sk
// SVC#<id>      AUTOPILOT                       autopilot-state  -        -
// SVC#<id>      LEARN#<diagnosis>#<action>      action-stats     -        -
// AUTOPILOT     LEARNING#summary                learning-summary -        -
// SVC#<id>      ACTION#<at>#<actionId>          action           ACTION   <at>#<actionId>   (above)
//
// autopilot-state: { serviceId, scaling: ScalingState as JSON, version, updatedAt }; every decision
//   the engine writes bumps its version in the same transaction, so concurrent decisions for one
//   service serialise (cooldowns and the hourly cap cannot be raced).
// action (written by scale, one per executed/failed/skipped decision, in the same transaction as
//   the decision's final status): { id: '<decisionId>~action', serviceId, at (finished, ISO),
//   type: 'scale-out'|'scale-in'|'restart'|'rollback'|'notify', status: 'executed'|'failed'|'skipped',
//   requestedBy, reason, detail (the result line), decisionId, before, after
//   (each { desiredCount, runningCount, taskDefinition } or null) } — the shape of AuditEntry plus
//   status, reason, before and after.
// action-stats: { serviceId, diagnosis, action, alpha, beta, resolved, notResolved, worse, version,
//   updatedAt } — the Beta posterior of "this action resolves this diagnosis here".
// learning-summary: { verified, resolved, notResolved, worse, accuracy (null before any),
//   updatedAt, version, services: { <id>: { verified, resolved, notResolved, worse, accuracy,
//   stats: [{ diagnosis, action, alpha, beta, resolved, notResolved, worse, expectedSuccess }] } } }

export const autopilotStateSk = 'AUTOPILOT';
export const actionStatsSk = (diagnosis: string, action: string) =>
  `${skPrefix.actionStats}${diagnosis}#${action}`;
export const learningSummaryKey = { pk: 'AUTOPILOT', sk: 'LEARNING#summary' } as const;
export const actionGsi1 = (at: string, actionId: string) => ({
  gsi1pk: gsi1Kind.action,
  gsi1sk: `${at}#${actionId}`,
});
