// The email (SNS email subscription): a subject and a plain-text body read in two seconds (SPEC N2).
import type { Notification } from './notification';
import { snsSafe, timeOfDay, titleLine, truncate } from './text';

export const emailSubjectLimit = 100;

export interface EmailMessage {
  subject: string;
  body: string;
}

function happenedLines(n: Notification): string[] {
  const lines = [`What happened: ${n.headline}`];
  for (const m of n.metrics) lines.push(`  - ${m.metric} (${m.severity}): ${m.explanation}`);
  if (n.otherMetrics > 0) lines.push(`  - and ${n.otherMetrics} more metric(s) on the status page`);
  return lines;
}

export function renderEmail(n: Notification): EmailMessage {
  // Short enough for a phone's lock screen; SNS rejects anything over 100 or non-ASCII.
  const subject = truncate(snsSafe(titleLine(n)), 90);
  const when =
    n.resolvedAt !== null
      ? `opened ${timeOfDay(n.openedAt ?? n.resolvedAt)}, resolved ${timeOfDay(n.resolvedAt)}`
      : n.openedAt !== null
        ? `opened ${timeOfDay(n.openedAt)}`
        : `at ${timeOfDay(n.at)}`;
  const lines = [
    `${n.severity.toUpperCase()} - ${n.serviceId} - ${n.kind} ${n.phase}, ${when}`,
    '',
    ...happenedLines(n),
    `Service: ${n.serviceId}`,
    `What vigia did: ${n.actions.length > 0 ? n.actions.join('; ') : 'nothing automatic (yet)'}`,
    `Did it work: ${n.outcomes.length > 0 ? n.outcomes.join('; ') : n.actions.length > 0 ? 'not known yet' : 'n/a'}`,
  ];
  if (n.acknowledgedBy !== null) lines.push(`Acknowledged by: ${n.acknowledgedBy}`);
  lines.push('');
  if (n.statusUrl !== null) lines.push(`Status page: ${n.statusUrl}`);
  if (n.incidentId !== null) lines.push(`Incident: ${n.incidentId}`);
  return { subject, body: `${lines.join('\n')}\n` };
}
