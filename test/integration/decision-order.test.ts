// Decisions of one service reach ECS in the order they were made (issue 11; bench:soak seed 23,
// soak-02). An UpdateService whose answer never came may still land later: before, the next
// decision of the service acted meanwhile, the held one's request landed after it, and the service
// ended at the older count while the audit said "2 → 3" for the newer one. Now the newer decision
// waits until the held one's outcome is known (the sweep's takeover reads ECS), then acts on it.
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { executeDeps } from '../../lib/wiring/decisions';
import { executeDecision } from '../../src/use-cases/execute-decision';
import { sweepUnfinishedDecisions } from '../../src/use-cases/sweep-decisions';
import { aDecision } from '../support/builders';
import { at, decisionStack, ruleSwitches } from './decision-fixtures';

let env: Awaited<ReturnType<typeof decisionStack>>;
let proxy: Server | undefined;
const clockAt = (minute: number) => ({ now: () => new Date(Date.parse(at(minute))) });

/**
 * Forwards every call to the emulator, except the first UpdateService: its connection is cut at
 * once (the caller cannot know whether it landed) and the request reaches ECS only on `land()`.
 */
async function delayingProxy(target: string) {
  const landed: number[] = [];
  let delayed: (() => Promise<void>) | null = null;
  const forward = (method: string, url: URL, headers: IncomingHttpHeaders, body: Buffer) =>
    new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>(
      (resolve, reject) => {
        const upstream = request(url, { method, headers }, (answer) => {
          const chunks: Buffer[] = [];
          answer.on('data', (c: Buffer) => chunks.push(c));
          answer.on('end', () =>
            resolve({
              status: answer.statusCode ?? 502,
              headers: answer.headers,
              body: Buffer.concat(chunks),
            }),
          );
        });
        upstream.on('error', reject);
        upstream.end(body);
      },
    );
  proxy = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const url = new URL(req.url ?? '/', target);
      const isUpdate = String(req.headers['x-amz-target'] ?? '').endsWith('.UpdateService');
      const count = isUpdate
        ? (JSON.parse(body.toString()) as { desiredCount?: number }).desiredCount
        : undefined;
      if (isUpdate && delayed === null) {
        delayed = async () => {
          await forward(req.method ?? 'POST', url, req.headers, body);
          landed.push(count!);
        };
        req.socket.destroy();
        return;
      }
      void forward(req.method ?? 'POST', url, req.headers, body).then((a) => {
        if (isUpdate) landed.push(count!);
        res.writeHead(a.status, a.headers);
        res.end(a.body);
      });
    });
  });
  await new Promise<void>((r) => proxy!.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    landed,
    land: () => delayed!(),
  };
}

beforeEach(async () => {
  env = await decisionStack();
});
afterEach(() => new Promise<void>((r) => (proxy ? proxy.close(() => r()) : r())));

describe('two decisions of one service, the first one held with its outcome unknown', () => {
  it('the later one waits for the held one, so the service ends at the later count', async () => {
    const first = aDecision({
      at: at(0),
      status: 'approved',
      requestedBy: 'api:ops',
      action: 'scale-out',
      fromCount: 2,
      toCount: 4,
    });
    const second = aDecision({
      ...aDecision({ at: at(1) }),
      id: `web~${at(1)}~manual-2~decision`,
      status: 'approved',
      requestedBy: 'api:ops',
      action: 'scale-out',
      fromCount: 2,
      toCount: 3,
    });
    await env.deps.decisions.putDecision(first, new Date(at(0)));
    await env.deps.decisions.putDecision(second, new Date(at(1)));
    const ecs = await delayingProxy(env.a.config.endpoint!);
    const deps = {
      ...env.deps,
      scaler: executeDeps({ ...env.a.config, endpoint: ecs.url }).scaler,
    };

    expect(await executeDecision({ ...deps, clock: clockAt(1) }, first, ruleSwitches)).toBe('held');
    // The second decision's record arrives while the first one's request is still on its way.
    expect(await executeDecision({ ...deps, clock: clockAt(2) }, second, ruleSwitches)).toBe(
      'waiting',
    );
    expect((await env.a.store.getDecision('web', second.id))?.status).toBe('approved');
    await ecs.land(); // the first one's UpdateService reaches ECS late

    const swept = await sweepUnfinishedDecisions({ ...deps, clock: clockAt(5) }, ruleSwitches);

    expect(swept.finished).toEqual([
      { decisionId: first.id, outcome: 'executed' },
      { decisionId: second.id, outcome: 'executed' },
    ]);
    expect(ecs.landed).toEqual([4, 3]);
    expect((await env.ecsService()).desiredCount).toBe(3);
    const audit = await env.auditTrail();
    const of = (id: string) => audit.find((a) => a.decisionId === id)!;
    expect(of(first.id).after).toMatchObject({ desiredCount: 4 });
    expect(of(second.id).before).toMatchObject({ desiredCount: 4 });
    expect(of(second.id).after).toMatchObject({ desiredCount: 3 });
  });
});
