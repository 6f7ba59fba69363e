// The notification log's unconfirmed entries on the emulator (issue 11, the soak's email copy): a
// Publish with no answer and no echo is kept 'unconfirmed' for alert-timers, listed through the
// sparse index `pending` without disturbing the decisions listed there; every step is conditional.
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoPendingDecisions } from '../../lib/store/decision-pending';
import { DynamoNotificationLog } from '../../lib/store/notification-log';
import type { OutboundMessage } from '../../src/ports';
import { freshLocalStack, localAdapters } from '../support/local-aws';

let log: DynamoNotificationLog;
let adapters: ReturnType<typeof localAdapters>;

const message: OutboundMessage = {
  subject: '[vigia] web: cpu critical',
  body: JSON.stringify({ default: 'cpu 97', email: 'cpu 97' }),
  attributes: { severity: 'critical', service: 'web', kind: 'incident', route: 'web:critical' },
  structure: 'json',
};
const at = (s: number) => new Date(Date.parse('2026-03-02T10:00:00.000Z') + s * 1000);
const stale = (now: Date) => new Date(now.getTime() - 60_000);

beforeAll(async () => {
  const stack = await freshLocalStack();
  adapters = localAdapters(stack.endpoint, stack.tableName);
  log = new DynamoNotificationLog(adapters.table);
});

describe('an unconfirmed notification in the log', () => {
  it("is written only from the run's own sending claim, and a later claim answers already-sent", async () => {
    const key = 'alert~inc~web~1';
    expect(await log.claim(key, at(0), stale(at(0)))).toBe('claimed');

    const otherRun = await log.markUnconfirmed(key, at(-5), message, at(6), 1);
    const ownRun = await log.markUnconfirmed(key, at(0), message, at(6), 1);
    const again = await log.markUnconfirmed(key, at(0), message, at(7), 1);
    const retryClaim = await log.claim(key, at(120), stale(at(120)));

    expect([otherRun, ownRun, again]).toEqual([false, true, false]);
    expect(retryClaim).toBe('already-sent');
    expect(await log.due(at(7), 10)).toEqual([
      { key, message, attemptedAt: at(6).toISOString(), attempts: 1 },
    ]);
    expect(await log.due(at(6), 10)).toEqual([]);
  });

  it('leaves the list when the echo marks it sent', async () => {
    const key = 'alert~inc~web~2';
    await log.claim(key, at(0), stale(at(0)));
    await log.markUnconfirmed(key, at(0), message, at(6), 1);

    const marked = await log.markSeenOnTopic(key, 'sns-1', at(30));

    expect(marked).toBe(true);
    expect(await log.isSent(key)).toBe(true);
    expect((await log.due(at(600), 10)).map((e) => e.key)).not.toContain(key);
  });

  it('is claimed for a republish by one caller only, then marked sent', async () => {
    const key = 'alert~inc~web~3';
    await log.claim(key, at(0), stale(at(0)));
    await log.markUnconfirmed(key, at(0), message, at(6), 1);
    const [entry] = (await log.due(at(600), 10)).filter((e) => e.key === key);

    const claims = await Promise.all([
      log.claimRepublish(entry!, at(200)),
      log.claimRepublish(entry!, at(200)),
    ]);
    const listedWhileSending = await log.due(at(600), 10);
    await log.markSent(key, 'sns-2', at(201));

    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(listedWhileSending.find((e) => e.key === key)).toMatchObject({
      attemptedAt: at(200).toISOString(),
      attempts: 2,
    });
    expect(await log.isSent(key)).toBe(true);
    expect((await log.due(at(600), 10)).map((e) => e.key)).not.toContain(key);
  });

  it('goes back to unconfirmed after a republish without an answer, and is abandoned as last seen', async () => {
    const key = 'alert~inc~web~4';
    await log.claim(key, at(0), stale(at(0)));
    await log.markUnconfirmed(key, at(0), message, at(6), 1);
    const [first] = (await log.due(at(600), 10)).filter((e) => e.key === key);
    await log.claimRepublish(first!, at(200));

    const back = await log.markUnconfirmed(key, at(200), message, at(200), 2);
    const [second] = (await log.due(at(600), 10)).filter((e) => e.key === key);
    const staleAbandon = await log.abandon(first!, at(400));
    const abandoned = await log.abandon(second!, at(400));

    expect(back).toBe(true);
    expect(second).toMatchObject({ attempts: 2, attemptedAt: at(200).toISOString() });
    expect([staleAbandon, abandoned]).toEqual([false, true]);
    expect((await log.due(at(600), 10)).map((e) => e.key)).not.toContain(key);
    expect(await log.claim(key, at(900), stale(at(900)))).toBe('already-sent');
  });

  it('shares the index with pending decisions without showing up among them', async () => {
    const key = 'alert~inc~web~5';
    await log.claim(key, at(0), stale(at(0)));
    await log.markUnconfirmed(key, at(0), message, at(6), 1);

    const decisions = await new DynamoPendingDecisions(adapters.table, () => at(0)).pending();

    expect(decisions.every((d) => typeof d.serviceId === 'string')).toBe(true);
    expect((await log.due(at(600), 10)).map((e) => e.key)).toContain(key);
  });
});
