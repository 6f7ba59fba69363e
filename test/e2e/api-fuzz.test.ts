// Property: malformed bodies, path parameters and headers sent to every write route of the real API
// (through serverless offline) are answered 4xx — never 5xx, never 2xx — and nothing is written.
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startOfflineStack } from '../support/offline-fixture';
import { apiKit } from './api-support';

let ctx: Awaited<ReturnType<typeof startOfflineStack>>;
let kit: ReturnType<typeof apiKit>;
let admin: string;
let reader: string;

beforeAll(async () => {
  ctx = await startOfflineStack();
  kit = apiKit(ctx.stack.endpoint, ctx.stack.tableName, ctx.offline.httpUrl);
  admin = await kit.key('fuzz-admin', ['admin'], 100_000);
  reader = await kit.key('fuzz-reader', ['read'], 100_000);
});

afterAll(async () => {
  await ctx?.offline.stop();
});

const validService = {
  id: 'fuzzed',
  name: 'Fuzzed',
  ecs: { cluster: 'vigia-demo', service: 'fuzzed' },
  minTasks: 1,
  maxTasks: 3,
};

/** Values that are never a valid JSON object body. */
const notAnObject = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }),
);

const badServiceId = fc.oneof(
  fc.constantFrom('UPPER', 'has space', '-lead', 'x'.repeat(70), 'a_b', 'é'),
  fc.stringMatching(/^[A-Z_!.]{1,10}$/),
);

/** A valid body with exactly one field broken (wrong type, out of range, or an unknown key). */
function oneFieldBroken(
  valid: Record<string, unknown>,
  breakers: Record<string, fc.Arbitrary<unknown>>,
) {
  return fc.oneof(
    ...Object.entries(breakers).map(([field, bad]) =>
      bad.map((value) => ({ ...valid, [field]: value })),
    ),
    fc.stringMatching(/^[a-z]{3,8}$/).map((k) => ({ ...valid, [`unknown_${k}`]: 1 })),
  );
}

type Attempt = {
  method: string;
  path: string;
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
  key?: string;
};

const serviceBody = oneFieldBroken(validService, {
  id: badServiceId,
  name: fc.constantFrom('', 42, null),
  ecs: fc.constantFrom(null, {}, { cluster: 'c' }, 'ecs'),
  minTasks: fc.constantFrom(-1, 1.5, '1', 99),
  maxTasks: fc.constantFrom(0, 'ten', null),
  mode: fc
    .string({ maxLength: 8 })
    .filter((m) => !['auto', 'approve', 'dry-run', 'off'].includes(m)),
});
const metricsBody = oneFieldBroken(
  { serviceId: 'web', metrics: { queue_depth: 1 } },
  {
    serviceId: badServiceId,
    metrics: fc.constantFrom({}, { 'Bad Name': 1 }, { ok: 'high' }, { ok: null }, [1]),
    at: fc.constantFrom('yesterday', '2020-01-01T00:00:00Z', '2999-01-01T00:00:00Z', 5),
  },
);
const actionBody = fc.oneof(
  fc.record({
    type: fc.constant('scale'),
    desiredCount: fc.oneof(
      fc.integer({ max: -1 }),
      fc.integer({ min: 13 }),
      fc.double({ min: 0.1, max: 11.9, noInteger: true }),
      fc.constant('4'),
    ),
  }),
  fc.record({
    type: fc.string({ maxLength: 10 }).filter((t) => !['scale', 'restart', 'recover'].includes(t)),
  }),
  fc.constant({ type: 'restart', extra: true }),
);
const modeBody = fc.record({
  mode: fc.oneof(
    fc.string({ maxLength: 10 }).filter((m) => !['auto', 'approve', 'dry-run', 'off'].includes(m)),
    fc.integer(),
  ),
});

const attempts: fc.Arbitrary<Attempt> = fc.oneof(
  // Malformed bodies on every write route.
  serviceBody.map((body) => ({ method: 'POST', path: '/services', body })),
  serviceBody
    .map((body) => ({ method: 'PUT', path: '/services/api', body: { ...body, id: 'api' } }))
    .filter((a) => JSON.stringify(a.body) !== JSON.stringify({ ...validService, id: 'api' })),
  metricsBody.map((body) => ({ method: 'POST', path: '/metrics', body })),
  actionBody.map((body) => ({ method: 'POST', path: '/services/web/actions', body })),
  modeBody.map((body) => ({ method: 'PUT', path: '/services/web/mode', body })),
  fc
    .constantFrom('/services', '/metrics', '/services/web/actions')
    .chain((path) => notAnObject.map((body) => ({ method: 'POST', path, body }))),
  fc.constantFrom('approve', 'reject').chain((verb) =>
    fc
      .oneof(
        fc.constantFrom('nope', 'web~x~decision', 'WEB~1~decision'),
        fc.stringMatching(/^[a-z~0-9]{1,20}$/),
      )
      .map((id) => ({
        method: 'POST',
        path: `/decisions/${encodeURIComponent(id)}/${verb}`,
      })),
  ),
  // Malformed path parameters with otherwise valid bodies.
  badServiceId.map((id) => ({
    method: 'PUT',
    path: `/services/${encodeURIComponent(id)}/mode`,
    body: { mode: 'off' },
  })),
  badServiceId.map((id) => ({ method: 'DELETE', path: `/services/${encodeURIComponent(id)}` })),
  badServiceId.map((id) => ({
    method: 'POST',
    path: `/services/${encodeURIComponent(id)}/actions`,
    body: { type: 'restart' },
  })),
  // Malformed headers: media type, API key, scope.
  fc
    .constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/xml')
    .map((type) => ({
      method: 'POST',
      path: '/services/web/actions',
      raw: JSON.stringify({ type: 'restart' }),
      headers: { 'content-type': type },
    })),
  fc.stringMatching(/^[ -~]{0,60}$/).map((key) => ({
    method: 'POST',
    path: '/services/web/actions',
    body: { type: 'restart' },
    key: `vk_${key}`,
  })),
  fc.constant({
    method: 'POST',
    path: '/services/web/actions',
    body: { type: 'restart' },
    key: 'READER',
  }),
  fc.string({ maxLength: 30 }).map((raw) => ({
    method: 'POST',
    path: '/services',
    raw: `{${raw}`,
    headers: { 'content-type': 'application/json' },
  })),
);

it('answers every malformed write with a 4xx and writes nothing', async () => {
  const before = await kit.writtenItems();
  const seen = new Map<number, number>();
  await fc.assert(
    fc.asyncProperty(attempts, async (a) => {
      const key = a.key === 'READER' ? reader : (a.key ?? admin);
      const r = await kit.call(a.method, a.path, {
        key,
        body: a.body,
        raw: a.raw,
        headers: a.headers,
      });
      seen.set(r.status, (seen.get(r.status) ?? 0) + 1);
      expect(
        r.status,
        `${a.method} ${a.path} ${JSON.stringify(a.body ?? a.raw)} → ${r.text}`,
      ).toBeGreaterThanOrEqual(400);
      expect(r.status, `${a.method} ${a.path} → ${r.text}`).toBeLessThan(500);
      if (r.status === 400) expect(r.json.issues.length).toBeGreaterThan(0);
    }),
    { numRuns: 300, seed: 20261122 },
  );
  expect(await kit.writtenItems()).toEqual(before);
  // The property reached every kind of refusal.
  for (const code of [400, 401, 403, 415]) expect(seen.get(code) ?? 0).toBeGreaterThan(0);
});
