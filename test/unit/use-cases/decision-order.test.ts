// Decisions of one service reach ECS in the order they were made (issue 11, bench:soak seed 23):
// a decision waits while an earlier one acting on the same thing is mid-attempt, and one that a
// later decision has overtaken is skipped instead of undoing it.
import { describe, expect, it } from 'vitest';
import type { Decision } from '../../../src/model';
import {
  executeDecision,
  orderAmong,
  SUPERSEDED,
  type ExecuteDeps,
} from '../../../src/use-cases/execute-decision';
import { aDecision, aService } from '../../support/builders';

const switches = { autoScalingEnabled: true, autoRecoveryEnabled: true, aiDecisionsEnabled: false };
const NOW = '2026-11-30T02:01:25.000Z';

const earlier = aDecision({
  at: '2026-11-30T01:03:00.000Z',
  status: 'executing',
  claimedAt: '2026-11-30T02:01:25.000Z',
  action: 'scale-out',
  toCount: 4,
});
const mine = aDecision({
  at: '2026-11-30T01:04:00.000Z',
  status: 'approved',
  requestedBy: 'api:ops',
  action: 'scale-in',
  fromCount: 4,
  toCount: 3,
});

/** `reads` answers the successive reads of the service's decisions (before and after the claim). */
function run(d: Decision, reads: Decision[][]) {
  const calls = { ecs: [] as number[], claims: 0, released: [] as string[], restarts: 0 };
  const finished: { status: string; result: string }[] = [];
  let read = 0;
  const deps: ExecuteDeps = {
    clock: { now: () => new Date(NOW) },
    registry: { list: async () => [aService()], get: async () => aService() },
    decisions: {
      claimDecision: async () => {
        calls.claims += 1;
        return {
          decision: { ...d, status: 'executing', claimedAt: NOW },
          interruptedClaimAt: null,
        };
      },
      releaseClaim: async (_s, id, claimedAt) => {
        calls.released.push(`${id}@${claimedAt.toISOString()}`);
        return true;
      },
      decisionsSince: async () => reads[Math.min(read++, reads.length - 1)]!,
    },
    ledger: {
      completeDecision: async (c) => {
        finished.push({ status: c.status, result: c.result });
      },
    },
    scaler: {
      snapshot: async () => ({ desiredCount: 2, runningCount: 2, taskDefinition: 'web:1' }),
      setDesiredCount: async (_s, n) => {
        calls.ecs.push(n);
        return { previous: 2 };
      },
      restart: async () => {
        calls.restarts += 1;
      },
      rollback: async () => ({ from: 'a', to: 'b' }),
    },
  };
  return { calls, finished, outcome: executeDecision(deps, d, switches) };
}

describe('the order of a service’s decisions on ECS', () => {
  it('a decision waits, unclaimed and untouched, while an earlier one is mid-attempt', async () => {
    const r = run(mine, [[earlier, mine]]);

    expect(await r.outcome).toBe('waiting');
    expect(r.calls).toEqual({ ecs: [], claims: 0, released: [], restarts: 0 });
    expect(r.finished).toEqual([]);
  });

  it('one claimed in the same moment as an earlier one hands its claim back and waits', async () => {
    // Before its claim the earlier one was still approved; after it, the earlier one is executing.
    const r = run(mine, [
      [{ ...earlier, status: 'approved' }, mine],
      [earlier, { ...mine, status: 'executing', claimedAt: NOW }],
    ]);

    expect(await r.outcome).toBe('waiting');
    expect(r.calls.ecs).toEqual([]);
    expect(r.calls.released).toEqual([`${mine.id}@${NOW}`]);
    expect(r.finished).toEqual([]);
  });

  it('an older decision that a later one has acted on is skipped, not sent after it', async () => {
    const later = aDecision({
      at: '2026-11-30T01:05:00.000Z',
      status: 'executed',
      requestedBy: 'api:ops',
      action: 'scale-out',
      toCount: 5,
      finishedAt: '2026-11-30T01:05:30.000Z',
    });

    const r = run(mine, [[mine, later]]);

    expect(await r.outcome).toBe('skipped');
    expect(r.calls.ecs).toEqual([]);
    expect(r.finished[0]!.result.startsWith(`${SUPERSEDED} ${later.id}`)).toBe(true);
    expect(r.finished[0]!.result).toMatch(/not sent$/);
  });

  it('acts when the earlier decisions are finished', async () => {
    const r = run(mine, [[{ ...earlier, status: 'executed' }, mine]]);

    expect(await r.outcome).toBe('executed');
    expect(r.calls.ecs).toEqual([3]);
  });

  it('a restart does not wait for a scale in flight: they change different things', async () => {
    const restart = aDecision({ ...mine, action: 'restart', toCount: null });

    const r = run(restart, [[earlier, restart]]);

    expect(await r.outcome).toBe('executed');
    expect(r.calls.restarts).toBe(1);
  });
});

describe('orderAmong', () => {
  it('orders two decisions of the same minute by their ids', () => {
    const a = aDecision({ id: 'web~m~a~decision', at: mine.at, status: 'executing' });
    const b = aDecision({ id: 'web~m~b~decision', at: mine.at, status: 'approved' });

    expect(orderAmong(b, [a, b])).toEqual({ later: null, earlier: a });
    expect(orderAmong(a, [a, b])).toEqual({ later: null, earlier: null });
  });
});
