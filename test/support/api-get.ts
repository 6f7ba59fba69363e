// A GET through the real API pipeline and routes, as a key holder with the given scopes would send
// it (authentication and rate limit answered in-process): what route tests read back.
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { apiHandler } from '../../lib/http/api-pipeline';
import { apiRoutes } from '../../lib/http/routes';
import type { Scope } from '../../lib/http/route';
import type { HttpResult } from '../../lib/middleware/http';

/** The parsed body, as loose as JSON.parse's: each test narrows what it reads. */
type Parsed = ReturnType<typeof JSON.parse>;

export async function apiGet(
  path: string,
  options: { now: Date; scopes?: Scope[] },
): Promise<{ status: number; headers: HttpResult['headers']; json: Parsed }> {
  const scopes = options.scopes ?? ['read'];
  const handler = apiHandler(apiRoutes, {
    now: () => options.now,
    authenticate: async () => ({ keyId: 'k1', name: 'reader', scopes, rateLimitPerMinute: null }),
    rateLimit: async () => ({ allowed: true, retryAfterSeconds: 0, remaining: 100 }),
  });
  const [rawPath, rawQueryString = ''] = path.split('?');
  const event = {
    rawPath,
    rawQueryString,
    queryStringParameters: Object.fromEntries(new URLSearchParams(rawQueryString)),
    headers: { 'x-api-key': 'k' },
    isBase64Encoded: false,
    requestContext: { requestId: 'r1', http: { method: 'GET' } },
  } as unknown as APIGatewayProxyEventV2;
  const result = (await handler(event, {} as Context)) as HttpResult;
  return {
    status: result.statusCode,
    headers: result.headers,
    json: JSON.parse(result.body) as Parsed,
  };
}
