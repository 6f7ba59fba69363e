// The request pipeline with fake auth and rate limits, run through the real middy chain (the api
// function's handler shape): routing, scopes, limits and validation decided before any handler
// runs, and every error answered by the one HTTP middleware.
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { apiHandler, hasScope, type AuthenticatedPrincipal } from '../../../lib/http/api-pipeline';
import { ConflictError, VigiaError } from '../../../src/errors';
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
  {
    method: 'GET',
    path: '/conflict',
    scope: 'public',
    handler: async () => {
      throw new ConflictError('changed meanwhile');
    },
  },
  {
    method: 'GET',
    path: '/crash',
    scope: 'public',
    handler: async () => {
      throw new Error('secret table name vigia-prod');
    },
  },
  {
    method: 'GET',
    path: '/down',
    scope: 'public',
    handler: async () => {
      throw new VigiaError('DynamoDB table vigia-prod at http://10.0.0.1 failed', 'aws_failure', {
        kind: 'unavailable',
      });
    },
  },
];

const principals: Record<string, AuthenticatedPrincipal> = {
  reader: { keyId: 'r', name: 'reader', scopes: ['read'], rateLimitPerMinute: null },
  operator: { keyId: 'o', name: 'operator', scopes: ['operate'], rateLimitPerMinute: 1 },
};
let used = 0;
const handler = apiHandler(routes, {
  now: () => new Date('2026-01-31T12:00:30Z'),
  authenticate: async (key) => principals[key] ?? null,
  rateLimit: async (p) => {
    used += 1;
    const allowed = p.rateLimitPerMinute === null || used <= 100;
    return { allowed, retryAfterSeconds: 30, remaining: 5 };
  },
});

async function pipeline(e: APIGatewayProxyEventV2) {
  return (await handler(e, {} as Context)) as APIGatewayProxyStructuredResultV2 & { body: string };
}

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

  it('answers 400, not 500, when the body arrives as a parsed false or 0 (serverless offline)', async () => {
    for (const body of [false, 0]) {
      const e = event('POST', '/things/abc', { key: 'operator', type: 'application/json' });
      const r = await pipeline({ ...e, body } as unknown as APIGatewayProxyEventV2);
      expect(r.statusCode).toBe(400);
      expect(JSON.parse(r.body).issues.map((i: { path: string }) => i.path)).toEqual(['body']);
    }
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
    expect(r.headers?.['x-request-id']).toBe('req-1');
    expect(JSON.parse(r.body)).toMatchObject({ error: 'rate_limited' });
    used = 0;
  });

  it('answers every refusal with the error body, its headers and the request id', async () => {
    const missing = await pipeline(event('POST', '/things/abc', { body: '{"n":1}' }));
    expect(missing.statusCode).toBe(401);
    expect(missing.headers?.['www-authenticate']).toBe('ApiKey header="X-API-Key"');
    expect(JSON.parse(missing.body)).toEqual({
      error: 'unauthorized',
      message: 'a valid X-API-Key header is required',
    });
    const wrong = await pipeline(event('DELETE', '/open'));
    expect(JSON.parse(wrong.body)).toEqual({
      error: 'method_not_allowed',
      message: 'DELETE is not allowed on /open',
    });
    const nowhere = await pipeline(event('GET', '/missing'));
    expect(JSON.parse(nowhere.body)).toEqual({
      error: 'not_found',
      message: 'no route GET /missing',
    });
    for (const r of [missing, wrong, nowhere]) expect(r.headers?.['x-request-id']).toBe('req-1');
  });

  it('maps a domain conflict to 409 with its message', async () => {
    const r = await pipeline(event('GET', '/conflict'));
    expect(r.statusCode).toBe(409);
    expect(JSON.parse(r.body)).toEqual({ error: 'conflict', message: 'changed meanwhile' });
    expect(r.headers?.['x-request-id']).toBe('req-1');
  });

  it('hides server-side detail: 500 for a crash, 503 for a backing service down', async () => {
    const crash = await pipeline(event('GET', '/crash'));
    expect(crash.statusCode).toBe(500);
    expect(JSON.parse(crash.body)).toEqual({ error: 'internal', message: 'internal error' });
    expect(crash.headers?.['x-request-id']).toBe('req-1');
    const down = await pipeline(event('GET', '/down'));
    expect(down.statusCode).toBe(503);
    expect(JSON.parse(down.body)).toEqual({
      error: 'unavailable',
      message: 'a backing service is unavailable',
    });
    expect(crash.body + down.body).not.toContain('vigia-prod');
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

  it("describes the report's statistics and a service's health and forecasts", () => {
    type Doc = {
      paths: Record<string, Record<string, { responses: Record<string, { content?: unknown }> }>>;
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    };
    const doc = openApiDocument(apiRoutes) as Doc;
    const answer = (path: string) => doc.paths[path]!.get!.responses['200']!.content;

    expect(answer('/report')).toEqual({
      'application/json': { schema: { $ref: '#/components/schemas/RecoveryReport' } },
    });
    expect(Object.keys(doc.components.schemas.RecoveryReport!.properties!)).toEqual(
      expect.arrayContaining(['timeToAct', 'timeToRecover', 'byService', 'byAction', 'accuracy']),
    );
    expect(answer('/services/{id}')).toEqual({
      'application/json': { schema: { $ref: '#/components/schemas/ServiceWithOutlook' } },
    });
    expect(Object.keys(doc.components.schemas.ServiceWithOutlook!.properties!)).toEqual(
      expect.arrayContaining(['health', 'forecasts']),
    );
  });

  it("lists every route's path parameters, query and body in the OpenAPI document", () => {
    type Op = { parameters: { name: string; in: string }[]; requestBody?: unknown };
    const doc = openApiDocument(apiRoutes) as { paths: Record<string, Record<string, Op>> };
    for (const r of apiRoutes) {
      const op = doc.paths[r.path]![r.method.toLowerCase()]!;
      const names = (where: string) =>
        op.parameters.filter((p) => p.in === where).map((p) => p.name);
      const pathParams = (r.path.match(/\{(\w+)\}/g) ?? []).map((p) => p.slice(1, -1));
      expect(names('path'), `${r.method} ${r.path}`).toEqual(pathParams);
      if (pathParams.length > 0) {
        expect(r.request?.params, `${r.method} ${r.path} has a params schema`).toBeDefined();
      }
      if (r.request?.query) {
        expect(names('query').length, `${r.method} ${r.path} query`).toBeGreaterThan(0);
      }
      if (r.request?.body) expect(op.requestBody, `${r.method} ${r.path} body`).toBeDefined();
      // Routes that read a body declare it; a POST or PUT without one takes none.
      if (r.method === 'POST' || r.method === 'PUT') {
        expect(r.request?.body, `${r.method} ${r.path} body schema`).toBeDefined();
      }
    }
    const silences = doc.paths['/silences']!;
    expect(silences.get!.parameters.map((p) => p.name)).toEqual(['status']);
    expect(silences.post!.requestBody).toBeDefined();
    expect(doc.paths['/incidents']!.get!.parameters.map((p) => p.name)).toEqual(
      expect.arrayContaining(['service', 'status', 'from', 'to', 'limit', 'cursor']),
    );
  });
});
