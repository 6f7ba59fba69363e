// Subscribed to the alerts topic: posts each notification to Slack (Block Kit) and, if configured,
// to a generic JSON webhook, then to the HTTP receivers its service routes it to (Slack, Teams,
// PagerDuty, Opsgenie, webhook). A failure makes SNS retry the invocation, then the failure queue.
// First it marks the notification as seen on the topic: the echo that tells notify a Publish whose
// answer was lost did go out (lib/sns/topic-echo.ts). An echo that could not be written fails the
// invocation once the receivers are served, so Lambda's retry (a minute later, its receivers
// dropping the copy) records it before alert-timers would publish the message again (3 minutes).
import type { SNSEvent } from 'aws-lambda';
import { systemClock } from '../lib/clock';
import { config } from '../lib/config';
import { logger } from '../lib/logger';
import { scheduledHandler } from '../lib/middleware/scheduled';
import { deliverNotification, notificationOfSnsMessage } from '../lib/slack/deliver';
import { deliverRouted } from '../lib/sns/route-delivery';
import { recordEcho } from '../lib/sns/topic-echo';
import { notificationLog } from '../lib/wiring/table';
import { deliveryTargets, routedDelivery } from '../lib/wiring/slack';

export const handler = scheduledHandler(async (event: SNSEvent) => {
  const targets = deliveryTargets(config());
  const results = [];
  const unechoed: string[] = [];
  for (const record of event.Records) {
    const notification = notificationOfSnsMessage(record.Sns.Message);
    // Without the echo, a Publish whose answer was lost is published again by alert-timers 3
    // minutes later: the receivers below would drop that copy, an email subscriber cannot.
    await recordEcho(
      notificationLog(config()),
      notification,
      record.Sns.MessageId,
      systemClock.now(),
    ).catch((err: unknown) => {
      unechoed.push(notification.id);
      logger.warn('topic echo not recorded', {
        notificationId: notification.id,
        error: err as Error,
      });
    });
    const result = await deliverNotification(targets, notification, systemClock.now());
    const routed = await deliverRouted(routedDelivery(config()), notification);
    if (
      result.slack === 'not-configured' &&
      result.webhook === 'not-configured' &&
      routed.length === 0
    ) {
      logger.warn('no Slack webhook or generic webhook configured; notification dropped', {
        notificationId: notification.id,
      });
    } else {
      logger.info('delivered', { ...result, routed });
    }
    const failed = routed.filter((r) => r.status === 'failed');
    if (failed.length > 0) {
      throw new Error(`routed delivery failed: ${failed.map((r) => r.receiver).join(', ')}`);
    }
    results.push(result);
  }
  if (unechoed.length > 0) {
    throw new Error(`topic echo not recorded for ${unechoed.join(', ')}; the retry records it`);
  }
  return { delivered: results.length };
});
