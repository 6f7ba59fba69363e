// GET /status (SPEC A2): public, cacheable per-service state with open incidents and recent
// actions; GET / serves the status page that polls it.
import { overallState, serviceStatus, statusIncidents } from '../../../src/use-cases/status-report';
import { json } from '../../middleware/http';
import { apiAdapters } from '../api-adapters';
import type { Route } from '../route';
import { statusPageCsp, statusPageHtml } from '../status-page';

const OPEN_ANOMALY_WINDOW_MS = 15 * 60_000;

export const statusRoutes: Route[] = [
  {
    method: 'GET',
    path: '/status',
    scope: 'public',
    summary: 'Per-service state (operational / degraded / outage), open incidents, recent actions',
    responses: { 200: 'the fleet status' },
    async handler(req) {
      const a = apiAdapters();
      const [services, heartbeat, decisions] = await Promise.all([
        a.registry.list(),
        a.store.lastCollectorRun(),
        a.store.recentDecisions(20),
      ]);
      // Open anomalies are judged against data time, so a replayed or delayed feed still reads right.
      const reference = heartbeat?.tickAt ? new Date(heartbeat.tickAt) : req.now;
      const since = new Date(reference.getTime() - OPEN_ANOMALY_WINDOW_MS);
      const perService = await Promise.all(
        services.map(async (s) => {
          const [latest, anomalies, open] = await Promise.all([
            a.store.latestSample(s.id),
            a.store.anomaliesSince(s.id, since),
            a.alerting.openIncidents(s.id),
          ]);
          return { status: serviceStatus(s, latest, anomalies, open), open };
        }),
      );
      const statuses = perService.map((p) => p.status);
      const incidents = statusIncidents(
        statuses,
        perService.flatMap((p) => p.open),
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
      return json(
        200,
        {
          state: overallState(statuses),
          updatedAt: req.now.toISOString(),
          services: statuses,
          incidents,
          recentActions,
        },
        { 'cache-control': 'public, max-age=15' },
      );
    },
  },
  {
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
  },
];
