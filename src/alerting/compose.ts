// Turns an incident or a notice into a Notification: the words, before any channel's formatting.
import type { Severity } from '../model/common';
import { TARGET_SCALING_REQUESTER } from '../model/decision';
import { statusPageLink, type AlertingConfig } from './config';
import type { Incident } from './incident';
import type { IncidentView } from './incident-view';
import type { Notification, NotificationKind, NotificationPhase } from './notification';
import {
  describeAction,
  describeVerdict,
  diagnosisFingerprint,
  isNews,
  isNotable,
  newsFingerprint,
  type RecoveryNote,
} from './recovery-note';
import { humanDuration } from './time';

function listNames(names: string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

function incidentHeadline(
  incident: Incident,
  view: IncidentView,
  phase: NotificationPhase,
  now: Date,
) {
  const names = view.visible.slice(0, 3).map((m) => m.metric);
  const more = view.visible.length - names.length;
  const what =
    view.visible.length === 1
      ? `${names[0]} ${directionWord(view.visible[0]?.direction)}`
      : `${listNames(names)}${more > 0 ? ` (+${more})` : ''} out of their normal range`;
  if (phase === 'resolved' && incident.resolvedAt !== null) {
    const verdict = remedyVerdict(incident.notes);
    const duration = humanDuration(incident.openedAt, incident.resolvedAt);
    // Nobody was told it began (its first message could not go out while it was open): say what.
    const back =
      incident.delivery.sent === 0
        ? `${what} for ${duration}, now back to normal`
        : `back to normal after ${duration}`;
    return `${back}${verdict ? `; ${verdict}` : ''}`;
  }
  if (phase === 'repeated') {
    return `still open after ${humanDuration(incident.openedAt, now.toISOString())}: ${what}`;
  }
  return what;
}

const verdictWords = {
  resolved: 'worked',
  'not-resolved': 'did not help',
  worse: 'made things worse',
} as const;

/**
 * "the restart worked": the verdict on vigia's latest remedy (not a target-scaling step, not a
 * notify-only decision), for the resolved message's one line.
 */
function remedyVerdict(notes: readonly RecoveryNote[]): string | null {
  const judged = notes.filter(
    (n) =>
      n.verdict !== null && n.action !== 'notify' && n.requestedBy !== TARGET_SCALING_REQUESTER,
  );
  const last = judged.at(-1);
  return last?.verdict ? `the ${last.action} ${verdictWords[last.verdict]}` : null;
}

/**
 * The news an update is sent for, one line (its subject): the latest note whose news was not told
 * in the last message — not simply the latest verdict, which may be old.
 */
function untoldNews(incident: Incident): string | null {
  const told = new Set((incident.delivery.sentNotes ?? '').split('|'));
  const news = incident.notes.filter((n) => isNews(n) && !told.has(newsFingerprint(n))).at(-1);
  if (news === undefined) return null;
  const verdict = news.verdict !== null ? describeVerdict(news) : null;
  return verdict !== null ? `${news.action}: ${verdict}` : `vigia ${actionLine(news)}`;
}

/** "diagnosed memory leak; restarted the service": what vigia found, then what it did. */
function actionLine(n: RecoveryNote): string {
  const found = n.cause ? `diagnosed ${n.cause.replaceAll('_', ' ')}; ` : '';
  return `${found}${describeAction(n)}${n.diagnosis ? ` — ${n.diagnosis}` : ''}`;
}

function directionWord(direction: string | undefined): string {
  if (direction === 'up') return 'unusually high';
  if (direction === 'down') return 'unusually low';
  return 'out of its normal range';
}

export function composeIncidentNotification(
  incident: Incident,
  view: IncidentView,
  kind: NotificationKind,
  phase: NotificationPhase,
  now: Date,
  config: AlertingConfig,
): Notification {
  const notes = incident.notes.filter(isNotable);
  const shown = view.visible.slice(0, config.maxMetricsPerMessage);
  // A diagnosis told again (decide repeats a notify-only decision hourly) is one line; one that
  // no action names (decide held back while target scaling acted) is a line of its own.
  const named = new Set(notes.map((n) => n.cause));
  const unnamed = [
    ...new Set(incident.notes.flatMap((n) => (diagnosisFingerprint(n) ? [n.cause!] : []))),
  ].filter((c) => !named.has(c));
  const actions = [
    ...new Set([
      ...unnamed.map((c) => `diagnosed ${c.replaceAll('_', ' ')}`),
      ...notes.map(actionLine),
    ]),
  ];
  // Whether "notifying" resolved anything is the learner's business, not news for the reader.
  const outcomes = notes.flatMap((n) => {
    const verdict = n.action === 'notify' ? null : describeVerdict(n);
    return verdict === null ? [] : [`${n.action}: ${verdict}`];
  });
  return {
    id: `${incident.id}~${incident.delivery.sent + 1}`,
    kind,
    phase,
    severity: incident.severity,
    serviceId: incident.serviceId,
    incidentId: incident.id,
    at: now.toISOString(),
    openedAt: incident.openedAt,
    resolvedAt: incident.resolvedAt,
    headline:
      phase === 'note'
        ? (outcomes.at(-1) ?? actions.at(-1) ?? 'recovery note')
        : phase === 'updated' && kind !== 'incident'
          ? (untoldNews(incident) ?? outcomes.at(-1) ?? actions.at(-1) ?? 'recovery note')
          : incidentHeadline(incident, view, phase, now),
    metrics: shown.map((m) => ({
      metric: m.metric,
      severity: m.severity,
      explanation: m.explanation,
    })),
    otherMetrics: view.visible.length - shown.length + view.inhibited,
    actions,
    outcomes,
    acknowledgedBy: incident.acknowledgement?.by ?? null,
    statusUrl: statusPageLink(config, incident.serviceId),
  };
}

/** Failures, bad outcomes and requests for approval need a person; the rest is information. */
export function noteSeverity(note: RecoveryNote): Severity {
  if (note.status === 'failed' || note.verdict === 'worse') return 'critical';
  if (note.status === 'proposed' || note.verdict === 'not-resolved') return 'warning';
  return 'info';
}

export function composeNoticeNotification(
  serviceId: string,
  note: RecoveryNote,
  sequence: string,
  now: Date,
  config: AlertingConfig,
): Notification {
  const verdict = describeVerdict(note);
  return {
    id: `notice~${note.decisionId}~${sequence}`,
    kind: note.verdict === null ? 'decision' : 'outcome',
    phase: 'note',
    severity: noteSeverity(note),
    serviceId,
    incidentId: null,
    at: now.toISOString(),
    openedAt: null,
    resolvedAt: null,
    headline: `vigia ${describeAction(note)}`,
    metrics: [],
    otherMetrics: 0,
    actions: [
      `${describeAction(note)}${note.reason ? ` (${note.reason})` : ''}${note.diagnosis ? ` — ${note.diagnosis}` : ''}`,
    ],
    outcomes: verdict === null ? [] : [`${note.action}: ${verdict}`],
    acknowledgedBy: null,
    statusUrl: statusPageLink(config, serviceId),
  };
}
