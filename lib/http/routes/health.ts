// GET /health (SPEC A1): minimal without a key, every subsystem with the read scope; 503 when down.
// It reads what the functions left (heartbeats, the collector's tick, the failure queue, recent
// decisions and anomalies) and this container's circuit breakers; the use case judges them.
import { VigiaError } from '../../../src/errors';
import { healthReport, type FailureQueue } from '../../../src/use-cases/health-report';
import { config } from '../../config';
import { json } from '../../middleware/http';
import type { ApiAdapters } from '../../wiring/api';
import { breakerSnapshots } from '../../breaker/breakers';
import { failureQueue } from '../../wiring/health';
import { hasScope } from '../api-pipeline';
import { apiAdapters } from '../api-adapters';
import type { Route } from '../route';

const OPEN_ANOMALY_WINDOW_MS = 15 * 60_000;

export type HealthAdapters = Pick<ApiAdapters, 'store' | 'registry' | 'learning' | 'config'> & {
  failureQueue: FailureQueue | null;
};

export function createHealthRoutes(adapters: () => HealthAdapters): Route[] {
  return [
    {
      method: 'GET',
      path: '/health',
      scope: 'public',
      summary: "The autopilot's own health: status only without a key, every subsystem with read",
      responses: { 200: 'healthy or degraded', 503: 'the autopilot itself is down' },
      async handler(req) {
        const a = adapters();
        const noStore = { 'cache-control': 'no-store' };
        let report;
        try {
          const [heartbeat, functions, recentDecisions, services, learning, failedRecords] =
            await Promise.all([
              a.store.lastCollectorRun(),
              a.store.heartbeat.functionHeartbeats(),
              a.store.recentDecisions(50),
              a.registry.list(),
              a.learning.loadSummary(),
              // An unreadable queue degrades its own line of the report, not the whole report.
              a.failureQueue?.pendingCount().catch(() => null),
            ]);
          const since = new Date(req.now.getTime() - OPEN_ANOMALY_WINDOW_MS);
          const anomalies = (
            await Promise.all(services.map((s) => a.store.anomaliesSince(s.id, since)))
          ).flat();
          report = healthReport({
            now: req.now,
            heartbeat,
            functions,
            recentDecisions,
            openAnomalies: anomalies.length,
            latestAnomalyAt:
              anomalies
                .map((x) => x.at)
                .sort()
                .at(-1) ?? null,
            breakers: breakerSnapshots(),
            switches: a.config.switches,
            learning: learning.summary,
            failedRecords,
          });
        } catch (err) {
          // Only a table that cannot be read is the store being down; a fault in this code is a
          // server error (500, logged with its stack by the HTTP middleware), not a false cause.
          if (!(err instanceof VigiaError && err.kind === 'unavailable')) throw err;
          report = {
            status: 'DOWN' as const,
            checkedAt: req.now.toISOString(),
            systems: { store: { status: 'DOWN' as const, error: 'table unreachable' } },
          };
        }
        const code = report.status === 'DOWN' ? 503 : 200;
        if (!hasScope(req.principal, 'read')) {
          return json(code, { status: report.status, checkedAt: report.checkedAt }, noStore);
        }
        return json(code, report, noStore);
      },
    },
  ];
}

export const healthRoutes: Route[] = createHealthRoutes(() => ({
  ...apiAdapters(),
  failureQueue: failureQueue(config()),
}));
