// The alert pipeline as notify and alert-timers run it: alerting state in the table, the
// notification log, and the SNS topic.
import type { AlertDeps } from '../../src/use-cases/alert-notifications';
import { snsClient } from '../aws/sns-client';
import { systemClock } from '../clock';
import { requireTopicArn } from '../config';
import { SnsNotifier } from '../sns/sns-notifier';
import { DynamoAlertingStore } from '../store/alerting-store';
import { StatusHistoryStore } from '../store/status-history-store';
import { powertoolsTelemetry } from '../telemetry/powertools-metrics';
import { perConfig } from './per-config';
import { notificationLog, observationStore, table } from './table';

export const alertingStore = perConfig(
  (c) => new DynamoAlertingStore(table(c), c.alerting, new StatusHistoryStore(table(c))),
);

export const alertDeps = perConfig(
  (c) =>
    ({
      clock: systemClock,
      store: alertingStore(c),
      observations: observationStore(c),
      log: notificationLog(c),
      notifier: new SnsNotifier(snsClient(c), requireTopicArn(c), c.endpoint),
      config: c.alerting,
      telemetry: powertoolsTelemetry,
    }) satisfies AlertDeps,
);
