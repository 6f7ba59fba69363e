// GET /metrics (SPEC O6): the Prometheus exposition, beside POST /metrics (pushed metrics) on the same
// path. A read key, sent as X-API-Key or as `Authorization: Bearer` (Prometheus' `authorization`
// scrape setting), as on every route.
import { metricsExposition, type ExpositionPorts } from '../../../src/use-cases/metrics-exposition';
import { EXPOSITION_CONTENT_TYPE, renderExposition } from '../../../src/use-cases/prometheus-text';
import { config } from '../../config';
import type { ApiAdapters } from '../../wiring/api';
import { failureQueue } from '../../wiring/health';
import { apiAdapters } from '../api-adapters';
import type { Route } from '../route';

export function expositionPorts(
  a: Pick<ApiAdapters, 'registry' | 'store' | 'alerting' | 'history'> &
    Partial<Pick<ApiAdapters, 'models'>>,
  queue: { pendingCount(): Promise<number> } | null,
): ExpositionPorts {
  return {
    services: () => a.registry.list(),
    latestSample: (id) => a.store.latestSample(id),
    anomaliesSince: (id, since) => a.store.anomaliesSince(id, since),
    openIncidentCount: async (id) => (await a.alerting.openIncidents(id)).length,
    decisionsSince: (since, max) => a.history.allDecisions({ from: since, to: new Date() }, max),
    lastCollectorRun: () => a.store.lastCollectorRun(),
    ...(a.models ? { models: (id: string) => a.models!.loadModels(id) } : {}),
    // An unreadable queue drops its own series, not the scrape.
    failureQueueDepth: async () => (queue ? queue.pendingCount().catch(() => null) : null),
  };
}

export const metricsExpositionRoutes: Route[] = [
  {
    method: 'GET',
    path: '/metrics',
    scope: 'read',
    summary:
      "Prometheus exposition (text format 0.0.4): vigia's own gauges and each service's latest values, health score and open incidents",
    responses: { 200: 'text/plain; version=0.0.4' },
    async handler(req) {
      const ports = expositionPorts(apiAdapters(), failureQueue(config()));
      const body = renderExposition(await metricsExposition(ports, req.now));
      return {
        statusCode: 200,
        headers: { 'content-type': EXPOSITION_CONTENT_TYPE, 'cache-control': 'no-store' },
        body,
      };
    },
  },
];
