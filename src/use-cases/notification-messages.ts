// Plain messages for anomalies and decisions: a subject and body a person reads in two seconds.
import type { Anomaly, Decision } from '../model';
import type { OutboundMessage } from '../ports';

export type NotifiableEvent =
  { kind: 'anomaly'; anomaly: Anomaly } | { kind: 'decision'; decision: Decision };

/** The key that makes publishing idempotent: one message per anomaly, one per decision state. */
export function notificationKeyOf(event: NotifiableEvent): string {
  return event.kind === 'anomaly'
    ? `anomaly~${event.anomaly.id}`
    : `decision~${event.decision.id}~${event.decision.status}`;
}

export function renderNotification(
  event: NotifiableEvent,
  statusPageUrl?: string,
): OutboundMessage {
  const link = statusPageUrl ? `\n\nStatus: ${statusPageUrl}` : '';
  if (event.kind === 'anomaly') {
    const a = event.anomaly;
    const band =
      a.lower !== null && a.upper !== null ? ` (usual ${num(a.lower)}–${num(a.upper)})` : '';
    return {
      subject: `[${a.severity.toUpperCase()}] ${a.serviceId}: ${a.metric} ${a.direction === 'down' ? 'dropped' : 'spiked'} to ${num(a.value)}`,
      body:
        `${a.serviceId}: ${a.explanation}.\n` +
        `Metric ${a.metric} = ${num(a.value)}${band} at ${a.at}, anomaly score ${a.score.toFixed(2)}.\n` +
        `vigia is deciding what to do.${link}`,
      attributes: { severity: a.severity, service: a.serviceId, kind: 'anomaly' },
    };
  }
  const d = event.decision;
  const what =
    d.action === 'scale-out' || d.action === 'scale-in'
      ? `${d.action} ${d.fromCount} -> ${d.toCount} tasks`
      : d.action;
  const state =
    d.status === 'executed'
      ? `done: ${what}`
      : d.status === 'failed'
        ? `FAILED: ${what}`
        : d.status === 'proposed'
          ? `needs approval: ${what}`
          : `${d.status}: ${what}`;
  return {
    subject: `[${d.status === 'failed' ? 'CRITICAL' : 'WARNING'}] ${d.serviceId}: ${state}`,
    body:
      `${d.serviceId}: ${state}.\nWhy: ${d.reason}.\n` +
      (d.result ? `Result: ${d.result}.\n` : '') +
      `Decision ${d.id} (mode ${d.mode}, asked by ${d.requestedBy}).${link}`,
    attributes: {
      severity: d.status === 'failed' ? 'critical' : 'warning',
      service: d.serviceId,
      kind: 'decision',
    },
  };
}

function num(n: number): string {
  return Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(1);
}
