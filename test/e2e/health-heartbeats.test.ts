// /health cannot lie (issue 16): through the real serverless offline and its stream poller, a decide
// consumer that throws on a record turns the decision engine DEGRADED at GET /health, with the
// function and its error named, within two minutes; before it, the same report was OK. The stack's
// tracer and metrics (lib/telemetry) leave no X-Ray or EMF complaint in serverless offline's output.
import { SingleTableStore } from '../../lib/store/single-table-store';
import { anAnomaly } from '../support/builders';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOfflineStack } from '../support/offline-fixture';
import { apiKit } from './api-support';

let ctx: Awaited<ReturnType<typeof startOfflineStack>>;
let kit: ReturnType<typeof apiKit>;
let read: string;

beforeAll(async () => {
  ctx = await startOfflineStack();
  kit = apiKit(ctx.stack.endpoint, ctx.stack.tableName, ctx.offline.httpUrl);
  read = await kit.key('reader', ['read']);
});

afterAll(async () => {
  await ctx?.offline.stop();
});

type Report = {
  status: string;
  systems: Record<string, { status: string; reason?: string; functions?: Record<string, any> }>; // eslint-disable-line @typescript-eslint/no-explicit-any
};

describe('GET /health and a failing consumer', () => {
  it('turns the decision engine DEGRADED within two minutes of decide throwing', async () => {
    const before = (await kit.call('GET', '/health', { key: read })).json as Report;
    expect(before.systems.decisionEngine!.status).toBe('OK');

    // An anomaly of a service nobody registered: decide throws on it (service not found).
    const anomaly = anAnomaly({ serviceId: 'ghost', at: new Date().toISOString() });
    await new SingleTableStore(kit.table).putAnomaly(anomaly, new Date());
    const thrownAt = Date.now();

    let report: Report | undefined;
    while (Date.now() - thrownAt < 120_000) {
      report = (await kit.call('GET', '/health', { key: read })).json as Report;
      if (report.systems.decisionEngine!.functions?.decide?.status === 'DEGRADED') break;
      await new Promise((r) => setTimeout(r, 1000));
    }

    expect(report!.systems.decisionEngine).toMatchObject({
      status: 'DEGRADED',
      functions: { decide: { status: 'DEGRADED', errors: expect.any(Number) } },
    });
    expect(report!.systems.decisionEngine!.reason).toMatch(/decide: .*failed.*service 'ghost'/);
    expect(report!.status).not.toBe('OK');
    const minimal = await kit.call('GET', '/health');
    expect(minimal.json.status).toBe(report!.status);
    // Tracing and metrics are on in every stack: off AWS the tracer stays quiet (no X-Ray daemon,
    // no missing segment) and an invocation that counted nothing prints no EMF warning.
    expect(ctx.offline.output()).not.toMatch(/x-?ray|segment|No application metrics/i);
  });
});
