// A request through the real API pipeline and routes, as a key holder with the given scopes would
// send it (authentication and rate limit answered in-process): what route tests send and read back.
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { apiHandler } from '../../lib/http/api-pipeline';
import { apiRoutes } from '../../lib/http/routes';
import type { Scope } from '../../lib/http/route';
import type { HttpResult } from '../../lib/middleware/http';

/** The parsed body, as loose as JSON.parse's: each test narrows what it reads. */
type Parsed = ReturnType<typeof JSON.parse>;

export interface ApiRequestOptions {
  /** The API's clock: a fixed moment, or a function for requests that move on in time. */
  now: Date | (() => Date);
  scopes?: Scope[];
  /** Sent as JSON. */
  body?: unknown;
  /** Added to the query string of `path`. */
  query?: Record<string, string>;
  requestId?: string;
  /** Request headers beside the key and content type, e.g. if-match. */
  headers?: Record<string, string>;
}

let requests = 0;

export async function apiRequest(
  method: string,
  path: string,
  options: ApiRequestOptions,
): Promise<{ status: number; headers: HttpResult['headers']; json: Parsed }> {
  const scopes = options.scopes ?? ['read'];
  const now = options.now;
  const handler = apiHandler(apiRoutes, {
    now: typeof now === 'function' ? now : () => now,
    authenticate: async () => ({ keyId: 'k1', name: 'tester', scopes, rateLimitPerMinute: null }),
    rateLimit: async () => ({ allowed: true, retryAfterSeconds: 0, remaining: 100 }),
  });
  const [rawPath, pathQuery = ''] = path.split('?');
  const query = new URLSearchParams(pathQuery);
  for (const [k, v] of Object.entries(options.query ?? {})) query.set(k, v);
  const event = {
    rawPath,
    rawQueryString: query.toString(),
    queryStringParameters: Object.fromEntries(query),
    headers: {
      'x-api-key': 'k',
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...options.headers,
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    isBase64Encoded: false,
    requestContext: { requestId: options.requestId ?? `r${++requests}`, http: { method } },
  } as unknown as APIGatewayProxyEventV2;
  const result = (await handler(event, {} as Context)) as HttpResult;
  return {
    status: result.statusCode,
    headers: result.headers,
    json: (result.body ? JSON.parse(result.body) : null) as Parsed,
  };
}

/**
 * An admin caller whose clock starts at `start` (ms) and moves on a second per request, as route
 * tests that create, act and read back in turn need.
 */
export function adminCaller(start: number) {
  let sent = 0;
  return (method: string, path: string, body?: unknown, query?: Record<string, string>) =>
    apiRequest(method, path, {
      now: () => new Date(start + ++sent * 1000),
      scopes: ['admin'],
      body,
      query,
    });
}

export async function apiGet(
  path: string,
  options: { now: Date; scopes?: Scope[] },
): Promise<{ status: number; headers: HttpResult['headers']; json: Parsed }> {
  return apiRequest('GET', path, options);
}
