// The alert manager's state and how each event changes it: pure, idempotent, order-tolerant.
import { z } from 'zod';
import { isoTimestampSchema, serviceIdSchema } from '../model/common';
import type { Anomaly } from '../model/anomaly';
import { TARGET_SCALING_REQUESTER, type Decision } from '../model/decision';
import { NotFoundError } from '../errors';
import type { AlertingConfig } from './config';
import {
  acknowledge,
  acknowledgementRequestSchema,
  addAnomaly,
  incidentSchema,
  openIncident,
  reachesSeverity,
  markNormal,
  resolveIfRecovered,
  spans,
  touch,
  type AcknowledgementRequest,
  type Incident,
} from './incident';
import {
  mergeDecision,
  mergeOutcome,
  noteFromDecision,
  recoveryNoteSchema,
  type ActionOutcome,
} from './recovery-note';
import { expireSilence, silenceSchema, type Silence } from './silence';
import { ms } from './time';

/** A decision that belongs to no incident (a manual action, a scale-in on a calm day). */
export const noticeSchema = z.object({
  serviceId: serviceIdSchema,
  note: recoveryNoteSchema,
  createdAt: isoTimestampSchema,
  sentNotes: z.string().nullable(),
});
export type Notice = z.infer<typeof noticeSchema>;

/**
 * Everything the notify consumer loads before and saves after a batch: open incidents, incidents
 * resolved within the retention, silences, pending notices. Each element is one store item.
 */
export const alertingStateSchema = z.object({
  incidents: z.array(incidentSchema),
  silences: z.array(silenceSchema),
  notices: z.array(noticeSchema),
});
export type AlertingState = z.infer<typeof alertingStateSchema>;

export function emptyAlertingState(): AlertingState {
  return { incidents: [], silences: [], notices: [] };
}

/** "Metric X of service S is inside its band at time t"; metric null: the whole sample was normal. */
export const normalReadingSchema = z.object({
  serviceId: serviceIdSchema,
  metric: z.string().min(1).nullable(),
  at: isoTimestampSchema,
  /** The reading: judged against the incident's frozen healthy edges (absent: normal as such). */
  value: z.number().optional(),
});
export type NormalReading = z.infer<typeof normalReadingSchema>;

export type AlertEvent =
  | { type: 'anomaly'; anomaly: Anomaly }
  | { type: 'normal'; reading: NormalReading }
  | { type: 'decision'; decision: Decision }
  | { type: 'outcome'; outcome: ActionOutcome }
  | { type: 'acknowledge'; incidentId: string; request: AcknowledgementRequest }
  | { type: 'silence'; silence: Silence }
  | { type: 'expire-silence'; silenceId: string };

function replaceIncident(state: AlertingState, next: Incident): AlertingState {
  const exists = state.incidents.some((i) => i.id === next.id);
  const incidents = exists
    ? state.incidents.map((i) => (i.id === next.id ? next : i))
    : [...state.incidents, next];
  return { ...state, incidents };
}

function withIncident(state: AlertingState, before: Incident, after: Incident): AlertingState {
  return before === after ? state : replaceIncident(state, after);
}

/** Brings a service's open incident up to date before an event is judged against it. */
function settle(state: AlertingState, serviceId: string, now: Date, config: AlertingConfig) {
  let settled = state;
  for (const incident of state.incidents) {
    if (incident.serviceId !== serviceId || incident.status !== 'open') continue;
    settled = withIncident(settled, incident, resolveIfRecovered(incident, now, config));
  }
  return settled;
}

function latestResolvedAt(state: AlertingState, serviceId: string): number | null {
  let latest: number | null = null;
  for (const i of state.incidents) {
    if (i.serviceId !== serviceId || i.resolvedAt === null) continue;
    latest = Math.max(latest ?? -Infinity, ms(i.resolvedAt));
  }
  return latest;
}

export function openIncidentOf(state: AlertingState, serviceId: string): Incident | null {
  return state.incidents.find((i) => i.serviceId === serviceId && i.status === 'open') ?? null;
}

export function findIncident(state: AlertingState, incidentId: string): Incident | null {
  return state.incidents.find((i) => i.id === incidentId) ?? null;
}

export function applyAnomaly(
  state: AlertingState,
  anomaly: Anomaly,
  now: Date,
  config: AlertingConfig,
): AlertingState {
  const settled = settle(state, anomaly.serviceId, now, config);
  // An anomaly from before the last recovery is history (a late or redelivered record).
  const resolvedAt = latestResolvedAt(settled, anomaly.serviceId);
  if (resolvedAt !== null && ms(anomaly.at) <= resolvedAt) return settled;
  const open = openIncidentOf(settled, anomaly.serviceId);
  if (open !== null) {
    const next = resolveIfRecovered(addAnomaly(open, anomaly, now, config), now, config);
    return withIncident(settled, open, next);
  }
  if (!reachesSeverity(anomaly.severity, config.openAtSeverity)) return settled;
  return replaceIncident(settled, resolveIfRecovered(openIncident(anomaly, now), now, config));
}

export function applyNormal(
  state: AlertingState,
  reading: NormalReading,
  now: Date,
  config: AlertingConfig,
): AlertingState {
  const settled = settle(state, reading.serviceId, now, config);
  const open = openIncidentOf(settled, reading.serviceId);
  if (open === null) return settled;
  const marked = markNormal(open, reading.metric, reading.at, now, reading.value);
  const next = resolveIfRecovered(marked, now, config);
  return withIncident(settled, open, next);
}

/** The normal readings a sample carries: every metric with a value that is not anomalous. */
export function normalReadings(
  sample: { serviceId: string; at: string; metrics: Record<string, number | null> },
  anomalousMetrics: readonly string[],
): NormalReading[] {
  return Object.entries(sample.metrics)
    .filter(([metric, value]) => value !== null && !anomalousMetrics.includes(metric))
    .map(([metric, value]) => ({
      serviceId: sample.serviceId,
      metric,
      at: sample.at,
      ...(value !== null ? { value } : {}),
    }));
}

export function applyDecision(
  state: AlertingState,
  decision: Decision,
  now: Date,
  config: AlertingConfig,
): AlertingState {
  const settled = settle(state, decision.serviceId, now, config);
  const holder = settled.incidents.find((i) => i.notes.some((n) => n.decisionId === decision.id));
  if (holder !== undefined) {
    const notes = holder.notes.map((n) =>
      n.decisionId === decision.id ? mergeDecision(n, decision) : n,
    );
    const changed = notes.some((n, k) => n !== holder.notes[k]);
    return changed ? replaceIncident(settled, touch({ ...holder, notes }, now)) : settled;
  }
  const notice = settled.notices.find((n) => n.note.decisionId === decision.id);
  if (notice !== undefined) {
    const note = mergeDecision(notice.note, decision);
    if (note === notice.note) return settled;
    const notices = settled.notices.map((n) => (n === notice ? { ...n, note } : n));
    return { ...settled, notices };
  }
  const incident = settled.incidents
    .filter((i) => i.serviceId === decision.serviceId && ms(i.openedAt) <= ms(decision.at))
    .find((i) => spans(i, decision.at));
  const owner = incident ?? openIncidentOf(settled, decision.serviceId);
  if (owner !== null) {
    const next = touch({ ...owner, notes: [...owner.notes, noteFromDecision(decision)] }, now);
    return replaceIncident(settled, next);
  }
  // Target scaling acts on every reading, as a target-tracking policy would: news inside an
  // incident, noise outside one — unless it failed.
  if (decision.requestedBy === TARGET_SCALING_REQUESTER && decision.status !== 'failed') {
    return settled;
  }
  const created: Notice = {
    serviceId: decision.serviceId,
    note: noteFromDecision(decision),
    createdAt: now.toISOString(),
    sentNotes: null,
  };
  return { ...settled, notices: [...settled.notices, created] };
}

/** An outcome for a decision vigia never heard of changes nothing: there is nobody to tell. */
export function applyOutcome(
  state: AlertingState,
  outcome: ActionOutcome,
  now: Date,
): AlertingState {
  const holder = state.incidents.find((i) =>
    i.notes.some((n) => n.decisionId === outcome.decisionId),
  );
  if (holder !== undefined) {
    const notes = holder.notes.map((n) =>
      n.decisionId === outcome.decisionId ? mergeOutcome(n, outcome) : n,
    );
    const changed = notes.some((n, k) => n !== holder.notes[k]);
    return changed ? replaceIncident(state, touch({ ...holder, notes }, now)) : state;
  }
  const notices = state.notices.map((n) =>
    n.note.decisionId === outcome.decisionId ? { ...n, note: mergeOutcome(n.note, outcome) } : n,
  );
  const changed = notices.some((n, k) => n.note !== state.notices[k]?.note);
  return changed ? { ...state, notices } : state;
}

/** `POST /incidents/{id}/ack`: stops repeats; updates and the resolved message still go out. */
export function acknowledgeIncident(
  state: AlertingState,
  incidentId: string,
  request: AcknowledgementRequest,
  now: Date,
): AlertingState {
  const incident = findIncident(state, incidentId);
  if (incident === null) throw new NotFoundError(`incident ${incidentId}`);
  const ack = { ...acknowledgementRequestSchema.parse(request), at: now.toISOString() };
  return withIncident(state, incident, acknowledge(incident, ack, now));
}

export function addSilence(state: AlertingState, silence: Silence): AlertingState {
  if (state.silences.some((s) => s.id === silence.id)) return state;
  return { ...state, silences: [...state.silences, silenceSchema.parse(silence)] };
}

export function removeSilence(state: AlertingState, silenceId: string, now: Date): AlertingState {
  const silence = state.silences.find((s) => s.id === silenceId);
  if (silence === undefined) throw new NotFoundError(`silence ${silenceId}`);
  const expired = expireSilence(silence, now);
  if (expired === silence) return state;
  return { ...state, silences: state.silences.map((s) => (s.id === silenceId ? expired : s)) };
}

export function applyEvent(
  state: AlertingState,
  event: AlertEvent,
  now: Date,
  config: AlertingConfig,
): AlertingState {
  switch (event.type) {
    case 'anomaly':
      return applyAnomaly(state, event.anomaly, now, config);
    case 'normal':
      return applyNormal(state, event.reading, now, config);
    case 'decision':
      return applyDecision(state, event.decision, now, config);
    case 'outcome':
      return applyOutcome(state, event.outcome, now);
    case 'acknowledge':
      return acknowledgeIncident(state, event.incidentId, event.request, now);
    case 'silence':
      return addSilence(state, event.silence);
    case 'expire-silence':
      return removeSilence(state, event.silenceId, now);
  }
}
