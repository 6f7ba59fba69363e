// Prometheus as a source (SPEC C6) against the real Prometheus server (Debian's package, installed by
// .ci/run): the test serves a small exporter, Prometheus scrapes it every second, and the collect
// tick, built by the production builders over the emulator, brings each service's PromQL values into
// its samples — with a bearer token or a basic password from SSM — while a bad query or a refused
// token fails that metric alone and the rest of the tick goes on.
import http from 'node:http';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceStore } from '../../lib/store/service-store';
import { collectDeps } from '../../lib/wiring/collect';
import type { Service } from '../../src/model';
import { collectTick } from '../../src/use-cases/collect-tick';
import { freePort } from '../support/free-port';
import { freshLocalStack, localAdapters } from '../support/local-aws';
import { startPrometheus, type PrometheusServer } from '../support/prometheus';

const TOKEN = 'scrape-me-not';
const TOKEN_PARAMETER = '/vigia/dev/prometheus/token';
const PASSWORD = 'basic-but-secret';
const PASSWORD_PARAMETER = '/vigia/dev/prometheus/password';

let prometheus: PrometheusServer | undefined;
let exporter: http.Server | undefined;
let guard: http.Server | undefined;
let guardedUrl: string;
let env: Awaited<ReturnType<typeof setup>>;

function listen(server: http.Server, port: number): Promise<void> {
  return new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
}

async function setup() {
  const stack = await freshLocalStack();
  const a = localAdapters(stack.endpoint, stack.tableName);
  const ssm = new SSMClient({ endpoint: stack.endpoint, region: 'us-east-1' });
  for (const [Name, Value] of [
    [TOKEN_PARAMETER, TOKEN],
    [PASSWORD_PARAMETER, PASSWORD],
  ]) {
    await ssm.send(new PutParameterCommand({ Name, Value, Type: 'SecureString', Overwrite: true }));
  }
  return { stack, a, deps: { ...collectDeps(a.config), clock: { now: () => new Date() } } };
}

beforeAll(async () => {
  // The application's exporter: a counter and a gauge, in the text format Prometheus scrapes.
  const exporterPort = await freePort();
  exporter = http.createServer((_req, res) => {
    res.setHeader('content-type', 'text/plain; version=0.0.4');
    res.end(
      [
        '# TYPE shop_requests_total counter',
        'shop_requests_total{service="web"} 4200',
        'shop_requests_total{service="api"} 800',
        '# TYPE shop_queue_depth gauge',
        'shop_queue_depth 17',
        '',
      ].join('\n'),
    );
  });
  await listen(exporter, exporterPort);
  prometheus = await startPrometheus([
    {
      job_name: 'shop',
      scrape_interval: '1s',
      static_configs: [{ targets: [`127.0.0.1:${exporterPort}`] }],
    },
  ]);
  await prometheus.waitForSeries('shop_queue_depth');

  // A Prometheus behind a proxy that wants a bearer token or a basic password, as a hosted one would.
  const basic = `Basic ${Buffer.from(`vigia:${PASSWORD}`).toString('base64')}`;
  const target = new URL(prometheus.url);
  const guardPort = await freePort();
  guard = http.createServer((req, res) => {
    if (![`Bearer ${TOKEN}`, basic].includes(req.headers.authorization ?? '')) {
      res.writeHead(401, { 'content-type': 'text/plain' }).end('unauthorized');
      req.resume();
      return;
    }
    const upstream = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: req.url,
        method: req.method,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(upstream);
  });
  await listen(guard, guardPort);
  guardedUrl = `http://127.0.0.1:${guardPort}`;

  env = await setup();
});

afterAll(async () => {
  await prometheus?.stop();
  await Promise.all(
    [exporter, guard].map(
      (s) => new Promise<void>((resolve) => (s ? s.close(() => resolve()) : resolve())),
    ),
  );
});

async function watchWithPrometheus(id: string, sources: Service['sources']) {
  const declared = env.a.services.find((s) => s.id === id)!;
  await new ServiceStore(env.a.table).put({ ...declared, sources }, null, new Date());
}

describe('Prometheus as a metric source', () => {
  it("brings each service's PromQL values into its samples, and a bad query or refused token fails that metric alone", async () => {
    await watchWithPrometheus('web', {
      prometheus: {
        url: guardedUrl,
        queries: {
          requests: 'sum(shop_requests_total{service="web"})',
          queue_depth: 'shop_queue_depth * 2',
        },
        auth: { bearerSsmParameter: TOKEN_PARAMETER },
        timeoutSeconds: 5,
      },
    });
    await watchWithPrometheus('api', {
      prometheus: {
        url: guardedUrl,
        queries: {
          requests: 'sum(rate(shop_requests_total[1m]', // unbalanced: Prometheus refuses it
          queue_depth: 'shop_queue_depth',
        },
        auth: { basic: { username: 'vigia', passwordSsmParameter: PASSWORD_PARAMETER } },
        timeoutSeconds: 5,
      },
    });
    await watchWithPrometheus('worker', {
      prometheus: {
        url: guardedUrl, // no token configured: the proxy refuses
        queries: { queue_depth: 'shop_queue_depth' },
        timeoutSeconds: 5,
      },
    });
    // The next whole minute: Prometheus answers for it with the latest scrape, so the minute
    // before it is complete and carries the exporter's values.
    const tickAt = new Date(Math.ceil(Date.now() / 60_000) * 60_000);
    const minuteBefore = new Date(tickAt.getTime() - 60_000).toISOString();

    const result = await collectTick(env.deps, tickAt);

    expect(result.failures).toEqual([]);
    expect(result.services).toBe(3);
    const web = await env.a.store.latestSample('web');
    expect(web).toMatchObject({ at: minuteBefore, metrics: { requests: 4200, queue_depth: 34 } });
    const api = await env.a.store.latestSample('api');
    expect(api).toMatchObject({ at: minuteBefore, metrics: { queue_depth: 17 } });
    expect(api!.metrics.requests).toBeUndefined();
    expect(result.sourceFailures).toEqual(
      expect.arrayContaining([
        {
          serviceId: 'api',
          source: 'prometheus',
          error: expect.stringMatching(
            /^requests from http:\/\/127\.0\.0\.1:\d+: bad_data: .*parse error/,
          ),
        },
        {
          serviceId: 'worker',
          source: 'prometheus',
          error: expect.stringContaining('queue_depth from http://127.0.0.1:'),
        },
      ]),
    );
    expect(result.sourceFailures).toHaveLength(2);
    const refused = result.sourceFailures.find((f) => f.serviceId === 'worker')!;
    expect(refused.error).toContain('HTTP 401, not a Prometheus API answer: unauthorized');
    expect(await env.a.store.latestSample('worker')).toBeNull();
  });
});
