// What an incident's message shows: inhibition hides warnings under a critical, fingerprints say
// whether anything worth a message changed since the last one.
import { severityRank } from '../model/common';
import type { AlertingConfig } from './config';
import type { Incident, IncidentMetric } from './incident';
import { isNews, newsFingerprint } from './recovery-note';

export interface IncidentView {
  /** Metrics the message shows, worst first. */
  visible: IncidentMetric[];
  /** Metrics muted by inhibition (warnings under a critical incident). */
  inhibited: number;
  alertFingerprint: string;
  notesFingerprint: string;
}

function worstFirst(a: IncidentMetric, b: IncidentMetric): number {
  return severityRank[b.severity] - severityRank[a.severity] || a.metric.localeCompare(b.metric);
}

export function incidentView(incident: Incident, config: AlertingConfig): IncidentView {
  const all = Object.values(incident.metrics).sort(worstFirst);
  const inhibiting = config.inhibitWarningsWhenCritical && incident.severity === 'critical';
  const visible = inhibiting ? all.filter((m) => m.severity === 'critical') : all;
  return {
    visible,
    inhibited: all.length - visible.length,
    // News worth an update: the incident escalates, a metric joins, or a metric turns critical.
    alertFingerprint: [
      incident.severity,
      ...visible.map((m) => `${m.metric}${m.severity === 'critical' ? '!' : ''}`).sort(),
    ].join('|'),
    // News worth an update: an action taken, proposed or failed, a verdict (recovery-note.ts isNews).
    notesFingerprint: incident.notes.filter(isNews).map(newsFingerprint).join('|'),
  };
}
