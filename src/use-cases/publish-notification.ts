// Publishes one alert notification exactly once on an at-least-once pipeline: claim a log entry
// keyed by the notification's deterministic id, publish, mark it sent. A crash after claiming
// leaves an "in-flight" entry that a later retry takes over once it is stale.
//
// A Publish whose answer was lost (OutcomeUnknownError: a timeout, a cut connection, a 5xx) may
// have gone out. SNS standard topics take no idempotency token, so instead of resending blindly the
// topic's echo is asked: the alerts topic's own subscriber (the slack function) marks each message
// it receives in the log. Seen there: published, done. Not seen within the echo's wait: published
// again — a lost alert is worse than a second copy (whose Slack, webhook and routed receivers drop
// it; only an email subscription would show it twice). A Publish SNS answered is never sent again:
// a failure to mark it sent afterwards is logged and left to the echo (`markPublished`).
import { snsPublish, type Notification } from '../alerting';
import { isOutcomeUnknown } from '../errors';
import type { Clock, NotificationLog, Notifier, OutboundMessage, PublicationEcho } from '../ports';

export interface PublishDeps {
  clock: Clock;
  log: NotificationLog;
  notifier: Notifier;
  /** Without it, an unknown outcome is released and the record's retry publishes again. */
  echo?: PublicationEcho;
  /** A published notification the log could not mark sent: logged by the adapter, not thrown. */
  onMarkFailed?: (key: string, error: unknown) => void;
}

const STALE_CLAIM_MS = 60_000;
/** Publishes of one notification in one call when each got no answer and no echo came. */
const UNKNOWN_OUTCOME_ATTEMPTS = 2;

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

/** The notification id a log key names (the topic's echo marks it), or null for other keys. */
export function notificationIdOfLogKey(key: string): string | null {
  return key.startsWith('alert~') ? key.slice('alert~'.length) : null;
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
  const message = outboundMessage(notification);
  for (let attempt = 1; ; attempt++) {
    let messageId: string;
    try {
      ({ messageId } = await deps.notifier.publish(message));
    } catch (err) {
      if (isOutcomeUnknown(err) && deps.echo) {
        // The echo's check failing too leaves the outcome unknown: release, the retry resends.
        const seen = await deps.echo.confirmed(key).catch(() => false);
        if (seen) return 'published';
        if (attempt < UNKNOWN_OUTCOME_ATTEMPTS) continue;
      }
      await deps.log.release(key);
      throw err;
    }
    await markPublished(deps, key, messageId);
    return 'published';
  }
}

/** Marks after the first write failed: the SDK has already retried each one. */
const MARK_ATTEMPTS = 2;

/**
 * SNS answered: the message is out, whatever happens next. A failure to mark it sent must neither
 * release the claim nor fail the run (either way the record's retry would publish it again, an
 * email twice): the claim stays 'sending', the topic's echo marks it sent when the message reaches
 * the slack function, and the run goes on to save the incident, whose next message has a new id.
 */
async function markPublished(deps: PublishDeps, key: string, messageId: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await deps.log.markSent(key, messageId, deps.clock.now());
      return;
    } catch (err) {
      if (attempt >= MARK_ATTEMPTS) {
        deps.onMarkFailed?.(key, err);
        return;
      }
    }
  }
}
