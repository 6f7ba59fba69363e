// PagerDuty Events API v2 (developer.pagerduty.com, "Send an Alert Event"): the dedup_key is the
// vigia incident id, so every message of one incident lands on one PagerDuty alert — opened by the
// first, updated by the next, resolved by the resolved message.
import { z } from 'zod';
import type { Notification } from './notification';
import { titleLine, truncate } from './text';

/** The published event schema, as zod: what PagerDuty accepts at POST /v2/enqueue. */
export const pagerDutyEventSchema = z.discriminatedUnion('event_action', [
  z.strictObject({
    routing_key: z.string().length(32),
    event_action: z.literal('trigger'),
    dedup_key: z.string().min(1).max(255),
    payload: z.strictObject({
      summary: z.string().min(1).max(1024),
      source: z.string().min(1),
      severity: z.enum(['critical', 'error', 'warning', 'info']),
      timestamp: z.iso.datetime().optional(),
      component: z.string().optional(),
      group: z.string().optional(),
      class: z.string().optional(),
      custom_details: z.record(z.string(), z.unknown()).optional(),
    }),
    client: z.string().optional(),
    client_url: z.url().optional(),
    links: z.array(z.strictObject({ href: z.url(), text: z.string().optional() })).optional(),
  }),
  z.strictObject({
    routing_key: z.string().length(32),
    event_action: z.enum(['acknowledge', 'resolve']),
    dedup_key: z.string().min(1).max(255),
  }),
]);
export type PagerDutyEvent = z.infer<typeof pagerDutyEventSchema>;

export function renderPagerDuty(n: Notification, routingKey: string): PagerDutyEvent {
  const dedup = n.incidentId ?? n.id;
  if (n.kind === 'resolved') {
    return { routing_key: routingKey, event_action: 'resolve', dedup_key: dedup };
  }
  return {
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key: dedup,
    payload: {
      summary: truncate(titleLine(n), 1024),
      source: `vigia:${n.serviceId}`,
      severity: n.severity,
      timestamp: n.at,
      component: n.serviceId,
      class: n.kind,
      custom_details: {
        metrics: n.metrics.map((m) => `${m.metric} (${m.severity}): ${m.explanation}`),
        actions: n.actions,
        outcomes: n.outcomes,
      },
    },
    client: 'vigia',
    ...(n.statusUrl ? { client_url: n.statusUrl } : {}),
  };
}
