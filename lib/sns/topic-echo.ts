// The alerts topic's echo: the slack function, subscribed to the topic without a filter, marks each
// notification it receives as sent in the notification log (`recordEcho`). A Publish whose answer
// was lost is then known to have gone out when that mark appears: `confirmed` polls the log for it
// a few seconds (SNS hands a message to a Lambda subscriber within about a second). An echo that
// comes later still marks an unconfirmed entry sent, and alert-timers then does not send it again.
import type { PublicationEcho } from '../../src/ports';
import { notificationIdOfLogKey } from '../../src/use-cases/publish-notification';
import { notificationLogKey } from '../../src/use-cases/publish-notification';
import type { Notification } from '../../src/alerting';
import type { DynamoNotificationLog } from '../store/notification-log';

/** How long a Publish without an answer waits for its echo before it is left unconfirmed. */
export const ECHO_WAIT_MS = 5_000;
const POLL_MS = 250;

export class TopicEcho implements PublicationEcho {
  constructor(
    private readonly log: Pick<DynamoNotificationLog, 'isSent'>,
    private readonly waitMs = ECHO_WAIT_MS,
    private readonly pollMs = POLL_MS,
  ) {}

  async confirmed(key: string): Promise<boolean> {
    if (notificationIdOfLogKey(key) === null) return false;
    const until = Date.now() + this.waitMs;
    for (;;) {
      if (await this.log.isSent(key)) return true;
      if (Date.now() >= until) return false;
      await new Promise((r) => setTimeout(r, this.pollMs));
    }
  }
}

/** The subscriber's half: this notification reached the topic (true when a claim was waiting). */
export function recordEcho(
  log: Pick<DynamoNotificationLog, 'markSeenOnTopic'>,
  notification: Notification,
  messageId: string,
  now: Date,
): Promise<boolean> {
  return log.markSeenOnTopic(notificationLogKey(notification), messageId, now);
}
