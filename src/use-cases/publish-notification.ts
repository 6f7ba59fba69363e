// Publishes one alert notification exactly once on an at-least-once pipeline: claim a log entry
// keyed by the notification's deterministic id, publish, mark it sent. A crash after claiming
// leaves an "in-flight" entry that a later retry takes over once it is stale.
import { snsPublish, type Notification } from '../alerting';
import type { Clock, NotificationLog, Notifier, OutboundMessage } from '../ports';

export interface PublishDeps {
  clock: Clock;
  log: NotificationLog;
  notifier: Notifier;
}

const STALE_CLAIM_MS = 60_000;

export class NotificationInFlightError extends Error {
  constructor(key: string) {
    super(`notification ${key} is being sent by another invocation; will retry`);
    this.name = 'NotificationInFlightError';
  }
}

/** The notification log key: alert messages share the log with nothing else. */
export function notificationLogKey(n: Notification): string {
  return `alert~${n.id}`;
}

/** The SNS message: email gets plain text, every other protocol the webhook JSON. */
export function outboundMessage(n: Notification): OutboundMessage {
  const p = snsPublish(n);
  return { subject: p.subject, body: p.message, attributes: p.attributes, structure: 'json' };
}

export async function publishNotification(
  deps: PublishDeps,
  notification: Notification,
): Promise<'published' | 'duplicate'> {
  const key = notificationLogKey(notification);
  const now = deps.clock.now();
  const claim = await deps.log.claim(key, now, new Date(now.getTime() - STALE_CLAIM_MS));
  if (claim === 'already-sent') return 'duplicate';
  if (claim === 'in-flight') throw new NotificationInFlightError(key);
  try {
    const { messageId } = await deps.notifier.publish(outboundMessage(notification));
    await deps.log.markSent(key, messageId, deps.clock.now());
    return 'published';
  } catch (err) {
    await deps.log.release(key);
    throw err;
  }
}
