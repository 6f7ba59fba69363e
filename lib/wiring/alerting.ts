// The alert pipeline as notify and alert-timers run it: alerting state in the table, the
// notification log, and the SNS topic.
import type { AlertDeps } from '../../src/use-cases/alert-notifications';
import type { RepublishDeps } from '../../src/use-cases/republish-unconfirmed';
import { snsClient, snsPublishClient } from '../aws/sns-client';
import { systemClock } from '../clock';
import { requireTopicArn } from '../config';
import { logger } from '../logger';
import type { EscalateDeps } from '../../src/use-cases/escalate-incidents';
import { ssmClient } from '../aws/ssm-client';
import { EscalationPager } from '../sns/escalation-pager';
import { DynamoEscalationStore } from '../sns/escalation-store';
import { SnsNotifier } from '../sns/sns-notifier';
import { TopicEcho } from '../sns/topic-echo';
import { SsmSecrets } from '../aws/ssm-secrets';
import { DynamoAlertingStore } from '../store/alerting-store';
import { StatusHistoryStore } from '../store/status-history-store';
import { powertoolsTelemetry } from '../telemetry/powertools-metrics';
import { perConfig } from './per-config';
import { notificationLog, observationStore, serviceRegistry, table } from './table';

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
      notifier: new SnsNotifier(snsPublishClient(c), requireTopicArn(c), c.endpoint),
      echo: new TopicEcho(notificationLog(c)),
      unconfirmed: notificationLog(c),
      // Published: the claim stays 'sending' until the topic's echo marks it sent.
      onMarkFailed: (key, error) =>
        logger.warn('notification published but not marked sent', {
          key,
          error: error as Error,
        }),
      config: c.alerting,
      telemetry: powertoolsTelemetry,
    }) satisfies AlertDeps,
);

/** alert-timers' escalation pass: incidents from the alerting state, pages by SMS and HTTP. */
export const escalationDeps = perConfig(
  (c) =>
    ({
      clock: systemClock,
      alerting: alertingStore(c),
      registry: serviceRegistry(c),
      escalations: new DynamoEscalationStore(table(c)),
      pager: new EscalationPager(snsClient(c), {
        secrets: new SsmSecrets(ssmClient(c), c.endpoint),
      }),
      config: c.alerting,
    }) satisfies EscalateDeps,
);

/** alert-timers' republish pass: the notifications whose Publish is still unconfirmed. */
export const republishDeps = perConfig(
  (c) =>
    ({
      clock: systemClock,
      unconfirmed: notificationLog(c),
      log: notificationLog(c),
      notifier: new SnsNotifier(snsPublishClient(c), requireTopicArn(c), c.endpoint),
      onMarkFailed: (key, error) =>
        logger.warn('notification republished but not marked sent', {
          key,
          error: error as Error,
        }),
      telemetry: powertoolsTelemetry,
    }) satisfies RepublishDeps,
);
