// Publishes one alert notification exactly once on an at-least-once pipeline: claim a log entry
// keyed by the notification's deterministic id, publish, mark it sent. A crash after claiming
// leaves an "in-flight" entry that a later retry takes over once it is stale.
//
// A Publish whose answer was lost (OutcomeUnknownError: a timeout, a cut connection, a 5xx) may
// have gone out. SNS standard topics take no idempotency token, so instead of resending blindly the
// topic's echo is asked: the alerts topic's own subscriber (the slack function) marks each message
// it receives in the log. Seen there within the echo's short wait: published, done. Not seen: the
// entry becomes 'unconfirmed' with the message kept in it, and the run goes on as if published (the
// stream record succeeds, so its retry does not publish again). The minute's alert-timers
// (republish-unconfirmed.ts) publishes it again only if no echo came within a few minutes — long
// enough for the echo's own retries. The trade: an alert whose Publish really was lost arrives
// ~3 minutes late, instead of an email subscriber (which, unlike the Slack, webhook and routed
// receivers, cannot drop a copy by id) getting every such alert twice. Without the unconfirmed
// port, or if the entry cannot be written, the claim is released and the record's retry publishes
// again (a copy is better than a lost alert). A Publish SNS answered is never sent again: a failure
// to mark it sent afterwards is logged and left to the echo (`markPublished`).
import { snsPublish, type Notification } from '../alerting';
import { isOutcomeUnknown } from '../errors';
import type {
  Clock,
  NotificationLog,
  Notifier,
  OutboundMessage,
  PublicationEcho,
  UnconfirmedPublications,
} from '../ports';

export interface PublishDeps {
  clock: Clock;
  log: NotificationLog;
  notifier: Notifier;
  /** Without it, an unknown outcome is released and the record's retry publishes again. */
  echo?: PublicationEcho;
  /** Keeps a Publish with no answer and no echo for alert-timers to confirm or send again. */
  unconfirmed?: UnconfirmedPublications;
  /** A published notification the log could not mark sent: logged by the adapter, not thrown. */
  onMarkFailed?: (key: string, error: unknown) => void;
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
  let messageId: string;
  try {
    ({ messageId } = await deps.notifier.publish(message));
  } catch (err) {
    if (isOutcomeUnknown(err) && deps.echo) {
      // The echo's check failing too leaves the outcome unknown.
      const seen = await deps.echo.confirmed(key).catch(() => false);
      if (seen) return 'published';
      if (await keepUnconfirmed(deps, key, now, message)) return 'published';
    }
    await deps.log.release(key);
    throw err;
  }
  await markPublished(deps, key, messageId);
  return 'published';
}

/**
 * No answer, no echo: the run's claim becomes 'unconfirmed' for alert-timers. True when the log
 * holds it so (or the claim is no longer this run's: the echo marked it sent meanwhile, or a
 * takeover owns it); false when it could not be written, and the caller releases it instead.
 */
async function keepUnconfirmed(
  deps: PublishDeps,
  key: string,
  claimedAt: Date,
  message: OutboundMessage,
): Promise<boolean> {
  if (!deps.unconfirmed) return false;
  try {
    await deps.unconfirmed.markUnconfirmed(key, claimedAt, message, deps.clock.now(), 1);
    return true;
  } catch {
    return false;
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
export async function markPublished(
  deps: Pick<PublishDeps, 'clock' | 'onMarkFailed'> & { log: Pick<NotificationLog, 'markSent'> },
  key: string,
  messageId: string,
): Promise<void> {
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
