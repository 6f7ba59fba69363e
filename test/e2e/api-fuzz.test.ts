// Property: generated requests the API must refuse (test/support/request-fuzz.ts: every route —
// malformed bodies, path parameters, query strings and cursors, headers, numbers at the edges, deep
// nesting, oversized bodies) sent to the real API through serverless offline are answered 4xx —
// never 5xx, never 2xx — a 400 names its issues, and nothing is written. bench/fuzz.ts runs the same
// generator at 10,000 requests (BENCHMARKS.md).
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startOfflineStack } from '../support/offline-fixture';
import { describeRequest, refusedRequest, toWire } from '../support/request-fuzz';
import { apiKit } from './api-support';

let ctx: Awaited<ReturnType<typeof startOfflineStack>>;
let kit: ReturnType<typeof apiKit>;
let keys: { admin: string; reader: string };

beforeAll(async () => {
  ctx = await startOfflineStack();
  kit = apiKit(ctx.stack.endpoint, ctx.stack.tableName, ctx.offline.httpUrl);
  keys = {
    admin: await kit.key('fuzz-admin', ['admin'], 100_000),
    reader: await kit.key('fuzz-reader', ['read'], 100_000),
  };
});

afterAll(async () => {
  await ctx?.offline.stop();
});

/** What only the API writes, beyond kit.writtenItems: silences and Idempotency-Key claims. */
async function apiOnlyItems(): Promise<string[]> {
  const out: string[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await kit.aws.dynamo.send(
      new ScanCommand({ TableName: ctx.stack.tableName, ExclusiveStartKey: startKey }),
    );
    for (const i of page.Items ?? []) {
      if (['silence', 'idempotency'].includes(String(i.kind))) out.push(`${i.pk}|${i.sk}`);
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return out.sort();
}

/** fetch resolves `.` and `..` path segments (even encoded), so such a request would name another route. */
const overHttp = refusedRequest.filter((r) => !/\/(\.|%2e){1,2}(\/|$)/i.test(r.path));

it('answers every request it must refuse with a 4xx and writes nothing', async () => {
  const before = [...(await kit.writtenItems()), ...(await apiOnlyItems())];
  const seen = new Map<number, number>();
  await fc.assert(
    fc.asyncProperty(overHttp, async (request) => {
      const w = toWire(request, keys);
      const url = w.queryString ? `${w.path}?${w.queryString}` : w.path;
      const r = await kit.call(w.method, url, { raw: w.body, headers: w.headers });
      seen.set(r.status, (seen.get(r.status) ?? 0) + 1);
      const what = `${describeRequest(w)} → ${r.status} ${r.text.slice(0, 300)}`;
      expect(r.status, what).toBeGreaterThanOrEqual(400);
      expect(r.status, what).toBeLessThan(500);
      if (r.status === 400) expect(r.json?.issues?.length, what).toBeGreaterThan(0);
    }),
    { numRuns: 400, seed: 20261122 },
  );
  expect([...(await kit.writtenItems()), ...(await apiOnlyItems())]).toEqual(before);
  // The property reached every kind of refusal.
  for (const code of [400, 401, 403, 404, 405, 413, 415]) {
    expect(seen.get(code) ?? 0, `status ${code}`).toBeGreaterThan(0);
  }
});
