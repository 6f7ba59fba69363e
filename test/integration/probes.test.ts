// Dependency probes (SPEC C4) against a real local HTTP server that goes down, then slow, then answers
// the wrong body: each failing run counts, the collector's sample carries the count, the decision
// diagnoses a failing dependency and alerts — and does not restart the service, which is healthy.
import http from 'node:http';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectDeps } from '../../lib/wiring/collect';
import { probeDeps } from '../../lib/wiring/probe';
import { anomalyId, type Anomaly } from '../../src/model';
import { collectTick } from '../../src/use-cases/collect-tick';
import { decideOnAnomaly } from '../../src/use-cases/decide-on-anomaly';
import { probeDependencies } from '../../src/use-cases/probe-dependencies';
import { localClientConfig } from '../../scripts/lib/local-stack';
import { freePort } from '../support/free-port';
import { decisionStack, ruleSwitches, webService } from './decision-fixtures';

type Mode = 'up' | 'slow' | 'wrong-body';
let mode: Mode = 'up';
let server: http.Server | null = null;
let port: number;
const TOKEN = 'Bearer probe-s3cret';

function listen(): Promise<void> {
  server = http.createServer((req, res) => {
    if (req.headers.authorization !== TOKEN) return void res.writeHead(401).end('who are you');
    if (mode === 'slow') {
      setTimeout(() => res.writeHead(200).end('status: ok'), 1500).unref();
      return;
    }
    res.writeHead(200).end(mode === 'up' ? 'status: ok' : 'status: degraded');
  });
  return new Promise((resolve) => server!.listen(port, '127.0.0.1', () => resolve()));
}

function goDown(): Promise<void> {
  return new Promise((resolve) => {
    server!.closeAllConnections();
    server!.close(() => resolve());
    server = null;
  });
}

let env: Awaited<ReturnType<typeof decisionStack>>;
const start = Math.floor(Date.now() / 60_000) * 60_000 - 20 * 60_000;
let now = new Date(start + 5_000);
const clock = { now: () => now };

beforeAll(async () => {
  port = await freePort();
  await listen();
  env = await decisionStack();
  await new SSMClient(localClientConfig(env.stack.endpoint)).send(
    new PutParameterCommand({
      Name: '/vigia/test/probe/payments-token',
      Type: 'SecureString',
      Value: TOKEN,
    }),
  );
  env.setService(
    webService({
      dependencies: [
        {
          name: 'payments',
          url: `http://127.0.0.1:${port}/health`,
          bodyMatch: 'status: ok',
          timeoutMs: 300,
          headersFromSsm: { authorization: '/vigia/test/probe/payments-token' },
        },
      ],
    }),
  );
});

afterAll(async () => {
  if (server) await goDown();
});

async function probeAt(minute: number) {
  now = new Date(start + minute * 60_000 + 5_000);
  return probeDependencies({ ...probeDeps(env.a.config), registry: env.deps.registry, clock });
}

describe('dependency probes', () => {
  it('count consecutive failures through down, slow and wrong body, and alert without a restart', async () => {
    const up = await probeAt(0);
    expect(up.checks).toEqual([
      expect.objectContaining({ dependency: 'payments', ok: true, reason: null }),
    ]);
    expect(up.failures).toEqual({ web: 0 });

    await goDown();
    await probeAt(1);
    const down = await probeAt(2);
    await listen();
    mode = 'slow';
    const slow = await probeAt(3);
    mode = 'wrong-body';
    await probeAt(4);
    const wrong = await probeAt(5);
    // Run twice in one minute (a retried schedule): the count does not move twice.
    const again = await probeAt(5);

    expect(down.checks[0]).toMatchObject({ ok: false, reason: 'no answer: ECONNREFUSED' });
    expect(slow.checks[0]).toMatchObject({ ok: false, reason: 'no answer within 300 ms' });
    expect(wrong.checks[0]).toMatchObject({
      ok: false,
      reason: "body does not contain 'status: ok'",
    });
    expect(wrong.failures).toEqual({ web: 5 });
    expect(again.failures).toEqual({ web: 5 });

    // The next collect tick merges them into the sample, like any metric.
    const tick = await collectTick(
      { ...collectDeps(env.a.config), registry: env.deps.registry, clock },
      new Date(start + 6 * 60_000),
    );
    expect(tick.failures).toEqual([]);
    const sample = (await env.a.store.latestSample('web'))!;
    expect(sample.at).toBe(new Date(start + 5 * 60_000).toISOString());
    expect(sample.metrics).toMatchObject({ probe_failures: 5, availability: 0 });
    expect(sample.metrics.probe_latency_ms).toBeGreaterThanOrEqual(0);

    const anomaly: Anomaly = {
      id: anomalyId('web', 'probe_failures', sample.at),
      serviceId: 'web',
      metric: 'probe_failures',
      at: sample.at,
      value: 5,
      score: 0.95,
      direction: 'up',
      expected: 0,
      lower: 0,
      upper: 0,
      severity: 'critical',
      explanation: 'probe_failures 5 is far above its usual 0',
      desiredCount: 2,
    };
    const { decision } = await decideOnAnomaly(env.deps, anomaly, ruleSwitches);
    expect(decision).toMatchObject({ diagnosis: 'failing_dependency', action: 'notify' });
    expect(decision.policies).toContain('alert-probe-failures');
    expect(decision.allowedActions).not.toContain('restart');
    expect((await env.ecsService()).desiredCount).toBe(2);
  });
});
