// What is due to be sent now: group wait, group interval, repeat interval, resolved, silences (SPEC N4).
import type { AlertingState, Notice } from './alert-state';
import type { AlertingConfig } from './config';
import { composeIncidentNotification, composeNoticeNotification } from './compose';
import { recoveryTime, resolveIfRecovered, type Incident } from './incident';
import { hasUntoldNews, incidentView, type IncidentView } from './incident-view';
import {
  messageLabels,
  toldFacts,
  type Notification,
  type NotificationKind,
  type NotificationPhase,
} from './notification';
import {
  awaitsVerdict,
  isNotable,
  isSettledDecision,
  isUrgent,
  newsFingerprint,
  noteFingerprint,
} from './recovery-note';
import { silencedBy } from './silence';
import { addSeconds, ms } from './time';

export interface FlushResult {
  state: AlertingState;
  /** In a stable order; each id is deterministic, so a retried flush can be deduplicated. */
  messages: Notification[];
}

interface Plan {
  dueAt: number;
  kind: NotificationKind;
  phase: NotificationPhase;
}

/** The next message an incident owes, and from when; null when it owes nothing. */
export function planIncident(
  incident: Incident,
  view: IncidentView,
  config: AlertingConfig,
): Plan | null {
  const d = incident.delivery;
  if (incident.status === 'resolved') {
    if (d.closed) {
      // A verdict that arrives after the resolved message still deserves its own line.
      const late = d.sent > 0 && hasUntoldNews(view, d.sentNotes);
      return late ? { dueAt: ms(incident.updatedAt), kind: 'outcome', phase: 'note' } : null;
    }
    if (d.lastSentAt === null) return { dueAt: -Infinity, kind: 'resolved', phase: 'resolved' };
    // Wait a little for a pending verdict, so the resolved message can say whether it worked.
    const waiting = incident.notes.some(awaitsVerdict) && incident.resolvedAt !== null;
    const dueAt = waiting
      ? addSeconds(incident.resolvedAt ?? '', config.outcomeWaitSeconds)
      : -Infinity;
    return { dueAt, kind: 'resolved', phase: 'resolved' };
  }
  if (d.lastSentAt === null) {
    const groupWait = addSeconds(
      incident.createdAt,
      incident.severity === 'critical' ? config.criticalGroupWaitSeconds : config.groupWaitSeconds,
    );
    // The first message says what vigia decided (issue #14): it waits for decide's decision on the
    // incident — seconds after the anomaly — up to `decisionWaitSeconds`, instead of going out
    // bare and owing an update a moment later.
    const decided = incident.notes.some(isSettledDecision);
    const dueAt = decided
      ? groupWait
      : Math.max(groupWait, addSeconds(incident.createdAt, config.decisionWaitSeconds));
    return { dueAt, kind: 'incident', phase: 'opened' };
  }
  // Items stored before the alert fingerprint was the severity alone kept "severity|metric…".
  const alertChanged = view.alertFingerprint !== (d.sentAlert ?? '').split('|')[0];
  if (alertChanged || hasUntoldNews(view, d.sentNotes)) {
    const notesKind = incident.notes.some((n) => n.verdict !== null) ? 'outcome' : 'decision';
    // An action that failed, made things worse or waits for approval is told at once.
    const told = new Set((d.sentNotes ?? '').split('|'));
    const urgent = incident.notes.some((n) => isUrgent(n) && !told.has(newsFingerprint(n)));
    let dueAt = urgent
      ? ms(incident.updatedAt)
      : addSeconds(d.lastSentAt, config.groupIntervalSeconds);
    // An escalation waits, like the first message, for vigia's decision on what escalated it.
    const e = incident.escalation;
    if (alertChanged && !urgent && e !== undefined) {
      const decided = incident.notes.some(
        (n) => isSettledDecision(n) && ms(n.decidedAt) >= ms(e.at),
      );
      if (!decided) dueAt = Math.max(dueAt, addSeconds(e.seenAt, config.decisionWaitSeconds));
    }
    return {
      dueAt,
      kind: alertChanged ? 'incident' : notesKind,
      phase: 'updated',
    };
  }
  if (incident.acknowledgement !== null) return null;
  return {
    dueAt: addSeconds(d.lastSentAt, config.repeatIntervalSeconds),
    kind: 'incident',
    phase: 'repeated',
  };
}

function flushIncident(
  incident: Incident,
  state: AlertingState,
  now: Date,
  config: AlertingConfig,
): { incident: Incident; message: Notification | null } {
  const view = incidentView(incident, config);
  const plan = planIncident(incident, view, config);
  if (plan === null || plan.dueAt > now.getTime()) return { incident, message: null };
  // Never told, so nothing to close: a blip that recovered before its first message was due stays
  // quiet. One that was still open when its first message fell due is owed that message, even if
  // it could not go out then (a failed run, the alert-timers schedule late): it is told now, once,
  // as its resolved message, under the id the first message was claimed with.
  if (
    plan.phase === 'resolved' &&
    incident.delivery.lastSentAt === null &&
    !wasOwedWhileOpen(incident, view, config)
  ) {
    return {
      incident: {
        ...incident,
        delivery: { ...incident.delivery, closed: true },
        version: incident.version + 1,
      },
      message: null,
    };
  }
  const message = composeIncidentNotification(incident, view, plan.kind, plan.phase, now, config);
  const facts = toldFacts(message);
  // News by its notes that reads exactly as the last message did (a second decision proposing what
  // the first proposed) tells nobody anything: it is remembered as told, and nothing is sent.
  if (plan.phase === 'updated' && facts === incident.delivery.sentFacts) {
    return {
      incident: {
        ...incident,
        delivery: {
          ...incident.delivery,
          sentAlert: view.alertFingerprint,
          sentNotes: view.notesFingerprint,
        },
        version: incident.version + 1,
      },
      message: null,
    };
  }
  const silenced = silencedBy(state.silences, messageLabels(message), now) !== null;
  if (silenced && incident.status === 'open') return { incident, message: null };
  const delivery = silenced
    ? { ...incident.delivery, closed: true, sentNotes: view.notesFingerprint }
    : {
        firstSentAt: incident.delivery.firstSentAt ?? now.toISOString(),
        lastSentAt: now.toISOString(),
        sentAlert: view.alertFingerprint,
        sentNotes: view.notesFingerprint,
        sentFacts: facts,
        sent: incident.delivery.sent + 1,
        closed: incident.status === 'resolved',
      };
  return {
    incident: { ...incident, delivery, version: incident.version + 1 },
    message: silenced ? null : message,
  };
}

/** True when the incident's first message fell due before it resolved. */
function wasOwedWhileOpen(incident: Incident, view: IncidentView, config: AlertingConfig): boolean {
  if (incident.resolvedAt === null) return false;
  const opened = planIncident({ ...incident, status: 'open' }, view, config);
  return opened !== null && opened.dueAt <= ms(incident.resolvedAt);
}

function flushNotice(notice: Notice, state: AlertingState, now: Date, config: AlertingConfig) {
  const fingerprint = isNotable(notice.note) ? noteFingerprint(notice.note) : null;
  if (fingerprint === null || fingerprint === notice.sentNotes) return { notice, message: null };
  const sequence = `${notice.note.status}.${notice.note.verdict ?? 'pending'}`;
  const message = composeNoticeNotification(notice.serviceId, notice.note, sequence, now, config);
  // Inhibition across sources: a critical incident already speaks for its service.
  const inhibited =
    config.inhibitWarningsWhenCritical &&
    message.severity !== 'critical' &&
    state.incidents.some(
      (i) => i.serviceId === notice.serviceId && i.status === 'open' && i.severity === 'critical',
    );
  const muted = inhibited || silencedBy(state.silences, messageLabels(message), now) !== null;
  return { notice: { ...notice, sentNotes: fingerprint }, message: muted ? null : message };
}

function byServiceThenTime(a: Incident, b: Incident): number {
  return a.serviceId.localeCompare(b.serviceId) || ms(a.openedAt) - ms(b.openedAt);
}

function forgettable(incident: Incident, now: Date, config: AlertingConfig): boolean {
  return (
    incident.status === 'resolved' &&
    incident.delivery.closed &&
    incident.resolvedAt !== null &&
    addSeconds(incident.resolvedAt, config.retainResolvedSeconds) <= now.getTime()
  );
}

/**
 * Resolves what has recovered, then returns every message due at `now` and the state that
 * remembers they were sent. Call it after each batch of events and on a schedule.
 */
export function flush(state: AlertingState, now: Date, config: AlertingConfig): FlushResult {
  const messages: Notification[] = [];
  const incidents: Incident[] = [];
  const settled = {
    ...state,
    incidents: state.incidents.map((i) => resolveIfRecovered(i, now, config)),
  };
  for (const before of [...settled.incidents].sort(byServiceThenTime)) {
    const { incident, message } = flushIncident(before, settled, now, config);
    if (message !== null) messages.push(message);
    if (!forgettable(incident, now, config)) incidents.push(incident);
  }
  const notices: Notice[] = [];
  for (const before of settled.notices) {
    const { notice, message } = flushNotice(before, settled, now, config);
    if (message !== null) messages.push(message);
    const old = ms(notice.createdAt) + config.retainResolvedSeconds * 1000 <= now.getTime();
    if (!old) notices.push(notice);
  }
  const order = new Map(state.incidents.map((i, k) => [i.id, k]));
  incidents.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
  return { state: { ...settled, incidents, notices }, messages };
}

/** When flushing next could send something (for a delayed wake-up); null when nothing is pending. */
export function nextFlushAt(state: AlertingState, config: AlertingConfig): Date | null {
  let next = Infinity;
  for (const incident of state.incidents) {
    const plan = planIncident(incident, incidentView(incident, config), config);
    if (plan !== null) next = Math.min(next, plan.dueAt);
    if (incident.status === 'open') next = Math.min(next, recoveryTime(incident, config));
  }
  for (const notice of state.notices) {
    if (isNotable(notice.note) && noteFingerprint(notice.note) !== notice.sentNotes)
      return new Date(ms(notice.createdAt));
  }
  return Number.isFinite(next) ? new Date(Math.max(next, 0)) : null;
}
