// One message to people, before rendering: what happened, to which service, what vigia did, did it work.
import { z } from 'zod';
import { routeLabel } from './routing';
import { isoTimestampSchema, serviceIdSchema, severitySchema } from '../model/common';

/** Becomes the SNS `kind` attribute, so subscriptions can filter on it (SPEC N1). */
export const notificationKindSchema = z.enum([
  'anomaly',
  'incident',
  'decision',
  'outcome',
  'resolved',
]);
export type NotificationKind = z.infer<typeof notificationKindSchema>;

/** Where in an incident's life the message was sent; renderers word the subject after it. */
export const notificationPhaseSchema = z.enum([
  'opened',
  'updated',
  'repeated',
  'resolved',
  'note',
]);
export type NotificationPhase = z.infer<typeof notificationPhaseSchema>;

export const notifiedMetricSchema = z.object({
  metric: z.string(),
  severity: severitySchema,
  explanation: z.string(),
});

export const notificationSchema = z.object({
  /** Deterministic: the notify log claims it, so a retried flush publishes once. */
  id: z.string().min(1),
  kind: notificationKindSchema,
  phase: notificationPhaseSchema,
  severity: severitySchema,
  serviceId: serviceIdSchema,
  incidentId: z.string().nullable(),
  at: isoTimestampSchema,
  openedAt: isoTimestampSchema.nullable(),
  resolvedAt: isoTimestampSchema.nullable(),
  /** What happened, one line. */
  headline: z.string(),
  metrics: z.array(notifiedMetricSchema),
  /** Metrics left out of `metrics`: over the per-message limit, or inhibited by a critical one. */
  otherMetrics: z.number().int().min(0),
  /** What vigia did, one line per action; empty when it did nothing (yet). */
  actions: z.array(z.string()),
  /** Whether it worked, one line per action that has a verdict. */
  outcomes: z.array(z.string()),
  acknowledgedBy: z.string().nullable(),
  statusUrl: z.string().nullable(),
});
export type Notification = z.infer<typeof notificationSchema>;

/** The labels silences match and SNS subscriptions filter on. */
export interface MessageLabels {
  service: string;
  severity: string;
  kind: string;
}

export function messageLabels(n: Pick<Notification, 'serviceId' | 'severity' | 'kind'>) {
  return { service: n.serviceId, severity: n.severity, kind: n.kind } satisfies MessageLabels;
}

/**
 * SNS message attributes (String data type) for the topic's filter policies; `route`
 * ("<service>:<severity>") is what routed email and SMS subscriptions filter on (routing.ts).
 */
export function snsMessageAttributes(n: Notification): MessageLabels & { route: string } {
  return { ...messageLabels(n), route: routeLabel(n.serviceId, n.severity) };
}

/**
 * What a reader learns from an incident's message, as one comparable string: the severity, the
 * headline, which metrics are out and how badly, what vigia did and whether it worked, who
 * acknowledged it. Left out: the id, the time and the labels, and each metric's reading (it changes
 * minute by minute, and a metric's reading alone is no reason for a message: incident-view.ts).
 * Two messages with the same facts tell the same thing, whatever led to each.
 */
export function toldFacts(n: Notification): string {
  return JSON.stringify([
    n.severity,
    n.headline,
    n.metrics.map((m) => `${m.metric}:${m.severity}`).sort(),
    n.otherMetrics,
    [...n.actions].sort(),
    [...n.outcomes].sort(),
    n.acknowledgedBy,
    n.resolvedAt,
  ]);
}
