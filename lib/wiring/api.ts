// The api function's adapters: the shared table stores plus the API's own (keys, rate limits,
// services, history, audit, manual actions and the ECS state they start from, decision review,
// pushed metrics, learning, alerting).
import { ecsClient } from '../aws/ecs-client';
import type { AppConfig } from '../config';
import { DynamoEscalationStore } from '../sns/escalation-store';
import { EcsSource } from '../sources/ecs-source';
import { ApiKeyStore } from '../store/api-key-store';
import { AuditStore } from '../store/audit-store';
import { DynamoDailyReportStore } from '../store/daily-report-store';
import { DecisionReviewStore } from '../store/decision-review-store';
import { HistoryStore } from '../store/history-store';
import { ManualActionStore } from '../store/manual-action-store';
import { PushedMetricStore } from '../store/pushed-metric-store';
import { RateLimitStore } from '../store/rate-limit-store';
import { ServiceStore } from '../store/service-store';
import { SingleTableStore } from '../store/single-table-store';
import { StatusHistoryStore } from '../store/status-history-store';
import { alertingStore } from './alerting';
import { learningStore } from './decisions';
import { perConfig } from './per-config';
import { modelStore, serviceRegistry, table } from './table';

export const apiAdapters = perConfig((config: AppConfig) => {
  const t = table(config);
  return {
    config,
    table: t,
    store: new SingleTableStore(t),
    registry: serviceRegistry(config),
    /** The detector models collect saves (read by the baseline route). */
    models: modelStore(config),
    /** ECS's desired count now, where a manual scale starts from. */
    ecs: new EcsSource(ecsClient(config), config.endpoint),
    apiKeys: new ApiKeyStore(t),
    rateLimits: new RateLimitStore(t),
    services: new ServiceStore(t),
    history: new HistoryStore(t),
    audit: new AuditStore(t),
    manual: new ManualActionStore(t),
    reviews: new DecisionReviewStore(t),
    pushed: new PushedMetricStore(t),
    learning: learningStore(config),
    alerting: alertingStore(config),
    statusHistory: new StatusHistoryStore(t),
    /** Escalation pages per incident: the status page shows who was paged. */
    escalations: new DynamoEscalationStore(t),
    dailyReports: new DynamoDailyReportStore(t),
  };
});

export type ApiAdapters = ReturnType<typeof apiAdapters>;
