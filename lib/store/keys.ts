// The single-table layout: every key in one place.
//
// pk            sk                         kind        gsi1pk     gsi1sk
// SVC#<id>      SERVICE                    service     SERVICE    <id>
// SVC#<id>      SAMPLE#<at>                sample      -          -          (TTL)
// SVC#<id>      MODEL#<metric>             model       -          -
// SVC#<id>      ANOMALY#<at>#<metric>      anomaly     ANOMALY    <at>#<id>  (TTL)
// SVC#<id>      DECISION#<rest of id>      decision    DECISION   <at>#<id>
// AUTOPILOT     HEARTBEAT#collect          heartbeat   -          -
// NOTIFY#<key>  NOTIFY                     notification -         -          (TTL)
// SVC#<id>      INCIDENT#<openedAt>        incident    INCIDENT   <openedAt>#<id> (TTL once resolved)
// SVC#<id>      NOTICE#<decisionId>        notice      -          -          (TTL)
// SILENCES      SILENCE#<id>               silence     -          -          (TTL after it ends)

export const servicePk = (serviceId: string) => `SVC#${serviceId}`;
export const sampleSk = (at: string) => `SAMPLE#${at}`;
export const modelSk = (metric: string) => `MODEL#${metric}`;
export const anomalySk = (at: string, metric: string) => `ANOMALY#${at}#${metric}`;
export const decisionSk = (decisionId: string) =>
  `DECISION#${decisionId.slice(decisionId.indexOf('~') + 1)}`;
export const heartbeatKey = { pk: 'AUTOPILOT', sk: 'HEARTBEAT#collect' } as const;
export const notificationKey = (key: string) => ({ pk: `NOTIFY#${key}`, sk: 'NOTIFY' });

export const incidentSk = (openedAt: string) => `INCIDENT#${openedAt}`;
export const incidentGsi1 = (serviceId: string, openedAt: string) => ({
  gsi1pk: 'INCIDENT',
  gsi1sk: `${openedAt}#${serviceId}`,
});
export const noticeSk = (decisionId: string) => `NOTICE#${decisionId}`;
export const silenceKey = (id: string) => ({ pk: 'SILENCES', sk: `SILENCE#${id}` });

export const ttl = {
  sampleDays: 14,
  anomalyDays: 90,
  notificationDays: 7,
  /** An ended silence stays listed this long. */
  silenceDays: 7,
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
  'kind',
  'expiresAt',
  'recordedAt',
  'version',
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
// (runtime services: SVC#<id> / SERVICE above, written by the API's service store)

export const apiKeyKey = (hash: string) => ({ pk: `APIKEY#${hash}`, sk: 'APIKEY' });
export const rateLimitKey = (keyId: string, minute: string) => ({
  pk: `RATE#${keyId}`,
  sk: `MINUTE#${minute}`,
});
export const serviceKey = (serviceId: string) => ({ pk: servicePk(serviceId), sk: 'SERVICE' });
export const actionSk = (at: string, actionId: string) => `ACTION#${at}#${actionId}`;
export const pushedSk = (minute: string, metric: string) => `PUSH#${minute}#${metric}`;

export const apiTtl = { rateLimitDays: 1, pushedDays: 2 };
