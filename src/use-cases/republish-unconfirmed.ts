// Every minute (alert-timers): the notifications whose Publish got no answer and no echo
// (publish-notification.ts left them 'unconfirmed') are published again, but only once the topic's
// echo has had its time — ECHO_GRACE_MS after the last attempt, which covers the slack function's
// own retries. An echo that came marks the entry sent and takes it off the list, so a message that
// did go out is not sent twice; one that did not arrives ~3 minutes late. Each republish is claimed
// conditionally (two runs cannot both send it); an answer lost again puts it back to 'unconfirmed';
// after MAX_PUBLISH_ATTEMPTS Publishes it is abandoned, logged and counted, never sent again.
import { isOutcomeUnknown } from '../errors';
import { markPublished } from './publish-notification';
import type {
  Clock,
  NotificationLog,
  Notifier,
  Telemetry,
  UnconfirmedPublications,
} from '../ports';

export interface RepublishDeps {
  clock: Clock;
  unconfirmed: UnconfirmedPublications;
  log: Pick<NotificationLog, 'markSent'>;
  notifier: Notifier;
  /** Counts NotificationsRepublished and NotificationsAbandoned (the handler logs the latter). */
  telemetry?: Telemetry;
  /** A republish answered but not marked sent: left to the echo, as publish-notification does. */
  onMarkFailed?: (key: string, error: unknown) => void;
}

export interface RepublishResult {
  republished: string[];
  /** Published again without an answer: back to 'unconfirmed'. */
  unconfirmed: string[];
  abandoned: string[];
  /** SNS refused the Publish (it did not go out): unconfirmed again, tried on a later run. */
  refused: string[];
  /** Another run claimed it first, or its echo came meanwhile. */
  skipped: string[];
}

/** How long after a Publish its echo is awaited before it is sent again. */
export const ECHO_GRACE_MS = 3 * 60_000;
/**
 * Publishes of one notification in all, the first (notify's) included: about half an hour of
 * republishing, ECHO_GRACE_MS apart, before it is given up. bench:soak (30 % of calls failed) had 3
 * alerts abandoned, never delivered, with 3 attempts.
 */
export const MAX_PUBLISH_ATTEMPTS = 10;
/** Entries handled per run: alert-timers has other work within its minute. */
const ENTRIES_PER_RUN = 20;

export async function republishUnconfirmed(deps: RepublishDeps): Promise<RepublishResult> {
  const result: RepublishResult = {
    republished: [],
    unconfirmed: [],
    refused: [],
    abandoned: [],
    skipped: [],
  };
  const now = deps.clock.now();
  const due = await deps.unconfirmed.due(new Date(now.getTime() - ECHO_GRACE_MS), ENTRIES_PER_RUN);
  for (const entry of due) {
    if (entry.attempts >= MAX_PUBLISH_ATTEMPTS) {
      if (await deps.unconfirmed.abandon(entry, now)) {
        deps.telemetry?.count('NotificationsAbandoned');
        result.abandoned.push(entry.key);
      } else result.skipped.push(entry.key);
      continue;
    }
    const claimedAt = deps.clock.now();
    if (!(await deps.unconfirmed.claimRepublish(entry, claimedAt))) {
      result.skipped.push(entry.key);
      continue;
    }
    let messageId: string;
    try {
      ({ messageId } = await deps.notifier.publish(entry.message));
    } catch (err) {
      // Lost again (or refused: then it surely did not go out): unconfirmed again, due once the
      // echo has had its time. If even this write fails the entry stays listed, 'sending' from a
      // run that never finished, which is due the same way.
      await deps.unconfirmed
        .markUnconfirmed(entry.key, claimedAt, entry.message, claimedAt, entry.attempts + 1)
        .catch(() => false);
      (isOutcomeUnknown(err) ? result.unconfirmed : result.refused).push(entry.key);
      continue;
    }
    // SNS answered: out. Marked sent (off the list); a mark that keeps failing is left to the
    // echo — until one of them lands the entry is still listed, and a later run sends it again.
    await markPublished(deps, entry.key, messageId);
    deps.telemetry?.count('NotificationsRepublished');
    result.republished.push(entry.key);
  }
  return result;
}
