// GET /metrics beside POST /metrics on one path, and the read key sent as a bearer token, the way
// Prometheus' `authorization` scrape setting sends it.
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { apiHandler, type AuthenticatedPrincipal } from '../../../lib/http/api-pipeline';
import { openApiDocument } from '../../../lib/http/openapi';
import type { Route } from '../../../lib/http/route';
import { matchRoute } from '../../../lib/http/router';
import { apiRoutes } from '../../../lib/http/routes';

const reader: AuthenticatedPrincipal = {
  keyId: 'r',
  name: 'prometheus',
  scopes: ['read'],
  rateLimitPerMinute: null,
};
const scrapeRoute: Route = {
  method: 'GET',
  path: '/scrape',
  scope: 'read',
  handler: async (req) => ({ statusCode: 200, body: `hello ${req.principal?.name}` }),
};
const handler = apiHandler([scrapeRoute], {
  now: () => new Date('2026-11-22T10:00:00Z'),
  authenticate: async (key) => (key === 'vk_reader' ? reader : null),
  rateLimit: async () => ({ allowed: true, retryAfterSeconds: 0, remaining: 99 }),
});

async function get(headers: Record<string, string>) {
  const event = {
    rawPath: '/scrape',
    headers,
    isBase64Encoded: false,
    requestContext: { requestId: 'req-1', http: { method: 'GET' } },
  } as unknown as APIGatewayProxyEventV2;
  return (await handler(event, {} as Context)) as APIGatewayProxyStructuredResultV2 & {
    body: string;
  };
}

describe('GET /metrics', () => {
  it('is routed beside POST /metrics: a read key scrapes, pushing still needs operate', () => {
    const scrape = matchRoute(apiRoutes, 'GET', '/metrics');
    const push = matchRoute(apiRoutes, 'POST', '/metrics');

    expect(scrape).toMatchObject({ kind: 'found', route: { method: 'GET', scope: 'read' } });
    expect(push).toMatchObject({ kind: 'found', route: { method: 'POST', scope: 'operate' } });
  });

  it('is listed in the OpenAPI document beside POST /metrics, with both ways to send the key', () => {
    const doc = openApiDocument(apiRoutes) as {
      paths: Record<string, Record<string, { security?: unknown }>>;
      components: { securitySchemes: Record<string, unknown> };
    };

    expect(Object.keys(doc.paths['/metrics']!).sort()).toEqual(['get', 'post']);
    expect(doc.paths['/metrics']!.get!.security).toEqual([{ apiKey: [] }, { bearer: [] }]);
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });
});

describe('the API key as a bearer token', () => {
  it('authenticates `Authorization: Bearer <key>` like X-API-Key', async () => {
    const r = await get({ Authorization: 'Bearer vk_reader' });

    expect(r.statusCode).toBe(200);
    expect(r.body).toBe('hello prometheus');
    expect(r.headers?.['x-ratelimit-remaining']).toBe('99');
  });

  it('refuses an unknown bearer token, and another scheme as no key at all', async () => {
    const wrong = await get({ authorization: 'Bearer vk_nobody' });
    const basic = await get({ authorization: 'Basic dXNlcjpwYXNz' });

    expect(wrong.statusCode).toBe(401);
    expect(JSON.parse(wrong.body).message).toBe('the bearer token is not valid');
    expect(basic.statusCode).toBe(401);
  });
});
