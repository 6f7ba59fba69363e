// An incident: the anomalies of one service that overlap in time, from the first to recovery (SPEC N4).
import { z } from 'zod';
import {
  directionSchema,
  isoTimestampSchema,
  serviceIdSchema,
  severityRank,
  severitySchema,
  type Severity,
} from '../model/common';
import type { Anomaly } from '../model/anomaly';
import type { AlertingConfig } from './config';
import { recoveryNoteSchema } from './recovery-note';
import { addSeconds, earlierOf, iso, laterOf, ms } from './time';

export const incidentMetricSchema = z.object({
  metric: z.string().min(1),
  /** The worst severity seen while the incident was open: an incident never de-escalates. */
  severity: severitySchema,
  firstAt: isoTimestampSchema,
  lastAt: isoTimestampSchema,
  /** The latest anomaly's reading. */
  value: z.number(),
  expected: z.number().nullable(),
  direction: directionSchema,
  explanation: z.string(),
  /** Since when the metric has been back inside its band; null while it is anomalous. */
  normalSince: isoTimestampSchema.nullable(),
  /**
   * The latest reading that showed it back inside its band (null while it is anomalous): the
   * incident resolves only once readings cover the whole resolve interval — a sample arrives a
   * minute or two after its minute, and the clock alone would call a fault healthy before its
   * readings said so. Absent on older items: the incident then resolves on fresh readings or stale.
   */
  normalUntil: isoTimestampSchema.nullable().optional(),
  /**
   * A forecast breach (the watch's, e.g. memory reaching 95 % within the week): no reading says it
   * is over, and the watch repeats it only once an hour while the breach is still forecast, so it
   * goes stale after `forecastStaleAfterSeconds`, not `staleAfterSeconds`.
   */
  forecast: z.boolean().optional(),
  /**
   * What healthy means for this incident: at or below the band's upper edge the detector had
   * learned before the incident (and every static threshold that fired), at or above the lower
   * edge for a fall. Frozen: the band that adapted to a plateau does not count. Absent on older
   * items and when the anomaly had no band: any reading without an anomaly counts as normal.
   */
  healthyAtMost: z.number().nullable().optional(),
  healthyAtLeast: z.number().nullable().optional(),
});
export type IncidentMetric = z.infer<typeof incidentMetricSchema>;

export const acknowledgementSchema = z.strictObject({
  by: z.string().min(1).max(100),
  at: isoTimestampSchema,
  comment: z.string().max(500).default(''),
});
export type Acknowledgement = z.infer<typeof acknowledgementSchema>;

/** The body of `POST /incidents/{id}/ack`. */
export const acknowledgementRequestSchema = acknowledgementSchema.omit({ at: true });
export type AcknowledgementRequest = z.input<typeof acknowledgementRequestSchema>;

/** What was already told about the incident: the alert manager's memory. */
export const deliverySchema = z.object({
  firstSentAt: isoTimestampSchema.nullable(),
  lastSentAt: isoTimestampSchema.nullable(),
  /** Fingerprints of what the last message said: a change is worth an update. */
  sentAlert: z.string().nullable(),
  sentNotes: z.string().nullable(),
  /**
   * What the last message told (notification.ts `toldFacts`): an update that would say the same
   * is not sent. Absent on items stored before it was kept.
   */
  sentFacts: z.string().optional(),
  sent: z.number().int().min(0),
  /** The resolved message was sent, or deliberately not (never notified, silenced). */
  closed: z.boolean(),
});
export type Delivery = z.infer<typeof deliverySchema>;

export const incidentStatusSchema = z.enum(['open', 'resolved']);

export const incidentSchema = z.object({
  id: z.string().min(1),
  serviceId: serviceIdSchema,
  status: incidentStatusSchema,
  /** Time of the first anomaly: with the service, it makes the id. */
  openedAt: isoTimestampSchema,
  /** When vigia opened it: group wait counts from here, not from a late-delivered anomaly. */
  createdAt: isoTimestampSchema,
  updatedAt: isoTimestampSchema,
  resolvedAt: isoTimestampSchema.nullable(),
  severity: severitySchema,
  metrics: z.record(z.string(), incidentMetricSchema),
  anomalyCount: z.number().int().min(0),
  /** Bounded: enough to recognise a redelivered stream record, small enough for one item. */
  recentAnomalyIds: z.array(z.string()),
  notes: z.array(recoveryNoteSchema),
  /**
   * The last rise in severity: the anomaly's time and when vigia saw it. The update it is worth
   * waits briefly for vigia's decision on it (flush.ts), as the first message does.
   */
  escalation: z.object({ at: isoTimestampSchema, seenAt: isoTimestampSchema }).optional(),
  acknowledgement: acknowledgementSchema.nullable(),
  delivery: deliverySchema,
  /** Bumped on every change: the store writes an incident only if the version it read is current. */
  version: z.number().int().min(0),
});
export type Incident = z.infer<typeof incidentSchema>;

export const recentAnomalyIdLimit = 100;

export function incidentKey(serviceId: string, openedAt: string): string {
  return `inc~${serviceId}~${openedAt}`;
}

export function maxSeverity(a: Severity, b: Severity): Severity {
  return severityRank[a] >= severityRank[b] ? a : b;
}

export function reachesSeverity(severity: Severity, threshold: Severity): boolean {
  return severityRank[severity] >= severityRank[threshold];
}

/** The edges an anomaly sets: the upper of a rise, the lower of a fall. */
function healthyEdges(anomaly: Anomaly) {
  return {
    healthyAtMost: anomaly.direction === 'up' ? anomaly.upper : null,
    healthyAtLeast: anomaly.direction === 'down' ? anomaly.lower : null,
  };
}

/** The stricter of two edges (min of ceilings, max of floors): order-free, so a join. */
function stricter(
  a: number | null | undefined,
  b: number | null,
  pick: (x: number, y: number) => number,
) {
  if (a == null) return b;
  if (b === null) return a;
  return pick(a, b);
}

function metricFromAnomaly(anomaly: Anomaly): IncidentMetric {
  return {
    ...healthyEdges(anomaly),
    metric: anomaly.metric,
    severity: anomaly.severity,
    firstAt: anomaly.at,
    lastAt: anomaly.at,
    value: anomaly.value,
    expected: anomaly.expected,
    direction: anomaly.direction,
    explanation: anomaly.explanation,
    normalSince: null,
    normalUntil: null,
    ...(anomaly.source === 'forecast' ? { forecast: true } : {}),
  };
}

export function openIncident(anomaly: Anomaly, now: Date): Incident {
  return {
    id: incidentKey(anomaly.serviceId, anomaly.at),
    serviceId: anomaly.serviceId,
    status: 'open',
    openedAt: anomaly.at,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    resolvedAt: null,
    severity: anomaly.severity,
    metrics: { [anomaly.metric]: metricFromAnomaly(anomaly) },
    anomalyCount: 1,
    recentAnomalyIds: [anomaly.id],
    notes: [],
    acknowledgement: null,
    delivery: {
      firstSentAt: null,
      lastSentAt: null,
      sentAlert: null,
      sentNotes: null,
      sent: 0,
      closed: false,
    },
    version: 1,
  };
}

// A join: min/max of times and severities, so applying the same anomaly twice is a no-op and the
// order in which stream records arrive does not matter.
function mergeMetric(m: IncidentMetric, anomaly: Anomaly, counts: boolean): IncidentMetric {
  const latest = ms(anomaly.at) > ms(m.lastAt);
  const stillAnomalous = m.normalSince !== null && ms(anomaly.at) >= ms(m.normalSince);
  if (!counts) return stillAnomalous ? { ...m, normalSince: null, normalUntil: null } : m;
  const edges = healthyEdges(anomaly);
  return {
    ...m,
    // One side per metric, the first anomaly's: a rise that ends below its old band (after a
    // scale-out) is healthy, not a fall to recover from.
    healthyAtMost:
      m.healthyAtLeast != null
        ? m.healthyAtMost
        : stricter(m.healthyAtMost, edges.healthyAtMost, Math.min),
    healthyAtLeast:
      m.healthyAtMost != null
        ? m.healthyAtLeast
        : stricter(m.healthyAtLeast, edges.healthyAtLeast, Math.max),
    severity: maxSeverity(m.severity, anomaly.severity),
    firstAt: earlierOf(m.firstAt, anomaly.at),
    lastAt: laterOf(m.lastAt, anomaly.at),
    ...(latest
      ? {
          value: anomaly.value,
          expected: anomaly.expected,
          direction: anomaly.direction,
          explanation: anomaly.explanation,
        }
      : {}),
    normalSince: stillAnomalous ? null : m.normalSince,
    normalUntil: stillAnomalous ? null : (m.normalUntil ?? null),
  };
}

/**
 * Adds an anomaly to an open incident. Anomalies below `openAtSeverity` add nothing, but still
 * show that a metric already in the incident has not recovered.
 */
export function addAnomaly(
  incident: Incident,
  anomaly: Anomaly,
  now: Date,
  config: AlertingConfig,
): Incident {
  const counts = reachesSeverity(anomaly.severity, config.openAtSeverity);
  const existing = incident.metrics[anomaly.metric];
  if (existing === undefined && !counts) return incident;
  const metric = existing ? mergeMetric(existing, anomaly, counts) : metricFromAnomaly(anomaly);
  const seen = incident.recentAnomalyIds.includes(anomaly.id);
  const countsAsNew = counts && !seen;
  if (metric === existing && !countsAsNew) return incident;
  const severity = counts ? maxSeverity(incident.severity, anomaly.severity) : incident.severity;
  const escalates = severity !== incident.severity;
  const next: Incident = {
    ...incident,
    severity,
    ...(escalates ? { escalation: { at: anomaly.at, seenAt: now.toISOString() } } : {}),
    metrics: { ...incident.metrics, [anomaly.metric]: metric },
    anomalyCount: incident.anomalyCount + (countsAsNew ? 1 : 0),
    recentAnomalyIds: countsAsNew
      ? [...incident.recentAnomalyIds, anomaly.id].slice(-recentAnomalyIdLimit)
      : incident.recentAnomalyIds,
  };
  if (JSON.stringify(next) === JSON.stringify(incident)) return incident;
  return touch(next, now);
}

/** True when a reading is outside what this incident's metric calls healthy. */
export function stillUnhealthy(m: IncidentMetric, value: number | undefined): boolean {
  if (value === undefined) return false;
  return (
    (m.healthyAtMost != null && value > m.healthyAtMost) ||
    (m.healthyAtLeast != null && value < m.healthyAtLeast)
  );
}

/**
 * A reading without an anomaly (or, with metric null, a whole sample without one). It is evidence
 * of recovery only inside the incident's frozen healthy edges: a plateau the detector learned is
 * still the incident, and keeps it from going stale.
 */
export function markNormal(
  incident: Incident,
  metric: string | null,
  at: string,
  now: Date,
  value?: number,
) {
  let changed = false;
  const metrics = { ...incident.metrics };
  for (const [name, m] of Object.entries(incident.metrics)) {
    if (metric !== null && name !== metric) continue;
    if (ms(at) <= ms(m.lastAt)) continue;
    if (stillUnhealthy(m, value)) {
      const clears = m.normalSince !== null && ms(at) >= ms(m.normalSince);
      metrics[name] = clears
        ? { ...m, lastAt: at, normalSince: null, normalUntil: null }
        : { ...m, lastAt: at };
      changed = true;
      continue;
    }
    const normalSince = m.normalSince === null ? at : earlierOf(m.normalSince, at);
    const normalUntil = m.normalUntil == null ? at : laterOf(m.normalUntil, at);
    if (normalSince === m.normalSince && normalUntil === m.normalUntil) continue;
    metrics[name] = { ...m, normalSince, normalUntil };
    changed = true;
  }
  return changed ? touch({ ...incident, metrics }, now) : incident;
}

/**
 * When the incident is over: every metric back in its band for `resolveAfterSeconds`, as readings
 * through the end of that interval show, or no anomaly for `staleAfterSeconds`
 * (`forecastStaleAfterSeconds` for a forecast breach). Derived from event times, so a late flush
 * resolves at the same instant.
 */
export function recoveryTime(incident: Incident, config: AlertingConfig): number {
  const metrics = Object.values(incident.metrics);
  const stale = Math.max(
    ...metrics.map(
      (m) =>
        ms(m.lastAt) +
        (m.forecast ? config.forecastStaleAfterSeconds : config.staleAfterSeconds) * 1000,
    ),
  );
  if (metrics.some((m) => m.normalSince === null)) return stale;
  const lastRecovery = Math.max(...metrics.map((m) => ms(m.normalSince ?? m.lastAt)));
  const healthyFor = lastRecovery + config.resolveAfterSeconds * 1000;
  const readUntil = Math.min(...metrics.map((m) => (m.normalUntil ? ms(m.normalUntil) : -1)));
  return readUntil >= healthyFor ? Math.min(stale, healthyFor) : stale;
}

export function resolveIfRecovered(
  incident: Incident,
  now: Date,
  config: AlertingConfig,
): Incident {
  if (incident.status !== 'open') return incident;
  const at = recoveryTime(incident, config);
  if (at > now.getTime()) return incident;
  return touch({ ...incident, status: 'resolved', resolvedAt: iso(at) }, now);
}

/** True when an event at `at` belongs to this incident's span. */
export function spans(incident: Incident, at: string): boolean {
  if (incident.status === 'open') return true;
  return incident.resolvedAt !== null && ms(at) <= ms(incident.resolvedAt);
}

export function acknowledge(incident: Incident, ack: Acknowledgement, now: Date): Incident {
  if (incident.acknowledgement !== null) return incident;
  return touch({ ...incident, acknowledgement: ack }, now);
}

export function touch(incident: Incident, now: Date): Incident {
  return { ...incident, updatedAt: now.toISOString(), version: incident.version + 1 };
}

/** When the store may forget the item (DynamoDB TTL, epoch seconds); null while it matters. */
export function incidentExpiresAt(incident: Incident, config: AlertingConfig): number | null {
  if (incident.resolvedAt === null) return null;
  return Math.floor(addSeconds(incident.resolvedAt, config.retainResolvedSeconds) / 1000);
}
