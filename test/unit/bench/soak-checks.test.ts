// The soak's duplicate-ECS-call count: one UpdateService per decision that reached ECS. A decision a
// takeover skipped as superseded sent one call whose answer was lost; it is not a duplicate, while
// a second call for it (or for an executed decision) is.
import { describe, expect, it } from 'vitest';
import { judge, type CheckInput } from '../../../bench/soak/checks';
import type { PublishCall, UpdateServiceCall } from '../../../bench/soak/fault-proxy';
import { SUPERSEDED } from '../../../src/use-cases/execute-decision';
import { aDecision } from '../../support/builders';

const call = (desiredCount: number, answered = true): UpdateServiceCall => ({
  cluster: 'prod',
  service: 'web',
  desiredCount,
  forceNewDeployment: false,
  taskDefinition: undefined,
  answered,
});

function input(over: Partial<CheckInput>): CheckInput {
  return {
    decisions: [],
    anomalies: [],
    finalDesired: new Map([['web', 4]]),
    updateServiceCalls: [],
    publishes: [],
    receiverDuplicates: { total: 0, byReceiver: {} },
    undeliverable: 0,
    alertLog: [],
    unhandledErrors: 0,
    end: new Date('2026-11-30T03:00:00.000Z'),
    ...over,
  };
}

const later = aDecision({
  at: '2026-11-30T02:01:25.000Z',
  status: 'executed',
  action: 'scale-out',
  fromCount: 2,
  toCount: 4,
  finishedAt: '2026-11-30T02:01:30.000Z',
  before: { desiredCount: 2, runningCount: 2, taskDefinition: null },
  after: { desiredCount: 4, runningCount: 2, taskDefinition: null },
});

describe('the soak’s duplicate ECS calls', () => {
  it('counts the lost-answer call of a decision skipped as superseded as its one call', () => {
    const superseded = aDecision({
      at: '2026-11-30T00:01:25.000Z',
      status: 'skipped',
      action: 'scale-in',
      toCount: 2,
      result: `${SUPERSEDED} ${later.id} (scale-out, executed ${later.finishedAt}); the attempt at … may have applied it`,
    });

    const v = judge(
      input({ decisions: [superseded, later], updateServiceCalls: [call(2, false), call(4)] }),
    );

    expect(v.figures.duplicateEcsCalls).toBe(0);
    expect(v.figures.outOfOrder).toBe(0);
  });

  it('still counts a call resent for a decision that acted once', () => {
    const v = judge(input({ decisions: [later], updateServiceCalls: [call(4, false), call(4)] }));

    expect(v.figures.duplicateEcsCalls).toBe(1);
  });

  it('counts a call for a decision skipped for another reason', () => {
    const skipped = aDecision({ status: 'skipped', result: 'desired count is already 4' });

    const v = judge(input({ decisions: [skipped, later], updateServiceCalls: [call(2), call(4)] }));

    expect(v.figures.duplicateEcsCalls).toBe(1);
  });
});

// Out of order: consecutive executed decisions whose audit snapshots contradict. A decision skipped
// as superseded sent its change once without an answer (it may have landed, and says so): the count
// it asked for, found by the next executed decision, is that change, in the audit, not a change
// made behind the audit's back.
describe('the soak’s out-of-order executions', () => {
  const scaledOut = aDecision({
    at: '2026-11-30T04:00:00.000Z',
    action: 'scale-out',
    fromCount: 2,
    toCount: 4,
    claimedAt: '2026-11-30T04:00:20.000Z',
    finishedAt: '2026-11-30T04:00:30.000Z',
    before: { desiredCount: 2, runningCount: 2, taskDefinition: null },
    after: { desiredCount: 4, runningCount: 2, taskDefinition: null },
  });
  const next = aDecision({
    at: '2026-11-30T07:01:00.000Z',
    action: 'scale-out',
    fromCount: 3,
    toCount: 5,
    requestedBy: 'vigia:target-scaling',
    claimedAt: '2026-11-30T07:01:05.000Z',
    finishedAt: '2026-11-30T07:01:08.000Z',
    before: { desiredCount: 3, runningCount: 3, taskDefinition: null },
    after: { desiredCount: 5, runningCount: 3, taskDefinition: null },
  });
  const supersededScaleIn = (toCount: number) =>
    aDecision({
      at: '2026-11-30T06:01:00.000Z',
      action: 'scale-in',
      fromCount: 4,
      toCount,
      status: 'skipped',
      requestedBy: 'vigia:target-scaling',
      claimedAt: '2026-11-30T07:01:10.000Z',
      finishedAt: '2026-11-30T07:01:12.000Z',
      before: { desiredCount: 5, runningCount: 3, taskDefinition: null },
      result: `${SUPERSEDED} ${next.id} (scale-out, attempted 2026-11-30T07:01:05.000Z); the attempt at 2026-11-30T06:01:20.000Z got no answer from ECS and may have applied it`,
    });
  const finalDesired = new Map([['web', 5]]);

  it('takes the count a superseded attempt asked for, found by the next execution, as that attempt', () => {
    const v = judge(input({ decisions: [scaledOut, supersededScaleIn(3), next], finalDesired }));

    expect(v.details.outOfOrder).toEqual([]);
  });

  it('still counts a count no recorded decision asked for', () => {
    const v = judge(input({ decisions: [scaledOut, supersededScaleIn(2), next], finalDesired }));

    expect(v.figures.outOfOrder).toBe(1);
    expect(v.details.outOfOrder![0]).toMatchObject({ after: 4, before: 3, next: next.id });
  });

  it('still counts a superseded attempt made after the next execution read ECS', () => {
    const late = { ...supersededScaleIn(3), at: '2026-11-30T07:02:00.000Z' };

    const v = judge(input({ decisions: [scaledOut, late, next], finalDesired }));

    expect(v.figures.outOfOrder).toBe(1);
  });
});

// Lost alerts: every alert the notification log holds must end `sent` (SNS answered, or the topic's
// echo came). One left 'abandoned', 'unconfirmed' or 'sending' is an alert nobody is known to have
// got, as an anomaly without its decision is work the autopilot never did.
describe('the soak’s lost alerts', () => {
  const publishOf = (id: string): PublishCall => ({
    message: JSON.stringify({ default: JSON.stringify({ notification: { id } }) }),
    attributes: { severity: 'warning' },
    answered: false,
  });

  it('counts each alert not sent at the end, with its key, its state and what SNS took of it', () => {
    const v = judge(
      input({
        alertLog: [
          { key: 'alert~inc~web~1', state: 'sent' },
          { key: 'alert~inc~web~2', state: 'abandoned', attempts: 10 },
          { key: 'alert~inc~api~1', state: 'unconfirmed', attempts: 1 },
          { key: 'alert~inc~db~1', state: 'sending' },
        ],
        publishes: [publishOf('inc~web~1'), publishOf('inc~api~1')],
      }),
    );

    expect(v.figures.lost).toBe(3);
    expect(v.details.lost).toEqual([
      expect.objectContaining({ alert: 'alert~inc~web~2', state: 'abandoned', publishedToSns: 0 }),
      expect.objectContaining({
        alert: 'alert~inc~api~1',
        state: 'unconfirmed',
        publishedToSns: 1,
      }),
      expect.objectContaining({ alert: 'alert~inc~db~1', state: 'sending', publishedToSns: 0 }),
    ]);
  });

  it('counts none when every alert was sent', () => {
    const v = judge(input({ alertLog: [{ key: 'alert~inc~web~1', state: 'sent' }] }));

    expect(v.figures.lost).toBe(0);
  });
});
