// The housekeeping function's adapters: the shared table stores, the status history (incidents
// and first-seen marks), the daily reports, model compaction, and the alerts topic.
import type { HousekeepingDeps } from '../../src/use-cases/housekeeping';
import { snsPublishClient } from '../aws/sns-client';
import { systemClock } from '../clock';
import { requireTopicArn, type AppConfig } from '../config';
import { SnsNotifier } from '../sns/sns-notifier';
import { TopicEcho } from '../sns/topic-echo';
import { DynamoDailyReportStore } from '../store/daily-report-store';
import { HistoryStore } from '../store/history-store';
import { DynamoModelCompaction } from '../store/model-compaction-store';
import { StatusHistoryStore } from '../store/status-history-store';
import { alertingStore } from './alerting';
import { learningStore } from './decisions';
import { perConfig } from './per-config';
import { heartbeatStore, notificationLog, serviceRegistry, table } from './table';

/** Samples are kept 14 days: a series silent for a week has stopped, its model is dead weight. */
export const STALE_MODEL_DAYS = 7;

export const housekeepingDeps = perConfig((c: AppConfig): HousekeepingDeps => {
  const t = table(c);
  const history = new StatusHistoryStore(t);
  const alerting = alertingStore(c);
  return {
    clock: systemClock,
    registry: serviceRegistry(c),
    decisions: new HistoryStore(t),
    incidents: {
      pastIncidents: (id, since) => history.pastIncidents(id, since),
      openIncidents: (id) => alerting.openIncidents(id),
      currentIncidents: async (id, now) => (await alerting.loadServiceState(id, now)).incidents,
      keepPast: (p) => history.recordPastIncident(p),
    },
    learning: learningStore(c),
    heartbeat: heartbeatStore(c),
    reports: new DynamoDailyReportStore(t),
    models: new DynamoModelCompaction(t),
    tracking: history,
    log: notificationLog(c),
    notifier: new SnsNotifier(snsPublishClient(c), requireTopicArn(c), c.endpoint),
    echo: new TopicEcho(notificationLog(c)),
    unconfirmed: notificationLog(c),
    staleModelDays: STALE_MODEL_DAYS,
  };
});
