// What every API answer tells the client beyond its body: the security headers on JSON, errors
// included, and the caller's remaining rate on every response to an authenticated request, 4xx and
// 429 included (docs/api.md), through the real middy chain.
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { apiHandler, type AuthenticatedPrincipal } from '../../../lib/http/api-pipeline';
import { defineRoute, type Route } from '../../../lib/http/route';
import { json } from '../../../lib/middleware/http';
import { NotFoundError } from '../../../src/errors';

const routes: Route[] = [
  { method: 'GET', path: '/open', scope: 'public', handler: async () => json(200, { ok: true }) },
  defineRoute({
    method: 'POST',
    path: '/things',
    scope: 'operate',
    request: { body: z.strictObject({ n: z.number().int() }) },
    handler: async () => json(201, {}),
  }),
  {
    method: 'GET',
    path: '/gone',
    scope: 'read',
    handler: async () => {
      throw new NotFoundError("thing 'x'");
    },
  },
];

const principals: Record<string, AuthenticatedPrincipal> = {
  reader: { keyId: 'r', name: 'reader', scopes: ['read'], rateLimitPerMinute: 10 },
  operator: { keyId: 'o', name: 'operator', scopes: ['operate'], rateLimitPerMinute: 10 },
};
let left = 7;
const handler = apiHandler(routes, {
  now: () => new Date('2026-01-31T12:00:30Z'),
  authenticate: async (key) => principals[key] ?? null,
  rateLimit: async () => ({ allowed: left > 0, retryAfterSeconds: 30, remaining: left }),
});

async function call(method: string, path: string, o: { key?: string; body?: string } = {}) {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (o.key) headers['X-API-Key'] = o.key;
  const e = {
    rawPath: path,
    headers,
    body: o.body,
    isBase64Encoded: false,
    requestContext: { requestId: 'req-h', http: { method } },
  } as unknown as APIGatewayProxyEventV2;
  return (await handler(e, {} as Context)) as APIGatewayProxyStructuredResultV2;
}

describe('api response headers', () => {
  it('sends nosniff and HSTS on successes and on errors', async () => {
    for (const r of [await call('GET', '/open'), await call('GET', '/nowhere')]) {
      expect(r.headers?.['x-content-type-options']).toBe('nosniff');
      expect(r.headers?.['strict-transport-security']).toMatch(/^max-age=\d{7,}/);
    }
  });

  it('tells an authenticated caller its remaining rate on 400, 403, 404 and 429 too', async () => {
    left = 7;
    const invalid = await call('POST', '/things', { key: 'operator', body: '{"n":1.5}' });
    const forbidden = await call('POST', '/things', { key: 'reader', body: '{"n":1}' });
    const missing = await call('GET', '/gone', { key: 'reader' });
    expect([invalid.statusCode, forbidden.statusCode, missing.statusCode]).toEqual([400, 403, 404]);
    for (const r of [invalid, forbidden, missing]) {
      expect(r.headers?.['x-ratelimit-remaining']).toBe('7');
    }
    left = 0;
    const limited = await call('GET', '/gone', { key: 'reader' });
    expect(limited.statusCode).toBe(429);
    expect(limited.headers?.['x-ratelimit-remaining']).toBe('0');
    expect(limited.headers?.['retry-after']).toBe('30');
    left = 7;
  });

  it('sends no rate header to an anonymous caller', async () => {
    const r = await call('GET', '/open');
    expect(r.headers?.['x-ratelimit-remaining']).toBeUndefined();
  });
});
