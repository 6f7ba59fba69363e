// Publishes one notification exactly once on an at-least-once stream: claim a log entry, publish,
// mark it sent. A crash after claiming leaves an "in-flight" entry that a later retry takes over.
import type { Clock, NotificationLog, Notifier } from '../ports';
import {
  notificationKeyOf,
  renderNotification,
  type NotifiableEvent,
} from './notification-messages';

export interface PublishDeps {
  clock: Clock;
  log: NotificationLog;
  notifier: Notifier;
  statusPageUrl?: string;
}

const STALE_CLAIM_MS = 60_000;

export class NotificationInFlightError extends Error {
  constructor(key: string) {
    super(`notification ${key} is being sent by another invocation; will retry`);
  }
}

export async function publishNotification(
  deps: PublishDeps,
  event: NotifiableEvent,
): Promise<'published' | 'duplicate'> {
  const key = notificationKeyOf(event);
  const now = deps.clock.now();
  const claim = await deps.log.claim(key, now, new Date(now.getTime() - STALE_CLAIM_MS));
  if (claim === 'already-sent') return 'duplicate';
  if (claim === 'in-flight') throw new NotificationInFlightError(key);
  try {
    const { messageId } = await deps.notifier.publish(
      renderNotification(event, deps.statusPageUrl),
    );
    await deps.log.markSent(key, messageId, deps.clock.now());
    return 'published';
  } catch (err) {
    await deps.log.release(key);
    throw err;
  }
}
