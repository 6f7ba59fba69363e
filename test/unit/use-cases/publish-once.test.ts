// Soak, session 9: critical alerts emailed twice. One way there was avoidable: SNS accepted the
// Publish and answered, then marking the notification sent in the log failed (the table throttled
// or timed out), the claim was released and the record's retry published the alert again. A Publish
// SNS answered is out: nothing after it may send it again.
import { describe, expect, it } from 'vitest';
import { OutcomeUnknownError } from '../../../src/errors';
import type { NotificationClaim, NotificationLog, Notifier } from '../../../src/ports';
import { publishNotification } from '../../../src/use-cases/publish-notification';
import { aNotification } from '../../support/builders';

const clock = { now: () => new Date('2026-03-02T10:00:00.000Z') };

/** The log's rules (claim, stale takeover ignored), with the writes after a claim failing at will. */
function flakyLog(failures: { markSent?: number; release?: number }) {
  const entries = new Map<string, 'sending' | 'sent'>();
  const left = { markSent: failures.markSent ?? 0, release: failures.release ?? 0 };
  const log: NotificationLog = {
    async claim(key): Promise<NotificationClaim> {
      const state = entries.get(key);
      if (state === 'sent') return 'already-sent';
      if (state === 'sending') return 'in-flight';
      entries.set(key, 'sending');
      return 'claimed';
    },
    async markSent(key) {
      if (left.markSent-- > 0) throw new Error('ProvisionedThroughputExceededException');
      entries.set(key, 'sent');
    },
    async release(key) {
      if (left.release-- > 0) throw new Error('ProvisionedThroughputExceededException');
      if (entries.get(key) === 'sending') entries.delete(key);
    },
  };
  return { log, entries };
}

function countingNotifier(answers: ('ok' | 'lost')[] = []) {
  const sent: string[] = [];
  const notifier: Notifier = {
    async publish(message) {
      sent.push(message.subject);
      if (answers[sent.length - 1] === 'lost') {
        throw new OutcomeUnknownError('SNS Publish: no answer', new Error('ETIMEDOUT'));
      }
      return { messageId: `m-${sent.length}` };
    },
  };
  return { notifier, sent };
}

/** A stream record's deliveries: each a call of the use case; a throw is a retry. */
async function deliveries(run: () => Promise<string>, times: number) {
  const outcomes: string[] = [];
  for (let i = 0; i < times; i++) outcomes.push(await run().catch((e: Error) => `threw ${e.name}`));
  return outcomes;
}

describe('a Publish that SNS answered', () => {
  it('is not published again when marking it sent fails', async () => {
    // Prepare: the table refuses the first two writes after the Publish
    const { log } = flakyLog({ markSent: 2 });
    const { notifier, sent } = countingNotifier();
    const notification = aNotification({ id: 'inc~web~2026-03-02T10:00:00.000Z~3' });
    // Act: the record is delivered three times
    const outcomes = await deliveries(
      () => publishNotification({ clock, log, notifier }, notification),
      3,
    );
    // Assess
    expect(sent).toHaveLength(1);
    expect(outcomes[0]).toBe('published');
  });

  it('is marked sent once the table takes the write again', async () => {
    const { log, entries } = flakyLog({ markSent: 1 });
    const { notifier } = countingNotifier();
    const notification = aNotification({ id: 'inc~web~2026-03-02T10:00:00.000Z~4' });
    await publishNotification({ clock, log, notifier }, notification);
    expect([...entries.values()]).toEqual(['sent']);
  });
});

describe('a Publish whose answer was lost, without an echo', () => {
  it('is released so that the retry sends it again: a lost alert is worse than a copy', async () => {
    const { log } = flakyLog({});
    const { notifier, sent } = countingNotifier(['lost']);
    const notification = aNotification({ id: 'inc~web~2026-03-02T10:00:00.000Z~5' });
    const outcomes = await deliveries(
      () => publishNotification({ clock, log, notifier }, notification),
      2,
    );
    expect(outcomes).toEqual(['threw OutcomeUnknownError', 'published']);
    expect(sent).toHaveLength(2);
  });
});
