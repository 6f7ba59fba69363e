// An UpdateService that ECS applied but whose answer was lost on the way back (issue 11, found by
// bench:soak): the SDK used to send it again, so a restart would start a second deployment. The
// scaler now sends a change once, holds the decision, and the sweep's takeover finds it applied.
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { executeDeps } from '../../lib/wiring/decisions';
import { decideOnAnomaly } from '../../src/use-cases/decide-on-anomaly';
import { executeDecision } from '../../src/use-cases/execute-decision';
import { sweepUnfinishedDecisions } from '../../src/use-cases/sweep-decisions';
import { at, decisionStack, ruleSwitches } from './decision-fixtures';

let env: Awaited<ReturnType<typeof decisionStack>>;
let proxy: Server;
const clockAt = (minute: number) => ({ now: () => new Date(Date.parse(at(minute))) });

/** Forwards every call to the emulator; the first `cuts` UpdateService answers are dropped. */
async function lossyProxy(target: string, cuts: number) {
  const seen = { updateService: 0 };
  let left = cuts;
  proxy = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const isUpdate = String(req.headers['x-amz-target'] ?? '').endsWith('.UpdateService');
      if (isUpdate) seen.updateService += 1;
      const url = new URL(req.url ?? '/', target);
      const upstream = request(url, { method: req.method, headers: req.headers }, (answer) => {
        const body: Buffer[] = [];
        answer.on('data', (c: Buffer) => body.push(c));
        answer.on('end', () => {
          if (isUpdate && left-- > 0) return req.socket.destroy(); // applied, answer lost
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          res.end(Buffer.concat(body));
        });
      });
      upstream.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, seen };
}

beforeEach(async () => {
  env = await decisionStack();
});
afterEach(() => new Promise<void>((r) => (proxy ? proxy.close(() => r()) : r())));

describe('a change whose answer was lost', () => {
  it('reaches ECS once: the decision is held, then the sweep records it as applied without resending', async () => {
    const anomaly = await env.anomaly(0, 'cpu', { cpu: 93, memory: 50 });
    const { decision } = await decideOnAnomaly(
      { ...env.deps, clock: clockAt(0) },
      anomaly,
      ruleSwitches,
    );
    const { url, seen } = await lossyProxy(env.a.config.endpoint!, 1);
    const scaler = executeDeps({ ...env.a.config, endpoint: url }).scaler;
    const deps = { ...env.deps, scaler };

    const outcome = await executeDecision({ ...deps, clock: clockAt(1) }, decision, ruleSwitches);

    expect(outcome).toBe('held');
    expect(seen.updateService).toBe(1);
    expect((await env.ecsService()).desiredCount).toBe(4);
    expect((await env.a.store.getDecision('web', decision.id))?.status).toBe('executing');

    const swept = await sweepUnfinishedDecisions({ ...deps, clock: clockAt(4) }, ruleSwitches);

    expect(swept.finished).toEqual([{ decisionId: decision.id, outcome: 'executed' }]);
    expect(seen.updateService).toBe(1);
    expect(await env.a.store.getDecision('web', decision.id)).toMatchObject({
      status: 'executed',
      result: expect.stringMatching(/already on ECS after an interrupted attempt/),
    });
  });
});
