// The soak's duplicate-ECS-call count: one UpdateService per decision that reached ECS. A decision a
// takeover skipped as superseded sent one call whose answer was lost; it is not a duplicate, while
// a second call for it (or for an executed decision) is.
import { describe, expect, it } from 'vitest';
import { judge, type CheckInput } from '../../../bench/soak/checks';
import type { UpdateServiceCall } from '../../../bench/soak/fault-proxy';
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
