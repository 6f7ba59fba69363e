// The HTTP API (SPEC A1-A6): one pipeline — route, API key and scope, rate limit, zod validation —
// over every route module in lib/http/routes.
import { systemClock } from '../lib/clock';
import { apiAdapters } from '../lib/http/api-adapters';
import { apiHandler } from '../lib/http/api-pipeline';
import { apiRoutes } from '../lib/http/routes';

export const handler = apiHandler(apiRoutes, {
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
  rateLimitAnonymous(sourceIp, now) {
    const a = apiAdapters();
    return a.rateLimits.hit(`ip:${sourceIp}`, a.config.api.publicRateLimitPerMinute, now);
  },
});
