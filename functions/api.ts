// The HTTP API (SPEC A1-A6): one pipeline — route, API key and scope, rate limit, zod validation —
// over every route module in lib/http/routes.
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { systemClock } from '../lib/clock';
import { apiAdapters } from '../lib/http/api-adapters';
import { createApiPipeline } from '../lib/http/api-pipeline';
import { apiRoutes } from '../lib/http/routes';
import { httpHandler } from '../lib/middleware/http';

const pipeline = createApiPipeline(apiRoutes, {
  now: () => systemClock.now(),
  async authenticate(key) {
    const record = await apiAdapters().apiKeys.authenticate(key);
    return record && { ...record };
  },
  rateLimit(principal, now) {
    const a = apiAdapters();
    return a.rateLimits.hit(
      principal.keyId,
      principal.rateLimitPerMinute ?? a.config.api.rateLimitPerMinute,
      now,
    );
  },
});

export const handler = httpHandler((event: APIGatewayProxyEventV2) => pipeline(event));
