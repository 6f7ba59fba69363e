// Generated requests the API must refuse, across every route of lib/http/routes: malformed bodies,
// path parameters, query strings (limits, ranges, cursors), headers (media type, API key,
// Idempotency-Key), numbers at the edges, deep nesting and oversized bodies. Shared by the e2e
// property (test/e2e/api-fuzz.test.ts, through serverless offline) and the benchmark (bench/fuzz.ts,
// the api handler in-process), so both send the same requests for the same seed.
import fc from 'fast-check';
import { encodeCursor } from '../../lib/store/page-cursor';

/** Which key a request carries: one of the fixture's keys, none, a mangled admin key, or a literal. */
export type KeyChoice =
  'admin' | 'reader' | 'none' | 'truncated' | 'extended' | { literal: string };

export interface FuzzRequest {
  method: string;
  /** Already percent-encoded. */
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** Sent as JSON with content-type application/json (unless headers say otherwise). */
  body?: unknown;
  /** Sent as is. */
  raw?: string;
  /** Defaults to the admin key. */
  key?: KeyChoice;
}

export interface WireRequest {
  method: string;
  path: string;
  queryString: string;
  query: Record<string, string> | undefined;
  headers: Record<string, string>;
  body: string | undefined;
}

/** The request as it goes on the wire, with the fixture's keys filled in. */
export function toWire(r: FuzzRequest, keys: { admin: string; reader: string }): WireRequest {
  const headers: Record<string, string> = {};
  const k = r.key ?? 'admin';
  if (k === 'admin' || k === 'reader') headers['x-api-key'] = keys[k];
  else if (k === 'truncated') headers['x-api-key'] = keys.admin.slice(0, -1);
  else if (k === 'extended') headers['x-api-key'] = `${keys.admin}x`;
  else if (k !== 'none') headers['x-api-key'] = k.literal;
  let body = r.raw;
  if (r.body !== undefined) {
    body = JSON.stringify(r.body);
    headers['content-type'] = 'application/json';
  }
  Object.assign(headers, r.headers);
  const queryString = r.query ? new URLSearchParams(r.query).toString() : '';
  return { method: r.method, path: r.path, queryString, query: r.query, headers, body };
}

/** One line naming the request, for failure messages and the benchmark's report. */
export function describeRequest(w: WireRequest): string {
  const url = w.queryString ? `${w.path}?${w.queryString}` : w.path;
  const body =
    w.body && w.body.length > 300 ? `${w.body.slice(0, 300)}… (${w.body.length} B)` : w.body;
  const headers = { ...w.headers, 'x-api-key': w.headers['x-api-key'] ? '<set>' : undefined };
  return `${w.method} ${url.slice(0, 400)} headers=${JSON.stringify(headers)} body=${body ?? ''}`;
}

const enc = encodeURIComponent;
const modes = ['auto', 'approve', 'dry-run', 'off'];

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
  fc.constantFrom('UPPER', 'has space', '-lead', 'x'.repeat(70), 'a_b', 'é', '..', 'a%2Fb'),
  fc.stringMatching(/^[A-Z_!.]{1,10}$/),
);

/** Number tokens at the edges, as JSON text: none is a valid count, duration or storable value. */
const edgeNumber = fc.constantFrom(
  '9007199254740993',
  '-9007199254740993',
  '1e-131',
  '-1e-131',
  '1e308',
  '-1e308',
  '1e400',
  '"NaN"',
  '"Infinity"',
  '"-0"',
  '"9007199254740993"',
  '"1e3"',
);
/** Edge tokens that are also never a whole number between 0 and 12 (desiredCount, minTasks). */
const edgeCount = fc.oneof(
  edgeNumber,
  fc.constantFrom('123456789012345678901234567890', '-9007199254740992', '9007199254740992', '0.5'),
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

/** The body text of `valid` with `field` set to a raw JSON token (numbers JSON.stringify cannot say). */
function withToken(valid: Record<string, unknown>, field: string, token: string): string {
  const text = JSON.stringify({ ...valid, [field]: '__TOKEN__' });
  return text.replace('"__TOKEN__"', token);
}

const serviceBody = oneFieldBroken(validService, {
  id: badServiceId,
  name: fc.constantFrom('', 42, null),
  ecs: fc.constantFrom(null, {}, { cluster: 'c' }, 'ecs'),
  minTasks: fc.constantFrom(-1, 1.5, '1', 99),
  maxTasks: fc.constantFrom(0, 'ten', null),
  mode: fc.string({ maxLength: 8 }).filter((m) => !modes.includes(m)),
});
const metricsBody = oneFieldBroken(
  { serviceId: 'web', metrics: { queue_depth: 1 } },
  {
    serviceId: badServiceId,
    metrics: fc.constantFrom({}, { 'Bad Name': 1 }, { ok: 'high' }, { ok: null }, [1]),
    at: fc.constantFrom('yesterday', '2020-01-01T00:00:00Z', '2999-01-01T00:00:00Z', 5, -0),
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
    fc.string({ maxLength: 10 }).filter((m) => !modes.includes(m)),
    fc.integer(),
  ),
});
const validSilence = {
  matchers: [{ label: 'service', value: 'web' }],
  durationMinutes: 60,
  createdBy: 'fuzz',
};
const silenceBody = oneFieldBroken(validSilence, {
  matchers: fc.constantFrom(
    [],
    [{ label: 'colour', value: 'x' }],
    [{ label: 'service', op: '=~', value: '(' }],
    [{ label: 'service', op: '~', value: 'web' }],
    Array.from({ length: 11 }, () => ({ label: 'service', value: 'web' })),
  ),
  durationMinutes: fc.constantFrom(0, -5, 43_201, 1.5, '60', null),
  endsAt: fc.constantFrom('2999-01-01T00:00:00Z', 'tomorrow'),
  createdBy: fc.constantFrom('', 'x'.repeat(101), 7),
  comment: fc.constantFrom('c'.repeat(501), 1),
});

/** Well-formed on the surface but not a cursor of the listing it is sent to. */
const badCursor = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9_-]{1,80}$/),
  fc
    .constantFrom('{}', '[]', 'null', '%%%', '====')
    .map((s) => Buffer.from(s).toString('base64url')),
  fc.constantFrom(
    encodeCursor({ pk: 'SVC#web', sk: 'ANOMALY#2026-01-01T00:00:00.000Z' }, 'AAAAAAAAAAAAAAAA'),
    encodeCursor({ pk: 'DECISION', sk: 'x' }, 'not-this-listing'),
  ),
  fc
    .constantFrom(encodeCursor({ pk: 'SVC#web', sk: 'DECISION#x' }, 'fingerprint00000'))
    .chain((c) => fc.integer({ min: 1, max: c.length - 1 }).map((n) => c.slice(0, n))),
  fc.constantFrom(
    Buffer.from('{"k":{},"f":""}').toString('base64url'),
    Buffer.from('{"k":{"pk":1},"f":"x"}').toString('base64url'),
    Buffer.from('{"k":[],"f":null,"extra":true}').toString('base64url'),
  ),
  fc.integer({ min: 2001, max: 6000 }).map((n) => 'A'.repeat(n)),
);
const badLimit = fc.constantFrom(
  '0',
  '-1',
  '1e9',
  'abc',
  '1.5',
  '-0',
  'Infinity',
  'NaN',
  '201',
  '',
);
const badInstant = fc.constantFrom('yesterday', '2026-13-01T00:00:00Z', '2026-01-01', '1700000000');

/** A listing query with at least one field refused (limit, range, cursor, service, unknown key). */
function badListingQuery(strict: boolean) {
  const broken: fc.Arbitrary<Record<string, string>>[] = [
    badLimit.map((limit) => ({ limit })),
    badInstant.map((from) => ({ from })),
    badInstant.map((to) => ({ to })),
    fc.constant({ from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' }),
    badCursor.map((cursor) => ({ cursor })),
    badServiceId.map((service) => ({ service })),
  ];
  if (strict)
    broken.push(
      fc.constantFrom<Record<string, string>>(
        { sort: 'asc' },
        { page: '2' },
        { q: 'x'.repeat(3000) },
      ),
    );
  return fc
    .oneof(...broken)
    .chain((bad) =>
      fc
        .record(
          { limit: fc.constantFrom('1', '50', '200'), service: fc.constant('web') },
          { requiredKeys: [] },
        )
        .map((ok) => ({ ...ok, ...bad })),
    );
}

const listings = ['/anomalies', '/decisions', '/audit', '/services/web/metrics'];

const attemptsOnBodies = [
  serviceBody.map((body) => ({ method: 'POST', path: '/services', body })),
  serviceBody
    .map((body) => ({ method: 'PUT', path: '/services/api', body: { ...body, id: 'api' } }))
    .filter((a) => JSON.stringify(a.body) !== JSON.stringify({ ...validService, id: 'api' })),
  metricsBody.map((body) => ({ method: 'POST', path: '/metrics', body })),
  actionBody.map((body) => ({ method: 'POST', path: '/services/web/actions', body })),
  modeBody.map((body) => ({ method: 'PUT', path: '/services/web/mode', body })),
  silenceBody.map((body) => ({ method: 'POST', path: '/silences', body })),
  fc
    .constantFrom('/services', '/metrics', '/services/web/actions', '/silences')
    .chain((path) => notAnObject.map((body) => ({ method: 'POST', path, body }))),
];

const attemptsAtTheEdges = [
  // Numbers at the edges, as raw JSON text.
  edgeNumber.map((t) => ({
    method: 'POST',
    path: '/metrics',
    raw: withToken({ serviceId: 'web', metrics: { queue_depth: 1 } }, 'metrics', `{"edge":${t}}`),
  })),
  edgeCount.map((t) => ({
    method: 'POST',
    path: '/services/web/actions',
    raw: withToken({ type: 'scale' }, 'desiredCount', t),
  })),
  edgeCount.map((t) => ({
    method: 'POST',
    path: '/services',
    raw: withToken(validService, 'minTasks', t),
  })),
  fc.oneof(edgeNumber, fc.constant('-0')).map((t) => ({
    method: 'POST',
    path: '/silences',
    raw: withToken(validSilence, 'durationMinutes', t),
  })),
  // Deep nesting, and bodies over the 64 KiB limit.
  fc.integer({ min: 50, max: 2000 }).map((depth) => ({
    method: 'POST',
    path: '/services/web/actions',
    raw: `{"type":"restart","extra":${'['.repeat(depth)}${']'.repeat(depth)}}`,
  })),
  fc.integer({ min: 20, max: 1000 }).map((depth) => ({
    method: 'POST',
    path: '/metrics',
    raw: `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`,
  })),
  fc.integer({ min: 64 * 1024 + 1, max: 200 * 1024 }).map((size) => ({
    method: 'POST',
    path: '/services',
    raw: JSON.stringify({ ...validService, name: 'n'.repeat(size) }),
  })),
].map((a) => a.map((r) => ({ ...r, headers: { 'content-type': 'application/json' } })));

const attemptsOnPathsAndQueries = [
  fc
    .constantFrom('approve', 'reject')
    .chain((verb) =>
      fc
        .oneof(
          fc.constantFrom('nope', 'web~x~decision', 'WEB~1~decision'),
          fc.stringMatching(/^[a-z~0-9]{1,20}$/),
        )
        .map((id) => ({ method: 'POST', path: `/decisions/${enc(id)}/${verb}` })),
    ),
  badServiceId.map((id) => ({
    method: 'PUT',
    path: `/services/${enc(id)}/mode`,
    body: { mode: 'off' },
  })),
  badServiceId.map((id) => ({ method: 'DELETE', path: `/services/${enc(id)}` })),
  badServiceId.map((id) => ({ method: 'GET', path: `/services/${enc(id)}` })),
  badServiceId.map((id) => ({ method: 'GET', path: `/services/${enc(id)}/metrics` })),
  badServiceId.map((id) => ({
    method: 'POST',
    path: `/services/${enc(id)}/actions`,
    body: { type: 'restart' },
  })),
  badServiceId.map((id) => ({ method: 'GET', path: `/services/${enc(id)}/forecast` })),
  badServiceId.map((id) => ({
    method: 'GET',
    path: `/services/${enc(id)}/metrics/cpu/baseline`,
  })),
  // A metric the service has no model for, or a name past its limit.
  fc
    .oneof(
      fc.stringMatching(/^[a-z_]{1,20}$/).map((m) => `nope_${m}`),
      fc.constant('m'.repeat(201)),
    )
    .map((metric) => ({ method: 'GET', path: `/services/web/metrics/${enc(metric)}/baseline` })),
  // Forecast hours outside 1–24, not whole, not numbers, or an unknown key.
  fc
    .oneof(
      fc
        .tuple(
          fc.constantFrom('hours', 'pastHours'),
          fc.constantFrom('0', '25', '1.5', '-1', 'x', '1e3'),
        )
        .map(([key, value]) => ({ [key]: value })),
      fc.constant({ days: '1' }),
    )
    .map((query) => ({ method: 'GET', path: '/services/web/forecast', query })),
  badLimit.map((limit) => ({ method: 'GET', path: '/reports/daily', query: { limit } })),
  // Unknown silences and incidents: nothing to end or acknowledge.
  fc
    .stringMatching(/^[a-z0-9-]{1,40}$/)
    .map((id) => ({ method: 'DELETE', path: `/silences/${id}` })),
  fc.stringMatching(/^[a-z0-9~:-]{1,40}$/).map((id) => ({
    method: 'POST',
    path: `/incidents/${enc(id)}/ack`,
    body: { comment: 'fuzz' },
  })),
  fc.constantFrom({ by: '' }, { comment: 1 }, { at: 'now' }, []).map((body) => ({
    method: 'POST',
    path: '/incidents/web~1/ack',
    body,
  })),
  // Listings with a refused query.
  fc
    .constantFrom(...listings)
    .chain((path) => badListingQuery(true).map((query) => ({ method: 'GET', path, query }))),
  badListingQuery(false).map((query) => ({
    method: 'GET',
    path: '/incidents',
    query: { ...query, status: 'open' },
  })),
  fc
    .oneof(
      badInstant.map((from) => ({ from })),
      fc.constant({ limit: '10' }),
    )
    .map((query) => ({ method: 'GET', path: '/report', query })),
  fc.constantFrom('now', 'all', '', 'ACTIVE').map((status) => ({
    method: 'GET',
    path: '/silences',
    query: { status },
  })),
  // Routes that are not there, or not for this method.
  fc
    .constantFrom(
      ['POST', '/health'],
      ['DELETE', '/status'],
      ['PUT', '/openapi.json'],
      ['PATCH', '/services'],
      ['DELETE', '/metrics'],
      ['GET', '/nope'],
      ['GET', '/services/web/actions'],
      ['POST', '/'],
    )
    .map(([method, path]) => ({ method: method!, path: path! })),
];

const publicPaths = ['/health', '/status', '/', '/openapi.json'];
const protectedGets = [
  '/services',
  '/services/web',
  '/anomalies',
  '/decisions',
  '/report',
  '/silences',
  '/services/web/forecast',
  '/services/web/metrics/cpu/baseline',
  '/reports/daily',
];

const attemptsOnHeaders = [
  fc
    .constantFrom(
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/xml',
      'application/jsonx',
    )
    .map((type) => ({
      method: 'POST',
      path: '/services/web/actions',
      raw: JSON.stringify({ type: 'restart' }),
      headers: { 'content-type': type },
    })),
  fc
    .oneof(
      fc.constantFrom('a b', 'x'.repeat(101), '{}', 'a/b'),
      fc.stringMatching(/^[!-~]{1,10}[/#?@!$&]$/),
    )
    .filter((k) => /^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/.test(k))
    .map((k) => ({
      method: 'POST',
      path: '/services/web/actions',
      body: { type: 'restart' },
      headers: { 'idempotency-key': k },
    })),
  // A wrong API key is refused even on public routes; no key is refused on the others.
  fc
    .tuple(
      fc.constantFrom(...publicPaths, ...protectedGets),
      fc.oneof(
        fc.constantFrom<KeyChoice>('truncated', 'extended'),
        fc.stringMatching(/^[!-~]{1,60}$/).map((s): KeyChoice => ({ literal: `vk_${s}` })),
        fc.constantFrom<KeyChoice>({ literal: 'Bearer abc' }, { literal: 'x'.repeat(2000) }),
      ),
    )
    .map(([path, key]) => ({ method: 'GET', path, key })),
  fc.constantFrom(...protectedGets).map((path) => ({ method: 'GET', path, key: 'none' as const })),
  fc.stringMatching(/^[!-~]{0,60}$/).map((key) => ({
    method: 'POST',
    path: '/services/web/actions',
    body: { type: 'restart' },
    key: { literal: `vk_${key}` },
  })),
  fc.constantFrom('/services/web/actions', '/services', '/silences').map((path) => ({
    method: 'POST',
    path,
    body: { type: 'restart' },
    key: 'reader' as const,
  })),
  fc.string({ maxLength: 30 }).map((raw) => ({
    method: 'POST',
    path: '/services',
    raw: `{${raw}`,
    headers: { 'content-type': 'application/json' },
  })),
];

/** Every request here must be refused with a 4xx, and a 400 must name its issues. */
export const refusedRequest: fc.Arbitrary<FuzzRequest> = fc.oneof(
  ...attemptsOnBodies,
  ...attemptsAtTheEdges,
  ...attemptsOnPathsAndQueries,
  ...attemptsOnHeaders,
) as fc.Arbitrary<FuzzRequest>;
