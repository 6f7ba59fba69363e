// SPEC O6 end to end: the real Prometheus server (Debian's package, installed by .ci/run) scrapes
// vigia's GET /metrics under serverless offline with a read key as its bearer token, and Prometheus'
// own query API then answers with what vigia exposed. POST /metrics, on the same path, still works.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SingleTableStore } from '../../lib/store/single-table-store';
import { startOfflineStack } from '../support/offline-fixture';
import { prometheusBinary, startPrometheus, type PrometheusServer } from '../support/prometheus';
import { apiKit } from './api-support';

let ctx: Awaited<ReturnType<typeof startOfflineStack>>;
let kit: ReturnType<typeof apiKit>;
let prometheus: PrometheusServer | undefined;

beforeAll(async () => {
  // Never skipped: .ci/run installs Prometheus; elsewhere this names what is missing.
  prometheusBinary();
  ctx = await startOfflineStack();
  kit = apiKit(ctx.stack.endpoint, ctx.stack.tableName, ctx.offline.httpUrl);
  const at = new Date();
  at.setUTCSeconds(0, 0);
  await new SingleTableStore(kit.table).putSample(
    {
      serviceId: 'api',
      at: at.toISOString(),
      metrics: { cpu: 93.5, memory: 61 },
      ecs: {
        desiredCount: 4,
        runningCount: 3,
        pendingCount: 1,
        taskDefinition: 'api-task:1',
        deployments: 1,
        rolloutState: 'COMPLETED',
        lastDeploymentAt: null,
      },
    },
    at,
  );
  const scraper = await kit.key('prometheus', ['read']);
  prometheus = await startPrometheus([
    {
      job_name: 'vigia',
      scrape_interval: '2s',
      scrape_timeout: '2s',
      metrics_path: '/metrics',
      static_configs: [{ targets: [new URL(ctx.offline.httpUrl).host] }],
      authorization: { type: 'Bearer', credentials: scraper },
    },
  ]);
});

afterAll(async () => {
  await prometheus?.stop();
  await ctx?.offline.stop();
});

it("is scraped by a real Prometheus with a bearer token: Prometheus' query API answers with vigia's series", async () => {
  const cpu = await prometheus!.waitForSeries(
    'vigia_service_metric{job="vigia",service="api",metric="cpu"}',
    120_000,
  );
  expect(cpu).toEqual([
    {
      metric: expect.objectContaining({ service: 'api', metric: 'cpu', job: 'vigia' }),
      value: 93.5,
    },
  ]);
  expect(await prometheus!.query('vigia_service_tasks{service="api",state="running"}')).toEqual([
    expect.objectContaining({ value: 3 }),
  ]);
  expect(await prometheus!.query('vigia_services')).toEqual([
    expect.objectContaining({ value: 3 }),
  ]);
  expect(await prometheus!.query('vigia_service_health_score{service="web"}')).toEqual([
    expect.objectContaining({ value: 100 }),
  ]);
  expect(await prometheus!.query('up{job="vigia"}')).toEqual([
    expect.objectContaining({ value: 1 }),
  ]);
});

it('answers the text format to a read key, 401 to a wrong bearer token, and still takes pushes', async () => {
  const reader = await kit.key('grafana', ['read']);
  const scrape = await kit.call('GET', '/metrics', {
    headers: { authorization: `Bearer ${reader}` },
  });
  expect(scrape.status).toBe(200);
  expect(scrape.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  expect(scrape.text).toContain('# TYPE vigia_service_metric gauge\n');

  const wrong = await kit.call('GET', '/metrics', {
    headers: { authorization: 'Bearer vk_wrong' },
  });
  expect(wrong.status).toBe(401);

  const operator = await kit.key('pusher', ['operate']);
  const push = await kit.call('POST', '/metrics', {
    key: operator,
    body: { serviceId: 'web', metrics: { queue_depth: 42 } },
  });
  expect(push.status).toBe(202);
  expect(push.json.accepted).toEqual(['queue_depth']);
});
