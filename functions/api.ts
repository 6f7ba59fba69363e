// The HTTP API: health (SPEC A1) and status (SPEC A2).
import httpRouterHandler from '@middy/http-router';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { adapters } from '../lib/adapters';
import { systemClock } from '../lib/clock';
import { httpHandler, json } from '../lib/middleware/http';
import { healthReport } from '../src/use-cases/health-report';
import { overallState, serviceStatus } from '../src/use-cases/status-report';

const OPEN_ANOMALY_WINDOW_MS = 15 * 60_000;

async function health(): Promise<APIGatewayProxyResultV2> {
  const a = adapters();
  const now = systemClock.now();
  try {
    const [heartbeat, recentDecisions] = await Promise.all([
      a.store.lastCollectorRun(),
      a.store.recentDecisions(50),
    ]);
    const services = await a.registry.list();
    const since = new Date(now.getTime() - OPEN_ANOMALY_WINDOW_MS);
    const anomalyCounts = await Promise.all(
      services.map((s) => a.store.anomaliesSince(s.id, since)),
    );
    const report = healthReport({
      now,
      heartbeat,
      recentDecisions,
      openAnomalies: anomalyCounts.reduce((n, list) => n + list.length, 0),
      switches: a.config.switches,
    });
    return json(report.status === 'DOWN' ? 503 : 200, report, { 'cache-control': 'no-store' });
  } catch {
    return json(
      503,
      {
        status: 'DOWN',
        checkedAt: now.toISOString(),
        systems: { store: { status: 'DOWN', error: 'table unreachable' } },
      },
      { 'cache-control': 'no-store' },
    );
  }
}

async function status(): Promise<APIGatewayProxyResultV2> {
  const a = adapters();
  const services = await a.registry.list();
  const latestTickAt = (await a.store.lastCollectorRun())?.tickAt;
  // Open anomalies are judged against data time, so a replayed or delayed feed still reads right.
  const reference = latestTickAt ? new Date(latestTickAt) : systemClock.now();
  const since = new Date(reference.getTime() - OPEN_ANOMALY_WINDOW_MS);
  const statuses = await Promise.all(
    services.map(async (s) => {
      const [latest, anomalies] = await Promise.all([
        a.store.latestSample(s.id),
        a.store.anomaliesSince(s.id, since),
      ]);
      return serviceStatus(s, latest, anomalies);
    }),
  );
  return json(
    200,
    {
      state: overallState(statuses),
      updatedAt: systemClock.now().toISOString(),
      services: statuses,
    },
    { 'cache-control': 'public, max-age=15' },
  );
}

const router = httpRouterHandler([
  { method: 'GET', path: '/health', handler: health },
  { method: 'GET', path: '/status', handler: status },
]);

export const handler = httpHandler(
  (event: APIGatewayProxyEventV2, context) =>
    router(event as never, context) as Promise<APIGatewayProxyResultV2>,
);
