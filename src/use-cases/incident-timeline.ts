// A resolved incident as the status page keeps it for 90 days (issue 16 part 7): what happened,
// when, and what vigia did about it — the alerting incident itself is dropped a day after it ends.
import { describeAction, describeVerdict, type Incident } from '../alerting';
import { severityRank, type Severity } from '../model';
import { spanLevel, type DowntimeSpan } from './uptime';

export interface TimelineEntry {
  at: string;
  kind: 'opened' | 'acted' | 'resolved';
  text: string;
}

export interface PastIncident {
  id: string;
  serviceId: string;
  severity: Severity;
  level: DowntimeSpan['level'];
  openedAt: string;
  /** null while it is still open (the status page lists open ones beside the past). */
  resolvedAt: string | null;
  summary: string;
  timeline: TimelineEntry[];
}

/** Only what a public page may show: no operator comments, no requester names. */
export function pastIncident(incident: Incident): PastIncident {
  const metrics = Object.values(incident.metrics).sort(
    (a, b) =>
      severityRank[b.severity] - severityRank[a.severity] || (a.firstAt < b.firstAt ? -1 : 1),
  );
  const summary = metrics[0]?.explanation ?? `${incident.serviceId} had an incident`;
  const acted: TimelineEntry[] = incident.notes.map((n) => {
    const verdict = describeVerdict(n);
    return {
      at: n.decidedAt,
      kind: 'acted' as const,
      text: `vigia ${describeAction(n)}${verdict ? ` — ${verdict}` : ''}`,
    };
  });
  const timeline: TimelineEntry[] = [
    { at: incident.openedAt, kind: 'opened' as const, text: summary },
    ...acted,
    ...(incident.resolvedAt
      ? [{ at: incident.resolvedAt, kind: 'resolved' as const, text: 'back to normal' }]
      : []),
  ].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  return {
    id: incident.id,
    serviceId: incident.serviceId,
    severity: incident.severity,
    level: spanLevel(incident.severity),
    openedAt: incident.openedAt,
    resolvedAt: incident.resolvedAt,
    summary,
    timeline,
  };
}

export function downtimeSpan(p: Pick<PastIncident, 'openedAt' | 'resolvedAt' | 'level'>) {
  return { start: p.openedAt, end: p.resolvedAt, level: p.level } satisfies DowntimeSpan;
}
