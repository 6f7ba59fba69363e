// Soak, session 10 (seed 97): an email sent twice. A Publish whose answer was lost and whose echo
// did not come within its few seconds was published again at once; the email subscription cannot
// drop the copy. Now the entry is left 'unconfirmed' and alert-timers sends it again only when no
// echo came within a few minutes: a lost alert is late, a delivered one is never sent twice.
import { describe, expect, it } from 'vitest';
import { OutcomeUnknownError } from '../../../src/errors';
import type { Notifier, PublicationEcho } from '../../../src/ports';
import { publishNotification } from '../../../src/use-cases/publish-notification';
import {
  ECHO_GRACE_MS,
  MAX_PUBLISH_ATTEMPTS,
  republishUnconfirmed,
} from '../../../src/use-cases/republish-unconfirmed';
import { aNotification } from '../../support/builders';
import { MemoryNotificationLog } from '../../support/memory-notification-log';

const start = Date.parse('2026-03-02T10:00:00.000Z');

function testClock() {
  let t = start;
  return { now: () => new Date(t), advance: (ms: number) => (t += ms) };
}

/** SNS as the notifier sees it: each Publish answered or not ('lost': out, answer cut). */
function topic(answers: ('ok' | 'lost' | 'never-sent')[]) {
  const received: string[] = [];
  let calls = 0;
  const notifier: Notifier = {
    async publish(message) {
      const answer = answers[calls++] ?? 'ok';
      if (answer !== 'never-sent') received.push(message.subject);
      if (answer !== 'ok')
        throw new OutcomeUnknownError('SNS Publish: no answer', new Error('ECONNRESET'));
      return { messageId: `m-${calls}` };
    },
  };
  return { notifier, received, calls: () => calls };
}

/** No echo within the publisher's short wait. */
const slowEcho: PublicationEcho = { confirmed: async () => false };

const notification = aNotification({ id: 'inc~web~2026-03-02T10:00:00.000Z~7' });
const key = 'alert~inc~web~2026-03-02T10:00:00.000Z~7';

describe('a Publish whose answer was lost and whose echo did not come in time', () => {
  it('is not published again by the run nor by the retries of its stream record', async () => {
    // Prepare
    const clock = testClock();
    const log = new MemoryNotificationLog();
    const sns = topic(['lost']);
    const deps = { clock, log, notifier: sns.notifier, echo: slowEcho, unconfirmed: log };
    // Act: the record is delivered three times
    const outcomes = [];
    for (let i = 0; i < 3; i++) outcomes.push(await publishNotification(deps, notification));
    // Assess
    expect(sns.calls()).toBe(1);
    expect(outcomes).toEqual(['published', 'duplicate', 'duplicate']);
    expect(log.entries.get(key)).toMatchObject({ state: 'unconfirmed', attempts: 1, listed: true });
  });

  it('is not sent again by alert-timers when its echo came late', async () => {
    const clock = testClock();
    const log = new MemoryNotificationLog();
    const sns = topic(['lost']);
    await publishNotification(
      { clock, log, notifier: sns.notifier, echo: slowEcho, unconfirmed: log },
      notification,
    );
    // The slack function got the message after the publisher stopped waiting.
    clock.advance(20_000);
    log.echo(key);
    clock.advance(ECHO_GRACE_MS);

    const result = await republishUnconfirmed({
      clock,
      unconfirmed: log,
      log,
      notifier: sns.notifier,
    });

    expect(sns.received).toHaveLength(1);
    expect(result.republished).toEqual([]);
    expect(log.entries.get(key)?.state).toBe('sent');
  });

  it('is sent again by alert-timers once no echo came within the grace, and only then', async () => {
    const clock = testClock();
    const log = new MemoryNotificationLog();
    const sns = topic(['never-sent']);
    await publishNotification(
      { clock, log, notifier: sns.notifier, echo: slowEcho, unconfirmed: log },
      notification,
    );
    const deps = { clock, unconfirmed: log, log, notifier: sns.notifier };

    clock.advance(ECHO_GRACE_MS - 60_000);
    const early = await republishUnconfirmed(deps);
    clock.advance(60_001);
    const due = await republishUnconfirmed(deps);
    clock.advance(ECHO_GRACE_MS * 2);
    const after = await republishUnconfirmed(deps);

    expect(early.republished).toEqual([]);
    expect(due.republished).toEqual([key]);
    expect(after.republished).toEqual([]);
    expect(sns.received).toHaveLength(1);
    expect(log.entries.get(key)).toMatchObject({ state: 'sent', listed: false });
  });

  it('is republished by one of two alert-timers runs that find it at once', async () => {
    const clock = testClock();
    const log = new MemoryNotificationLog();
    const sns = topic(['never-sent']);
    await publishNotification(
      { clock, log, notifier: sns.notifier, echo: slowEcho, unconfirmed: log },
      notification,
    );
    clock.advance(ECHO_GRACE_MS + 1);
    const deps = { clock, unconfirmed: log, log, notifier: sns.notifier };

    const [a, b] = await Promise.all([republishUnconfirmed(deps), republishUnconfirmed(deps)]);

    expect([...a.republished, ...b.republished]).toEqual([key]);
    expect(sns.received).toHaveLength(1);
  });

  it('goes back to unconfirmed when the republish loses its answer too, and is abandoned after the last attempt', async () => {
    const clock = testClock();
    const log = new MemoryNotificationLog();
    const sns = topic([...Array<'never-sent'>(MAX_PUBLISH_ATTEMPTS).fill('never-sent'), 'ok']);
    const counted: string[] = [];
    await publishNotification(
      { clock, log, notifier: sns.notifier, echo: slowEcho, unconfirmed: log },
      notification,
    );
    const deps = {
      clock,
      unconfirmed: log,
      log,
      notifier: sns.notifier,
      telemetry: { count: (name: string) => counted.push(name), timing: () => undefined },
    };

    const runs = [];
    for (let i = 0; i < MAX_PUBLISH_ATTEMPTS + 1; i++) {
      clock.advance(ECHO_GRACE_MS + 1);
      runs.push(await republishUnconfirmed(deps));
    }

    // Every republish but the last loses its answer; then abandoned; then nothing is left to do.
    expect(runs.map((r) => [r.unconfirmed, r.abandoned])).toEqual([
      ...Array.from({ length: MAX_PUBLISH_ATTEMPTS - 1 }, () => [[key], []]),
      [[], [key]],
      [[], []],
    ]);
    expect(sns.calls()).toBe(MAX_PUBLISH_ATTEMPTS);
    expect(counted).toEqual(['NotificationsAbandoned']);
    expect(log.entries.get(key)).toMatchObject({ state: 'abandoned', listed: false });
  });

  it('is released for the record to retry when the unconfirmed entry cannot be written', async () => {
    const clock = testClock();
    const log = new MemoryNotificationLog();
    const sns = topic(['never-sent']);
    const failing = {
      ...log,
      markUnconfirmed: async () => {
        throw new Error('ProvisionedThroughputExceededException');
      },
      due: log.due.bind(log),
      claimRepublish: log.claimRepublish.bind(log),
      abandon: log.abandon.bind(log),
    };
    const deps = { clock, log, notifier: sns.notifier, echo: slowEcho, unconfirmed: failing };

    const first = await publishNotification(deps, notification).catch((e: Error) => e.name);
    const retry = await publishNotification(deps, notification);

    expect(first).toBe('OutcomeUnknownError');
    expect(retry).toBe('published');
    expect(sns.received).toHaveLength(1);
  });
});
