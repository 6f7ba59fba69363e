// The minute timer's escalation pass over one service (issue 17): each open critical incident that
// nobody acknowledged pages its next escalation level when due. The page is recorded first, by a
// conditional write, so two timers never page the same level twice; then the receivers are called.
import {
  composeIncidentNotification,
  dueEscalationLevel,
  incidentView,
  receiverLabel,
  type AlertingConfig,
  type EscalationPage,
  type EscalationState,
  type Notification,
} from '../alerting';
import type { Receiver } from '../model';
import type { AlertingStateStore, Clock, ServiceRegistry } from '../ports';

export interface EscalationStore {
  load(serviceId: string, incidentId: string): Promise<EscalationState | null>;
  /** Writes `next` only if the stored version is still next.version - 1; false otherwise. */
  record(next: EscalationState, now: Date): Promise<boolean>;
}

export interface Pager {
  /** Calls each receiver; throws when one could not be reached (after the others were tried). */
  page(receivers: readonly Receiver[], n: Notification): Promise<void>;
}

export interface EscalateDeps {
  clock: Clock;
  alerting: Pick<AlertingStateStore, 'loadServiceState'>;
  registry: Pick<ServiceRegistry, 'get'>;
  escalations: EscalationStore;
  pager: Pager;
  config: AlertingConfig;
}

export async function escalateService(
  deps: EscalateDeps,
  serviceId: string,
): Promise<EscalationPage[]> {
  const service = await deps.registry.get(serviceId);
  const escalation = service?.notifications?.escalation;
  if (!escalation) return [];
  const now = deps.clock.now();
  const state = await deps.alerting.loadServiceState(serviceId, now);
  const paged: EscalationPage[] = [];
  for (const incident of state.incidents) {
    const before = await deps.escalations.load(serviceId, incident.id);
    const level = dueEscalationLevel(incident, escalation, before, now);
    if (level === null) continue;
    const receivers = escalation.levels[level]!;
    const page: EscalationPage = {
      level,
      at: now.toISOString(),
      receivers: receivers.map(receiverLabel),
    };
    const next: EscalationState = {
      incidentId: incident.id,
      serviceId,
      pages: [...(before?.pages ?? []), page],
      version: (before?.version ?? 0) + 1,
    };
    if (!(await deps.escalations.record(next, now))) continue; // another timer paged it
    const base = composeIncidentNotification(
      incident,
      incidentView(incident, deps.config),
      'incident',
      'repeated',
      now,
      deps.config,
    );
    await deps.pager.page(receivers, {
      ...base,
      id: `${incident.id}~escalation~${next.pages.length}`,
      headline: `not acknowledged, escalated to level ${level + 1}: ${base.headline}`,
    });
    paged.push(page);
  }
  return paged;
}
