// A typical web service behind an ALB, with no metric configured: collect discovers its target group
// from ECS, reads AWS/ApplicationELB in vigia's units (latency in ms, requests per second, 5xx share
// in %), and the default 2 s latency policy fires on what it collected.
import { PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectDeps } from '../../lib/wiring/collect';
import { decideDeps } from '../../lib/wiring/decisions';
import { apiAdapters } from '../../lib/wiring/api';
import { anomalyId, type Anomaly } from '../../src/model';
import type { ServiceRegistry } from '../../src/ports';
import { collectTick } from '../../src/use-cases/collect-tick';
import { decideOnAnomaly } from '../../src/use-cases/decide-on-anomaly';
import { serviceBehindAlb } from '../support/alb';
import { aService, ruleSwitches } from '../support/builders';
import { awsEndpoint, freshLocalStack, localAdapters, localConfig } from '../support/local-aws';
import { startPercentileProxy, type PercentileProxy } from '../support/percentile-proxy';

const start = 29_400_000; // an epoch minute (2025-11-23)
const minute = (m: number) => new Date(m * 60_000);
const shop = aService({
  id: 'shop',
  ecs: { cluster: 'vigia-demo', service: 'shop' },
  // A configured metric in seconds arrives in ms, like the ALB's latency.
  metrics: [
    {
      id: 'job_age',
      namespace: 'Shop',
      name: 'OldestJobAge',
      statistic: 'Maximum',
      unit: 'seconds',
    },
  ],
});
const registry: ServiceRegistry = {
  list: async () => [shop],
  get: async (id) => (id === shop.id ? shop : null),
};

let proxy: PercentileProxy;
let env: Awaited<ReturnType<typeof setup>>;

async function setup() {
  const stack = await freshLocalStack();
  const alb = await serviceBehindAlb(stack.endpoint, 'vigia-demo', 'shop');
  const a = localAdapters(stack.endpoint, stack.tableName);
  // The collector's own adapters, talking to moto through the proxy that answers p95.
  const config = localConfig(proxy.endpoint, stack.tableName);
  return { stack, a, alb, config };
}

beforeAll(async () => {
  proxy = await startPercentileProxy(awsEndpoint());
  env = await setup();
});

afterAll(async () => {
  await proxy?.close();
});

/** One minute of ALB metrics: seconds, a per-minute request count, 5xx (absent when none). */
async function albMinute(m: number, seconds: number, requests: number, errors: number | null) {
  const data = [
    { MetricName: 'TargetResponseTime', Value: seconds, Unit: 'Seconds' as const },
    { MetricName: 'RequestCount', Value: requests, Unit: 'Count' as const },
    ...(errors === null
      ? []
      : [{ MetricName: 'HTTPCode_Target_5XX_Count', Value: errors, Unit: 'Count' as const }]),
  ];
  await env.a.aws.cloudwatch.send(
    new PutMetricDataCommand({
      Namespace: 'AWS/ApplicationELB',
      MetricData: data.map((d) => ({
        ...d,
        Dimensions: env.alb.dimensions,
        Timestamp: new Date(minute(m).getTime() + 10_000),
      })),
    }),
  );
}

describe('a service behind an ALB', () => {
  it('gets latency in ms, requests per second and error rate in %, and the 2 s latency policy fires', async () => {
    await albMinute(start - 3, 0.4, 600, null);
    await albMinute(start - 2, 2.5, 1200, 60);
    await albMinute(start - 1, 2.5, 1200, 60);
    await env.a.aws.cloudwatch.send(
      new PutMetricDataCommand({
        Namespace: 'Shop',
        MetricData: [{ MetricName: 'OldestJobAge', Value: 3, Timestamp: minute(start - 1) }],
      }),
    );

    const result = await collectTick(
      { ...collectDeps(env.config), registry, clock: { now: () => new Date() } },
      minute(start),
    );

    expect(result.failures).toEqual([]);
    expect(proxy.percentilesAsked).toContain('p95');
    const page = await apiAdapters(env.config).history.samples(
      'shop',
      { from: minute(start - 10), to: minute(start) },
      { limit: 50 },
    );
    const byMinute = Object.fromEntries(page.items.map((s) => [s.at as string, s.metrics]));
    // A quiet minute: no 5xx metric published at all, so 0 errors and a 0% error rate.
    expect(byMinute[minute(start - 3).toISOString()]).toMatchObject({
      latency_p95: 400,
      requests: 10,
      errors_5xx: 0,
      error_rate: 0,
    });
    expect(byMinute[minute(start - 1).toISOString()]).toMatchObject({
      latency_p95: 2500,
      requests: 20,
      errors_5xx: 60,
      error_rate: 5,
      job_age: 3000,
    });

    // The watch's anomaly once scale-out-latency's 3-minute window held (seed thresholds act only
    // once they held); the decision runs the default policies on the sample.
    const anomaly: Anomaly = {
      source: 'threshold',
      policy: 'scale-out-latency',
      id: anomalyId('shop', 'latency_p95', minute(start - 1).toISOString()),
      serviceId: 'shop',
      metric: 'latency_p95',
      at: minute(start - 1).toISOString(),
      value: 2500,
      score: 0.95,
      direction: 'up',
      expected: 400,
      lower: 300,
      upper: 600,
      severity: 'critical',
      explanation: 'latency_p95 2500 is far above its usual',
      desiredCount: 2,
    };
    const { decision } = await decideOnAnomaly(
      { ...decideDeps(env.config), registry },
      anomaly,
      ruleSwitches,
    );
    expect(decision.policies).toContain('scale-out-latency');
    // Neither requests nor CPU explain the slower answers: a latency regression, which more tasks
    // do not cure, so people are told instead of the service being scaled out.
    expect(decision.diagnosis).toBe('latency_regression');
    expect(decision.action).toBe('notify');
  });
});
