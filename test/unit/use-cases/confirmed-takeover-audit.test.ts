// A takeover that finds its interrupted attempt applied (an UpdateService whose answer was lost)
// records the decision executed. What ECS shows then is the state after the decision's own change:
// it is the audit's `after`, never its `before` — "before 3, after 3" for a scale-in 4 → 3 hid the
// change and contradicted the previous decision's "after 4" (bench:soak seed 23, seven services),
// and an undo of it would have "restored" 3.
import { describe, expect, it } from 'vitest';
import type { Decision, ServiceSnapshot } from '../../../src/model';
import { compensationDecision } from '../../../src/decision';
import { executeDecision, type ExecuteDeps } from '../../../src/use-cases/execute-decision';
import { aDecision, aService } from '../../support/builders';

const switches = { autoScalingEnabled: true, autoRecoveryEnabled: true, aiDecisionsEnabled: false };
const interruptedClaimAt = '2026-11-30T08:01:20.000Z';

function takeOver(held: Decision, ecsNow: ServiceSnapshot) {
  const ecsCalls: number[] = [];
  const recorded: {
    status: string;
    before: ServiceSnapshot | null;
    after: ServiceSnapshot | null;
  }[] = [];
  const deps: ExecuteDeps = {
    clock: { now: () => new Date('2026-11-30T09:00:30.000Z') },
    registry: { list: async () => [aService()], get: async () => aService() },
    decisions: {
      claimDecision: async () => ({ decision: held, interruptedClaimAt }),
      releaseClaim: async () => true,
      decisionsSince: async () => [held],
    },
    ledger: {
      completeDecision: async (c) => {
        recorded.push({ status: c.status, before: c.before, after: c.after });
      },
    },
    scaler: {
      snapshot: async () => ecsNow,
      setDesiredCount: async (_s, n) => {
        ecsCalls.push(n);
        return { previous: ecsNow.desiredCount };
      },
      restart: async () => {},
      rollback: async () => ({ from: 'a', to: 'b' }),
    },
  };
  return { ecsCalls, recorded, outcome: executeDecision(deps, held, switches) };
}

describe('a takeover that finds the interrupted attempt applied', () => {
  const held = aDecision({
    at: '2026-11-30T08:01:00.000Z',
    status: 'executing',
    claimedAt: interruptedClaimAt,
    requestedBy: 'vigia:target-scaling',
    action: 'scale-in',
    fromCount: 4,
    toCount: 3,
  });
  const ecsNow = { desiredCount: 3, runningCount: 4, taskDefinition: 'web:1' };

  it('records the count ECS shows as the state after the change, and no state before it that it did not see', async () => {
    const r = takeOver(held, ecsNow);

    expect(await r.outcome).toBe('executed');
    expect(r.ecsCalls).toEqual([]);
    expect(r.recorded).toEqual([{ status: 'executed', before: null, after: ecsNow }]);
  });

  it('leaves an undo of it the count the decision was made on', async () => {
    const r = takeOver(held, ecsNow);
    await r.outcome;
    const { before, after } = r.recorded[0]!;
    const executed: Decision = { ...held, status: 'executed', before, after };

    const undo = compensationDecision(
      executed,
      { outcome: 'worse', detail: 'cpu 40 → 90 (limit 66)' },
      Date.parse('2026-11-30T09:10:00.000Z'),
      'auto',
      switches,
    );

    expect(undo).toMatchObject({ action: 'scale-out', fromCount: 3, toCount: 4 });
  });
});
