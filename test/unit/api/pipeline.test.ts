// The request pipeline with fake auth and rate limits: routing, scopes, limits and validation
// decided before any handler runs.
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  createApiPipeline,
  hasScope,
  type AuthenticatedPrincipal,
} from '../../../lib/http/api-pipeline';
import { json } from '../../../lib/middleware/http';
import { defineRoute, type Route } from '../../../lib/http/route';
import { matchRoute } from '../../../lib/http/router';
import { apiRoutes } from '../../../lib/http/routes';
import { openApiDocument } from '../../../lib/http/openapi';

const calls: string[] = [];
const routes: Route[] = [
  { method: 'GET', path: '/open', scope: 'public', handler: async () => json(200, { ok: true }) },
  defineRoute({
    method: 'POST',
    path: '/things/{id}',
    scope: 'operate',
    request: {
      params: z.strictObject({ id: z.string().regex(/^[a-z]+$/) }),
      body: z.strictObject({ n: z.number().int() }),
    },
    async handler(req) {
      calls.push(`${req.params.id}:${req.body.n}`);
      return json(201, { id: req.params.id });
    },
  }),
];

const principals: Record<string, AuthenticatedPrincipal> = {
  reader: { keyId: 'r', name: 'reader', scopes: ['read'], rateLimitPerMinute: null },
  operator: { keyId: 'o', name: 'operator', scopes: ['operate'], rateLimitPerMinute: 1 },
};
let used = 0;
const pipeline = createApiPipeline(routes, {
  now: () => new Date('2026-01-31T12:00:30Z'),
  authenticate: async (key) => principals[key] ?? null,
  rateLimit: async (p) => {
    used += 1;
    const allowed = p.rateLimitPerMinute === null || used <= 100;
    return { allowed, retryAfterSeconds: 30, remaining: 5 };
  },
});

function event(
  method: string,
  path: string,
  o: { key?: string; body?: string; type?: string } = {},
) {
  const headers: Record<string, string> = {};
  if (o.key) headers['X-API-Key'] = o.key;
  if (o.type) headers['Content-Type'] = o.type;
  return {
    rawPath: path,
    headers,
    body: o.body,
    isBase64Encoded: false,
    requestContext: { requestId: 'req-1', http: { method } },
  } as unknown as APIGatewayProxyEventV2;
}

describe('api pipeline', () => {
  it('serves public routes without a key and refuses protected ones without one', async () => {
    expect((await pipeline(event('GET', '/open'))).statusCode).toBe(200);
    const r = await pipeline(
      event('POST', '/things/abc', { body: '{"n":1}', type: 'application/json' }),
    );
    expect(r.statusCode).toBe(401);
  });

  it('orders scopes read < operate < admin', () => {
    const p = (scopes: ('read' | 'operate' | 'admin')[]) => ({ keyId: 'k', name: 'k', scopes });
    expect(hasScope(p(['admin']), 'operate')).toBe(true);
    expect(hasScope(p(['read']), 'operate')).toBe(false);
    expect(hasScope(null, 'public')).toBe(true);
  });

  it('answers 401 for an unknown key, 403 for a small scope, 404 and 405 for routing', async () => {
    expect((await pipeline(event('GET', '/open', { key: 'nobody' }))).statusCode).toBe(401);
    const forbidden = await pipeline(
      event('POST', '/things/abc', { key: 'reader', body: '{"n":1}', type: 'application/json' }),
    );
    expect(forbidden.statusCode).toBe(403);
    expect((await pipeline(event('GET', '/missing'))).statusCode).toBe(404);
    const wrong = await pipeline(event('DELETE', '/open'));
    expect(wrong.statusCode).toBe(405);
    expect(wrong.headers?.allow).toBe('GET');
  });

  it('names every bad field across params and body, and never calls the handler', async () => {
    calls.length = 0;
    const r = await pipeline(
      event('POST', '/things/ABC', {
        key: 'operator',
        body: '{"n":1.5,"x":1}',
        type: 'application/json',
      }),
    );
    expect(r.statusCode).toBe(400);
    const paths = JSON.parse(r.body).issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['params.id', 'body.n', 'body']));
    expect(calls).toEqual([]);
  });

  it('answers 415 for a non-JSON body and 413 for a huge one', async () => {
    expect(
      (
        await pipeline(
          event('POST', '/things/abc', { key: 'operator', body: 'n=1', type: 'text/plain' }),
        )
      ).statusCode,
    ).toBe(415);
    const huge = JSON.stringify({ n: 1, pad: 'x'.repeat(70_000) });
    expect(
      (
        await pipeline(
          event('POST', '/things/abc', { key: 'operator', body: huge, type: 'application/json' }),
        )
      ).statusCode,
    ).toBe(413);
  });

  it('runs the handler with parsed input when everything is right', async () => {
    calls.length = 0;
    const r = await pipeline(
      event('POST', '/things/abc/', {
        key: 'operator',
        body: '{"n":3}',
        type: 'application/json; charset=utf-8',
      }),
    );
    expect(r.statusCode).toBe(201);
    expect(r.headers?.['x-request-id']).toBe('req-1');
    expect(calls).toEqual(['abc:3']);
  });

  it('answers 429 with Retry-After when the key is over its limit', async () => {
    used = 1000;
    const r = await pipeline(
      event('POST', '/things/abc', { key: 'operator', body: '{"n":3}', type: 'application/json' }),
    );
    expect(r.statusCode).toBe(429);
    expect(r.headers?.['retry-after']).toBe('30');
    used = 0;
  });
});

describe('the real route table', () => {
  it('matches a literal path before a parameter and has no duplicate routes', () => {
    const keys = apiRoutes.map((r) => `${r.method} ${r.path}`);
    expect(new Set(keys).size).toBe(keys.length);
    const m = matchRoute(apiRoutes, 'PUT', '/services/web/mode');
    expect(m.kind === 'found' && m.route.path).toBe('/services/{id}/mode');
  });

  it('documents every route in the OpenAPI document, with its request schemas', () => {
    const doc = openApiDocument(apiRoutes) as {
      paths: Record<string, Record<string, { parameters: { name: string }[] }>>;
    };
    for (const r of apiRoutes) expect(doc.paths[r.path]?.[r.method.toLowerCase()]).toBeDefined();
    const params = doc.paths['/decisions']!.get!.parameters.map((p) => p.name);
    expect(params).toEqual(
      expect.arrayContaining(['service', 'status', 'from', 'to', 'limit', 'cursor']),
    );
    expect(doc.paths['/services/{id}/actions']!.post!.parameters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'idempotency-key', in: 'header', required: false }),
      ]),
    );
  });
});
