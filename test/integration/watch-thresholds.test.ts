// The watch consumer against the emulator: samples written by the collector's store, judged by the
// watch's own wiring; a sustained error rate and an outage become anomaly items once per minute,
// however often a sample is delivered.
import { beforeAll, describe, expect, it } from 'vitest';
import { observationStore } from '../../lib/wiring/table';
import { watchDeps } from '../../lib/wiring/watch';
import type { Sample } from '../../src/model';
import { watchSample } from '../../src/use-cases/watch-sample';
import { freshLocalStack, localAdapters } from '../support/local-aws';

const start = Date.parse('2026-11-22T10:00:00.000Z');
const minute = (n: number) => new Date(start + n * 60_000).toISOString();

let env: Awaited<ReturnType<typeof setup>>;

async function setup() {
  const stack = await freshLocalStack();
  const a = localAdapters(stack.endpoint, stack.tableName);
  return { a, deps: watchDeps(a.config), observations: observationStore(a.config) };
}

beforeAll(async () => {
  env = await setup();
});

function sample(n: number, ecs: Partial<NonNullable<Sample['ecs']>> = {}): Sample {
  return {
    serviceId: 'web',
    at: minute(n),
    metrics: { cpu: 40, memory: 50, requests: 1000, errors_5xx: 150 },
    ecs: {
      desiredCount: 2,
      runningCount: 2,
      pendingCount: 0,
      taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web-task:1',
      deployments: 1,
      rolloutState: 'COMPLETED',
      lastDeploymentAt: null,
      ...ecs,
    },
  };
}

describe('watch', () => {
  it('writes one threshold anomaly per minute of a 15% error rate once it held 2 minutes, and one outage anomaly, redeliveries included', async () => {
    for (const n of [0, 1]) {
      await env.observations.putSample(sample(n), new Date());
      await watchSample(env.deps, sample(n));
      await watchSample(env.deps, sample(n));
    }
    const outage = sample(2, { runningCount: 0, pendingCount: 2 });
    await env.observations.putSample(outage, new Date());
    const first = await watchSample(env.deps, outage);
    const again = await watchSample(env.deps, outage);

    const stored = await env.observations.anomaliesSince('web', new Date(start));
    const byPolicy = stored.filter((a) => a.policy === 'alert-error-rate');
    // alert-error-rate holds for 2 minutes: from the second minute on.
    expect(byPolicy.map((a) => a.at)).toEqual([minute(1), minute(2)]);
    expect(byPolicy[0]).toMatchObject({
      source: 'threshold',
      metric: 'error_rate',
      value: 15,
      explanation:
        'error_rate 15% above the policy threshold 10% for 2 min (policy alert-error-rate)',
    });
    const outages = stored.filter((a) => a.source === 'outage');
    expect(outages).toHaveLength(1);
    expect(outages[0]).toMatchObject({ severity: 'critical', metric: 'running_tasks' });
    expect(first.written.length).toBeGreaterThan(0);
    expect(again.written).toEqual([]);
  });
});
