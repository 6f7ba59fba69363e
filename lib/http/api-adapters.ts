// The api function's adapters: the shared ones (lib/adapters.ts) plus the API's own stores, built
// once per container. API settings come from the environment through a strict schema.
import { z } from 'zod';
import { parseWith } from '../../src/model';
import { appConfig, registry, store } from '../adapters';
import { dynamoClient } from '../aws/clients';
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
  const { tableName, endpoint } = config;
  const db = dynamoClient();
  return {
    config,
    store: store(),
    registry: registry(),
    api: parseApiEnv(process.env),
    apiKeys: new ApiKeyStore(db, tableName, endpoint),
    rateLimits: new RateLimitStore(db, tableName, endpoint),
    services: new ServiceStore(db, tableName, endpoint),
    history: new HistoryStore(db, tableName, endpoint),
    audit: new AuditStore(db, tableName, endpoint),
    manual: new ManualActionStore(db, tableName, endpoint),
    reviews: new DecisionReviewStore(db, tableName, endpoint),
    pushed: new PushedMetricStore(db, tableName, endpoint),
    learning: new DynamoLearningStore(db, tableName, endpoint),
  };
}

let built: ReturnType<typeof build> | undefined;
export function apiAdapters() {
  built ??= build();
  return built;
}
