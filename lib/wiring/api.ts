// The api function's adapters: the shared table stores plus the API's own (keys, rate limits,
// services, history, audit, manual actions, decision review, pushed metrics, learning, alerting).
import { dynamoClient } from '../aws/dynamo-client';
import type { AppConfig } from '../config';
import { ApiKeyStore } from '../store/api-key-store';
import { AuditStore } from '../store/audit-store';
import { DecisionReviewStore } from '../store/decision-review-store';
import { HistoryStore } from '../store/history-store';
import { ManualActionStore } from '../store/manual-action-store';
import { PushedMetricStore } from '../store/pushed-metric-store';
import { RateLimitStore } from '../store/rate-limit-store';
import { ServiceStore } from '../store/service-store';
import { alertingStore } from './alerting';
import { learningStore } from './decisions';
import { perConfig } from './per-config';
import { serviceRegistry, tableStore } from './table';

export const apiAdapters = perConfig((config: AppConfig) => {
  const db = dynamoClient(config);
  const { tableName, endpoint } = config;
  return {
    config,
    store: tableStore(config),
    registry: serviceRegistry(config),
    apiKeys: new ApiKeyStore(db, tableName, endpoint),
    rateLimits: new RateLimitStore(db, tableName, endpoint),
    services: new ServiceStore(db, tableName, endpoint),
    history: new HistoryStore(db, tableName, endpoint),
    audit: new AuditStore(db, tableName, endpoint),
    manual: new ManualActionStore(db, tableName, endpoint),
    reviews: new DecisionReviewStore(db, tableName, endpoint),
    pushed: new PushedMetricStore(db, tableName, endpoint),
    learning: learningStore(config),
    alerting: alertingStore(config),
  };
});

export type ApiAdapters = ReturnType<typeof apiAdapters>;
