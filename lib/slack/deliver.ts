// Delivers one notification from the alerts topic to Slack (Block Kit) and the generic webhook.
import {
  parseNotificationMessage,
  renderSlack,
  renderWebhook,
  validateBlockKit,
  type Notification,
} from '../../src/alerting';
import { breakerFor, countedAs } from '../breaker/breakers';
import {
  postJson,
  WebhookError,
  type PostDeps,
  type RetryPolicy,
  defaultRetryPolicy,
} from './post-json';
import { deliverOnce, type DeliveryOnce } from './deliver-once';
import type { WebhookUrlSource } from './webhook-url';

export interface DeliveryTargets {
  urls: WebhookUrlSource;
  /** Each receiver gets a notification once, whatever SNS redelivers (production always sets it). */
  once?: DeliveryOnce;
  policy?: RetryPolicy;
  post?: PostDeps;
}

export interface DeliveryResult {
  notificationId: string;
  slack: 'sent' | 'duplicate' | 'not-configured';
  webhook: 'sent' | 'duplicate' | 'not-configured';
  attempts: number;
}

export class InvalidBlockKitError extends Error {
  constructor(problems: string[]) {
    super(`rendered Slack message is not valid Block Kit: ${problems.join('; ')}`);
    this.name = 'InvalidBlockKitError';
  }
}

export async function deliverNotification(
  targets: DeliveryTargets,
  notification: Notification,
  now: Date,
): Promise<DeliveryResult> {
  const policy = targets.policy ?? defaultRetryPolicy;
  const result: DeliveryResult = {
    notificationId: notification.id,
    slack: 'not-configured',
    webhook: 'not-configured',
    attempts: 0,
  };
  const slackUrl = await targets.urls.slackUrl(now);
  if (slackUrl !== null) {
    const payload = renderSlack(notification);
    const problems = validateBlockKit(payload);
    if (problems.length > 0) throw new InvalidBlockKitError(problems);
    const sent = await deliverOnce(targets.once, `${notification.id}#slack`, () =>
      breakerFor('slack-webhook').run(
        () => postJson(slackUrl, payload, 'slack webhook', policy, targets.post),
        countedAs('slack-webhook', isWebhookFault),
      ),
    );
    result.slack = sent === 'duplicate' ? 'duplicate' : 'sent';
    if (sent !== 'duplicate') result.attempts += sent.attempts;
  }
  const webhookUrl = await targets.urls.genericUrl(now);
  if (webhookUrl !== null) {
    const sent = await deliverOnce(targets.once, `${notification.id}#webhook`, () =>
      breakerFor('generic-webhook').run(
        () =>
          postJson(
            webhookUrl,
            renderWebhook(notification),
            'generic webhook',
            policy,
            targets.post,
          ),
        isWebhookFault,
      ),
    );
    result.webhook = sent === 'duplicate' ? 'duplicate' : 'sent';
    if (sent !== 'duplicate') result.attempts += sent.attempts;
  }
  return result;
}

/**
 * A webhook that is unreachable, overloaded (429) or failing (5xx) after the retries counts towards
 * its breaker; a rejected payload (4xx) does not. An open breaker makes the invocation fail without
 * a request, so SNS retries it and then the failure queue keeps it: queued, never dropped.
 */
function isWebhookFault(err: unknown): boolean {
  if (!(err instanceof WebhookError)) return false;
  return err.status === null || err.status === 429 || err.status >= 500;
}

/** An SNS record's Message → the notification it carries (the topic's JSON for non-email). */
export function notificationOfSnsMessage(message: string): Notification {
  return parseNotificationMessage(message);
}
