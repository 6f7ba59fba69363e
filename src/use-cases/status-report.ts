// Per-service state for the public status endpoint (SPEC A2): operational, degraded or outage,
// and the open incidents — the ones people were alerted about, as the alerting module keeps them.
import type { EscalationPage } from '../alerting/escalation';
import type { Incident } from '../alerting/incident';
import { severityRank, type Anomaly, type Sample, type Service, type Severity } from '../model';
import { downtimeSpan, pastIncident, type PastIncident } from './incident-timeline';
import { downsample, serviceUptime, type ServiceUptime } from './uptime';

export type ServiceState = 'operational' | 'degraded' | 'outage';

export interface ServiceStatus {
  id: string;
  name: string;
  state: ServiceState;
  since: string | null;
  tasks: { desired: number; running: number } | null;
  metrics: Record<string, number | null>;
  openAnomalies: { metric: string; severity: string; at: string; explanation: string }[];
}

/** An incident on the public status page. */
export interface StatusIncident {
  /** The alerting incident's id; null for anomalies no incident holds yet. */
  id: string | null;
  serviceId: string;
  service: string;
  state: ServiceState;
  severity: Severity;
  since: string | null;
  summary: string;
  acknowledged: boolean;
  /** The last escalation page of an open critical incident (issue 17), or null when none. */
  paged: StatusPaging | null;
}

/**
 * Who was paged, as the public page may say it: the level (1 = first) and the receivers' kinds
 * ("pagerduty", "sms"), never their numbers, addresses or parameter names.
 */
export interface StatusPaging {
  level: number;
  at: string;
  receivers: string[];
}

export function publicPaging(pages: readonly EscalationPage[] | undefined): StatusPaging | null {
  const last = pages?.at(-1);
  if (!last) return null;
  // Labels are "<kind>:<detail>" (receiverLabel); only the kind is public.
  const kinds = [...new Set(last.receivers.map((r) => r.split(':')[0]!).filter(Boolean))];
  return { level: last.level + 1, at: last.at, receivers: kinds };
}

export function serviceStatus(
  service: Service,
  latest: Sample | null,
  recentAnomalies: Anomaly[],
  openIncidents: readonly Pick<Incident, 'serviceId'>[] = [],
): ServiceStatus {
  const ecs = latest?.ecs ?? null;
  const noTasks = ecs !== null && ecs.desiredCount > 0 && ecs.runningCount === 0;
  // An incident stays open until its metrics have been normal a while: the service is not
  // operational before people are told it recovered.
  const incident = openIncidents.some((i) => i.serviceId === service.id);
  const state: ServiceState = noTasks
    ? 'outage'
    : recentAnomalies.length > 0 || incident
      ? 'degraded'
      : 'operational';
  return {
    id: service.id,
    name: service.name,
    state,
    since: recentAnomalies[0]?.at ?? null,
    tasks: ecs ? { desired: ecs.desiredCount, running: ecs.runningCount } : null,
    metrics: latest?.metrics ?? {},
    openAnomalies: recentAnomalies.map((a) => ({
      metric: a.metric,
      severity: a.severity,
      at: a.at,
      explanation: a.explanation,
    })),
  };
}

export function overallState(services: ServiceStatus[]): ServiceState {
  if (services.some((s) => s.state === 'outage')) return 'outage';
  if (services.some((s) => s.state === 'degraded')) return 'degraded';
  return 'operational';
}

/**
 * The open incidents people were alerted about, worst first, with what the latest anomaly said;
 * plus a service that is not operational without one (anomalies notify has not grouped yet, or no
 * running task), so the page never shows a degraded service without saying why.
 */
export function statusIncidents(
  statuses: readonly ServiceStatus[],
  openIncidents: readonly Incident[],
  /** Escalation pages per incident id (only escalated incidents have any). */
  escalations: ReadonlyMap<string, readonly EscalationPage[]> = new Map(),
): StatusIncident[] {
  const byId = new Map(statuses.map((s) => [s.id, s]));
  const fromAlerting = openIncidents
    .filter((i) => i.status === 'open' && byId.has(i.serviceId))
    .map((i): StatusIncident => {
      const status = byId.get(i.serviceId)!;
      const metrics = Object.values(i.metrics).sort(
        (a, b) =>
          severityRank[b.severity] - severityRank[a.severity] || (a.lastAt < b.lastAt ? 1 : -1),
      );
      return {
        id: i.id,
        serviceId: i.serviceId,
        service: status.name,
        state: status.state,
        severity: i.severity,
        since: i.openedAt,
        summary: metrics[0]?.explanation ?? `${status.name} is ${status.state}`,
        acknowledged: i.acknowledgement !== null,
        paged: i.severity === 'critical' ? publicPaging(escalations.get(i.id)) : null,
      };
    });
  const covered = new Set(fromAlerting.map((i) => i.serviceId));
  const derived = statuses
    .filter((s) => !covered.has(s.id) && (s.openAnomalies.length > 0 || s.state !== 'operational'))
    .map((s): StatusIncident => ({
      id: null,
      serviceId: s.id,
      service: s.name,
      state: s.state,
      severity: s.openAnomalies.some((x) => x.severity === 'critical')
        ? 'critical'
        : s.openAnomalies.some((x) => x.severity === 'warning')
          ? 'warning'
          : 'info',
      since: s.since,
      summary:
        s.openAnomalies[0]?.explanation ??
        (s.state === 'outage' ? 'no task is running' : `${s.name} is degraded`),
      acknowledged: false,
      paged: null,
    }));
  return [...fromAlerting, ...derived].sort(
    (a, b) => severityRank[b.severity] - severityRank[a.severity],
  );
}

// ── history (issue 16 part 7) ───────────────────────────────────────────────

/** The load chart covers this many hours, in this many points. */
export const LOAD_HOURS = 3;
export const LOAD_POINTS = 36;
/** The metric every ECS service has: the chart's "main load". */
export const LOAD_METRIC = 'cpu';

export interface ServiceHistory extends ServiceUptime {
  load: { metric: string; unit: string; points: { at: string; value: number }[] };
}

export function serviceHistory(input: {
  past: readonly PastIncident[];
  open: readonly Incident[];
  trackedSince: Date | null;
  loadPoints: readonly { at: string; value: number }[];
  now: Date;
}): ServiceHistory {
  const spans = [
    ...input.past.map(downtimeSpan),
    ...input.open.filter((i) => i.status === 'open').map((i) => downtimeSpan(pastIncident(i))),
  ];
  // An incident older than the first sample still kept proves vigia watched the service then.
  const earliest = Math.min(
    input.trackedSince?.getTime() ?? Infinity,
    ...spans.map((s) => Date.parse(s.start)).filter(Number.isFinite),
  );
  const from = new Date(input.now.getTime() - LOAD_HOURS * 3_600_000);
  return {
    ...serviceUptime(spans, Number.isFinite(earliest) ? new Date(earliest) : null, input.now),
    load: {
      metric: LOAD_METRIC,
      unit: '%',
      points: downsample(input.loadPoints, from, input.now, LOAD_POINTS),
    },
  };
}

/** The fleet's latest resolved incidents, newest first, with the service's display name. */
export function recentPastIncidents(
  perService: readonly { name: string; past: readonly PastIncident[] }[],
  limit = 10,
): (PastIncident & { service: string })[] {
  return perService
    .flatMap((s) => s.past.map((p) => ({ ...p, service: s.name })))
    .sort((a, b) => ((a.resolvedAt ?? '') < (b.resolvedAt ?? '') ? 1 : -1))
    .slice(0, limit);
}
