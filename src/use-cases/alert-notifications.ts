// The notify pipeline: stream items of one service become alert events; the alert manager folds
// them into the stored state; due messages are published once; the state is saved conditionally.
import {
  flush,
  normalReadings,
  reachesSeverity,
  step,
  type ActionOutcome,
  type AlertEvent,
  type AlertingConfig,
  type AlertingState,
  type Notification,
} from '../alerting';
import { errorRate, RUNNING_TASKS_METRIC } from '../decision';
import { ConflictError } from '../errors';
import type { Anomaly, Decision, Sample } from '../model';
import type {
  AlertingStateStore,
  Clock,
  NotificationLog,
  PublicationEcho,
  UnconfirmedPublications,
  Notifier,
  ObservationStore,
  Telemetry,
} from '../ports';
import { publishNotification } from './publish-notification';

export type AlertInput =
  | { kind: 'anomaly'; anomaly: Anomaly }
  | { kind: 'sample'; sample: Sample }
  | { kind: 'decision'; decision: Decision }
  | { kind: 'outcome'; outcome: ActionOutcome };

export interface AlertDeps {
  clock: Clock;
  store: AlertingStateStore;
  observations: Pick<ObservationStore, 'anomaliesSince'>;
  log: NotificationLog;
  notifier: Notifier;
  /** The topic's echo: settles a Publish whose answer was lost (publish-notification.ts). */
  echo?: PublicationEcho;
  /** Keeps a Publish with no answer and no echo for alert-timers (publish-notification.ts). */
  unconfirmed?: UnconfirmedPublications;
  /** A published notification the log could not mark sent (publish-notification.ts). */
  onMarkFailed?: (key: string, error: unknown) => void;
  config: AlertingConfig;
  telemetry?: Telemetry;
}

export interface AlertRunResult {
  serviceId: string;
  published: string[];
  duplicates: string[];
  attempts: number;
}

const MAX_ATTEMPTS = 3;

export function serviceOf(input: AlertInput): string {
  switch (input.kind) {
    case 'anomaly':
      return input.anomaly.serviceId;
    case 'sample':
      return input.sample.serviceId;
    case 'decision':
      return input.decision.serviceId;
    case 'outcome':
      return input.outcome.serviceId;
  }
}

/**
 * A sample says "back to normal" for every metric that had a value and no anomaly at that time,
 * unless it carries an anomaly that would open an incident: a minute in which something is wrong
 * is not one in which the service is back to normal. Its other metrics would otherwise end an
 * incident at the very minute a new symptom began (the new anomaly, judged "before the
 * recovery", was then dropped, and people were told "back to normal" of a leak's first minute).
 */
async function eventsOf(deps: AlertDeps, input: AlertInput): Promise<AlertEvent[]> {
  switch (input.kind) {
    case 'anomaly':
      return [{ type: 'anomaly', anomaly: input.anomaly }];
    case 'decision':
      return [{ type: 'decision', decision: input.decision }];
    case 'outcome':
      return [{ type: 'outcome', outcome: input.outcome }];
    case 'sample': {
      const { sample } = input;
      const ofSample = (
        await deps.observations.anomaliesSince(sample.serviceId, new Date(sample.at))
      ).filter((a) => a.at === sample.at);
      if (ofSample.some((a) => reachesSeverity(a.severity, deps.config.openAtSeverity))) return [];
      const anomalous = ofSample.map((a) => a.metric);
      // error_rate is derived, yet a threshold incident names it: its readings count too.
      // So are the running tasks an outage names (they come from ECS, not a metric source).
      const rate = errorRate(sample.metrics);
      const metrics = {
        ...sample.metrics,
        ...(rate === null ? {} : { error_rate: rate * 100 }),
        ...(sample.ecs ? { [RUNNING_TASKS_METRIC]: sample.ecs.runningCount } : {}),
      };
      return normalReadings({ ...sample, metrics }, anomalous).map((reading) => ({
        type: 'normal',
        reading,
      }));
    }
  }
}

async function run(
  deps: AlertDeps,
  serviceId: string,
  advance: (state: AlertingState, now: Date) => { state: AlertingState; messages: Notification[] },
): Promise<AlertRunResult> {
  const published: string[] = [];
  const duplicates: string[] = [];
  for (let attempt = 1; ; attempt++) {
    const now = deps.clock.now();
    const before = await deps.store.loadServiceState(serviceId, now);
    const { state: after, messages } = advance(before, now);
    // Publish before saving: if the save loses a race, the retry recomputes the same message ids
    // and the notification log turns them into duplicates instead of second messages.
    for (const message of messages) {
      const outcome = await publishNotification(deps, message);
      (outcome === 'published' ? published : duplicates).push(message.id);
      if (outcome === 'published') countPublished(deps, message, deps.clock.now());
    }
    try {
      await deps.store.saveServiceState(before, after, now);
      return { serviceId, published, duplicates, attempts: attempt };
    } catch (err) {
      if (!(err instanceof ConflictError) || attempt >= MAX_ATTEMPTS) throw err;
    }
  }
}

/** One stream item: fold it into its service's alerting state and send what became due. */
export async function processAlertInput(
  deps: AlertDeps,
  input: AlertInput,
): Promise<AlertRunResult> {
  const events = await eventsOf(deps, input);
  return run(deps, serviceOf(input), (state, now) => step(state, events, now, deps.config));
}

/** The timer: group wait, group interval, repeat and resolve happen even when no item arrives. */
export async function flushServiceAlerts(
  deps: AlertDeps,
  serviceId: string,
): Promise<AlertRunResult> {
  return run(deps, serviceId, (state, now) => flush(state, now, deps.config));
}

/**
 * Incidents opened and resolved, and the loop's latency: from the anomaly that opened an incident
 * (its `openedAt`) to the message that tells people. Later messages of an incident are not timed.
 */
function countPublished(deps: AlertDeps, message: Notification, now: Date): void {
  if (message.phase === 'resolved') deps.telemetry?.count('IncidentsResolved');
  if (message.phase !== 'opened') return;
  deps.telemetry?.count('IncidentsOpened');
  if (message.openedAt) {
    deps.telemetry?.timing('AnomalyToNotifyLatency', now.getTime() - Date.parse(message.openedAt));
  }
}
