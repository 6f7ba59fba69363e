// The api function's adapters: the shared ones (lib/adapters.ts) plus the API's own stores, built
// once per container. API settings come from the environment through a strict schema.
import { z } from 'zod';
import { parseWith } from '../../src/model';
import { appConfig, registry, store, table } from '../adapters';
import { ApiKeyStore } from '../store/api-key-store';
import { AuditStore } from '../store/audit-store';
import { ManualActionStore } from '../store/manual-action-store';
import { DecisionReviewStore } from '../store/decision-review-store';
import { HistoryStore } from '../store/history-store';
import { DynamoLearningStore } from '../store/learning-store';
import { PushedMetricStore } from '../store/pushed-metric-store';
import { RateLimitStore } from '../store/rate-limit-store';
import { ServiceStore } from '../store/service-store';

const apiEnvSchema = z.object({
  /** Requests per minute per API key, unless the key sets its own. */
  VIGIA_API_RATE_LIMIT: z.coerce.number().int().min(1).max(100_000).default(120),
});

export function parseApiEnv(env: Record<string, string | undefined>) {
  const e = parseWith(
    apiEnvSchema,
    { VIGIA_API_RATE_LIMIT: env.VIGIA_API_RATE_LIMIT || undefined },
    'environment',
  );
  return { rateLimitPerMinute: e.VIGIA_API_RATE_LIMIT };
}

function build() {
  const config = appConfig();
  const t = table();
  return {
    config,
    store: store(),
    registry: registry(),
    api: parseApiEnv(process.env),
    apiKeys: new ApiKeyStore(t),
    rateLimits: new RateLimitStore(t),
    services: new ServiceStore(t),
    history: new HistoryStore(t),
    audit: new AuditStore(t),
    manual: new ManualActionStore(t),
    reviews: new DecisionReviewStore(t),
    pushed: new PushedMetricStore(t),
    learning: new DynamoLearningStore(t),
  };
}

let built: ReturnType<typeof build> | undefined;
export function apiAdapters() {
  built ??= build();
  return built;
}
