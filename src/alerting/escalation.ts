// Escalation (issue 17): a critical incident nobody acknowledged within `afterMinutes` of being
// opened pages the first escalation level, then the next every `afterMinutes`, the last level again
// and again, until it is acknowledged or resolved. Pure: the minute timer asks what is due.
import type { Escalation, Receiver } from '../model/notification-routing';
import type { Incident } from './incident';

export interface EscalationPage {
  level: number;
  at: string;
  /** Who was paged, e.g. "pagerduty", "sms:+34600111222". */
  receivers: string[];
}

export interface EscalationState {
  incidentId: string;
  serviceId: string;
  pages: EscalationPage[];
  /** Optimistic lock: 0 before the first page. */
  version: number;
}

const MINUTE = 60_000;

/** The level to page now, or null: not critical, acknowledged, resolved, or not yet due. */
export function dueEscalationLevel(
  incident: Pick<Incident, 'status' | 'severity' | 'acknowledgement' | 'createdAt'>,
  escalation: Escalation,
  state: Pick<EscalationState, 'pages'> | null,
  now: Date,
): number | null {
  if (incident.status !== 'open' || incident.severity !== 'critical') return null;
  if (incident.acknowledgement !== null) return null;
  const last = state?.pages.at(-1);
  const since = Date.parse(last ? last.at : incident.createdAt);
  if (now.getTime() - since < escalation.afterMinutes * MINUTE) return null;
  return last ? Math.min(last.level + 1, escalation.levels.length - 1) : 0;
}

/** How the status report names a paged receiver, without its secret. */
export function receiverLabel(r: Receiver): string {
  switch (r.type) {
    case 'sms':
      return `sms:${r.phoneNumber}`;
    case 'email':
      return `email:${r.address}`;
    case 'pagerduty':
      return `pagerduty:${r.routingKeyParameter}`;
    case 'opsgenie':
      return `opsgenie:${r.apiKeyParameter}`;
    default:
      return `${r.type}:${r.urlParameter}`;
  }
}
