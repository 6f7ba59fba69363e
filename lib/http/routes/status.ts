// GET /status (SPEC A2): public, cacheable per-service state and health score (SPEC D4) with open
// incidents and recent actions, and the history (uptime, a bar per day, past incidents, the recent load); GET / serves
// the status page that polls it.
import type { EscalationPage } from '../../../src/alerting';
import {
  LOAD_HOURS,
  LOAD_METRIC,
  overallState,
  recentPastIncidents,
  serviceHistory,
  serviceStatus,
  statusIncidents,
} from '../../../src/use-cases/status-report';
import { healthOfService } from '../../../src/use-cases/service-outlook';
import { HISTORY_DAYS } from '../../../src/use-cases/uptime';
import { json } from '../../middleware/http';
import type { ApiAdapters } from '../../wiring/api';
import { apiAdapters } from '../api-adapters';
import type { Route } from '../route';
import { statusPageCsp, statusPageHtml } from '../status-page';

const OPEN_ANOMALY_WINDOW_MS = 15 * 60_000;

/** The detector models are optional: without them the health score weighs anomalies alone. */
export type StatusAdapters = Pick<
  ApiAdapters,
  'registry' | 'store' | 'alerting' | 'statusHistory'
> &
  Partial<Pick<ApiAdapters, 'escalations' | 'models'>>;

export interface StatusRouteOptions {
  /** How long one computed /status body serves every caller of this container. */
  cacheSeconds?: number;
}

/** Public and unauthenticated: 15 s of staleness is invisible on a status page polled every 30 s. */
export const STATUS_CACHE_SECONDS = 15;

type FleetStatus = Awaited<ReturnType<typeof fleetStatus>>;

/**
 * One body per container for `ttlMs`: /status costs ~8 small queries per service (the detector models, for the health score; the history reads
 * one item per past incident, not samples, and one metric of 3 h of samples), and a burst of public
 * callers (the page polled by many browsers) would otherwise queue them all on the table. Callers
 * that miss together share one computation (single flight); a failed computation is not kept.
 */
class StatusCache {
  private entry: { body: FleetStatus; expiresAtMs: number } | undefined;
  private computing: Promise<{ body: FleetStatus; expiresAtMs: number }> | undefined;

  constructor(private readonly ttlMs: number) {}

  async get(now: Date, compute: () => Promise<FleetStatus>) {
    if (this.entry && this.entry.expiresAtMs > now.getTime()) return this.entry;
    this.computing ??= compute()
      .then((body) => (this.entry = { body, expiresAtMs: now.getTime() + this.ttlMs }))
      .finally(() => (this.computing = undefined));
    return this.computing;
  }
}

export function createStatusRoutes(
  adapters: () => StatusAdapters,
  options: StatusRouteOptions = {},
): Route[] {
  const cache = new StatusCache((options.cacheSeconds ?? STATUS_CACHE_SECONDS) * 1000);
  return [
    {
      method: 'GET',
      path: '/status',
      scope: 'public',
      summary:
        'Per-service state (operational / degraded / outage) and health score, open incidents, recent actions',
      responses: { 200: 'the fleet status' },
      async handler(req) {
        const { body, expiresAtMs } = await cache.get(req.now, () =>
          fleetStatus(adapters(), req.now),
        );
        // Browsers and CDNs keep it no longer than this container will.
        const maxAge = Math.max(0, Math.ceil((expiresAtMs - req.now.getTime()) / 1000));
        return json(200, body, { 'cache-control': `public, max-age=${maxAge}` });
      },
    },
    statusPageRoute,
  ];
}

async function fleetStatus(a: StatusAdapters, now: Date) {
  const [services, heartbeat, decisions] = await Promise.all([
    a.registry.list(),
    a.store.lastCollectorRun(),
    a.store.recentDecisions(20),
  ]);
  // Open anomalies are judged against data time, so a replayed or delayed feed still reads right.
  const reference = heartbeat?.tickAt ? new Date(heartbeat.tickAt) : now;
  const since = new Date(reference.getTime() - OPEN_ANOMALY_WINDOW_MS);
  const historyFrom = new Date(now.getTime() - HISTORY_DAYS * 86_400_000);
  const loadFrom = new Date(now.getTime() - LOAD_HOURS * 3_600_000);
  const perService = await Promise.all(
    services.map(async (s) => {
      const [latest, anomalies, open, past, trackedSince, loadPoints, models] = await Promise.all([
        a.store.latestSample(s.id),
        a.store.anomaliesSince(s.id, since),
        a.alerting.openIncidents(s.id),
        a.statusHistory.pastIncidents(s.id, historyFrom),
        a.statusHistory.trackedSince(s.id),
        a.statusHistory.metricSeries(s.id, LOAD_METRIC, loadFrom, now),
        a.models ? a.models.loadModels(s.id) : Promise.resolve([]),
      ]);
      const history = serviceHistory({ past, open, trackedSince, loadPoints, now });
      const health = healthOfService({
        latest,
        anomalies,
        openIncidents: open.filter((i) => i.status === 'open').length,
        models,
        reference,
      });
      const status = { ...serviceStatus(s, latest, anomalies, open), health, ...history };
      const pages = await escalationPages(a, s.id, open);
      return { status, open, past, pages };
    }),
  );
  const statuses = perService.map((p) => p.status);
  const incidents = statusIncidents(
    statuses,
    perService.flatMap((p) => p.open),
    new Map(perService.flatMap((p) => p.pages)),
  );
  // The status page shows the fleet as it is: a removed service's actions stay in /decisions.
  const watched = new Set(services.map((s) => s.id));
  const recentActions = decisions
    .filter((d) => d.status !== 'skipped' && d.action !== 'notify' && watched.has(d.serviceId))
    .slice(0, 10)
    .map((d) => ({
      serviceId: d.serviceId,
      action: d.action,
      status: d.status,
      at: d.at,
      fromCount: d.fromCount,
      toCount: d.toCount,
      manual: d.requestedBy.startsWith('api:'),
    }));
  return {
    state: overallState(statuses),
    updatedAt: now.toISOString(),
    services: statuses,
    incidents,
    pastIncidents: recentPastIncidents(
      perService.map((p) => ({ name: p.status.name, past: p.past })),
    ),
    recentActions,
  };
}

/** Only open critical incidents escalate: one read each, usually none. */
async function escalationPages(
  a: StatusAdapters,
  serviceId: string,
  open: Awaited<ReturnType<StatusAdapters['alerting']['openIncidents']>>,
): Promise<[string, EscalationPage[]][]> {
  const escalations = a.escalations;
  if (!escalations) return [];
  const critical = open.filter((i) => i.status === 'open' && i.severity === 'critical');
  const states = await Promise.all(critical.map((i) => escalations.load(serviceId, i.id)));
  return states.flatMap((st) =>
    st ? [[st.incidentId, st.pages] as [string, EscalationPage[]]] : [],
  );
}

const statusPageRoute: Route = {
  method: 'GET',
  path: '/',
  scope: 'public',
  summary: 'The status page (HTML) that polls /status',
  responses: { 200: 'text/html' },
  async handler() {
    return {
      statusCode: 200,
      headers: {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'public, max-age=300',
        'content-security-policy': statusPageCsp,
        'x-content-type-options': 'nosniff',
      },
      body: statusPageHtml,
    };
  },
};

export const statusRoutes: Route[] = createStatusRoutes(apiAdapters);
