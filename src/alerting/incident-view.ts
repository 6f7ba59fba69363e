// What an incident's message shows: inhibition hides warnings under a critical, fingerprints say
// whether anything worth a message changed since the last one.
import { severityRank } from '../model/common';
import type { AlertingConfig } from './config';
import type { Incident, IncidentMetric } from './incident';
import { diagnosisFingerprint, isNews, newsFingerprint } from './recovery-note';

export interface IncidentView {
  /** Metrics the message shows, worst first. */
  visible: IncidentMetric[];
  /** Metrics muted by inhibition (warnings under a critical incident). */
  inhibited: number;
  alertFingerprint: string;
  /** Everything the notes told (stored with the message as `delivery.sentNotes`). */
  notesFingerprint: string;
  /** The parts of `notesFingerprint` worth a message of their own when not told yet. */
  newsKeys: string[];
}

/** True when the notes hold news that the message fingerprinted `sentNotes` did not tell. */
export function hasUntoldNews(view: IncidentView, sentNotes: string | null): boolean {
  const told = new Set((sentNotes ?? '').split('|'));
  return view.newsKeys.some((k) => !told.has(k));
}

function worstFirst(a: IncidentMetric, b: IncidentMetric): number {
  return severityRank[b.severity] - severityRank[a.severity] || a.metric.localeCompare(b.metric);
}

export function incidentView(incident: Incident, config: AlertingConfig): IncidentView {
  const all = Object.values(incident.metrics).sort(worstFirst);
  const inhibiting = config.inhibitWarningsWhenCritical && incident.severity === 'critical';
  const visible = inhibiting ? all.filter((m) => m.severity === 'critical') : all;
  const newsKeys = [...new Set(incident.notes.filter(isNews).map(newsFingerprint))];
  const shownKeys = incident.notes.flatMap((n) => diagnosisFingerprint(n) ?? []);
  return {
    visible,
    inhibited: all.length - visible.length,
    // News worth an update: the incident escalates. A metric that joins an incident already told
    // is the same fault seen from another side: it rides along in the next message (issue #14).
    alertFingerprint: incident.severity,
    // News worth an update: an action taken, proposed or failed, a verdict that it did not work
    // (recovery-note.ts isNews, newsFingerprint), each once. A diagnosis shown in a message (even
    // one decide held back on) is told: a notify-only decision on it later is no news.
    notesFingerprint: [...new Set([...newsKeys, ...shownKeys])].join('|'),
    newsKeys,
  };
}
