// A takeover of an interrupted attempt (an UpdateService whose answer was lost, held, then taken
// over once its claim went stale) must not resend a change that a later decision of the service has
// already overtaken: the operator asked 2, then 4; ECS shows 4; resending 2 would end at 2. Found by
// the soak (soak-09, seed 11): three UpdateService calls for two executed decisions.
import { describe, expect, it } from 'vitest';
import type { Decision } from '../../../src/model';
import {
  executeDecision,
  SUPERSEDED,
  type ExecuteDeps,
} from '../../../src/use-cases/execute-decision';
import { aDecision, aService } from '../../support/builders';

const switches = { autoScalingEnabled: true, autoRecoveryEnabled: true, aiDecisionsEnabled: false };
const interruptedClaimAt = '2026-11-30T00:01:25.000Z';

function takeOver(held: Decision, since: Decision[]) {
  const ecsCalls: number[] = [];
  const finished: { status: string; result: string }[] = [];
  const deps: ExecuteDeps = {
    clock: { now: () => new Date('2026-11-30T02:05:00.000Z') },
    registry: { list: async () => [aService()], get: async () => aService() },
    decisions: {
      claimDecision: async () => ({ decision: held, interruptedClaimAt }),
      releaseClaim: async () => true,
      decisionsSince: async () => [held, ...since],
    },
    ledger: {
      completeDecision: async (c) => {
        finished.push({ status: c.status, result: c.result });
      },
    },
    scaler: {
      snapshot: async () => ({ desiredCount: 4, runningCount: 4, taskDefinition: 'web:1' }),
      setDesiredCount: async (_s, n) => {
        ecsCalls.push(n);
        return { previous: 4 };
      },
      restart: async () => {},
      rollback: async () => ({ from: 'a', to: 'b' }),
    },
  };
  return { ecsCalls, finished, outcome: executeDecision(deps, held, switches) };
}

describe('taking over an interrupted action', () => {
  const held = aDecision({
    at: '2026-11-30T00:01:25.000Z',
    status: 'executing',
    claimedAt: interruptedClaimAt,
    requestedBy: 'api:ops',
    action: 'scale-in',
    fromCount: 4,
    toCount: 2,
  });

  it('skips it, saying so, when a later decision of the service has acted since', async () => {
    const later = aDecision({
      at: '2026-11-30T02:01:25.000Z',
      status: 'executed',
      requestedBy: 'api:ops',
      action: 'scale-out',
      fromCount: 2,
      toCount: 4,
      finishedAt: '2026-11-30T02:01:30.000Z',
    });

    const r = takeOver(held, [later]);

    expect(await r.outcome).toBe('skipped');
    expect(r.ecsCalls).toEqual([]);
    expect(r.finished[0]!.result.startsWith(`${SUPERSEDED} ${later.id}`)).toBe(true);
    expect(r.finished[0]!.result).toMatch(/may have applied it/);
  });

  it('skips it when a later decision of the service is itself mid-attempt (its UpdateService may have landed; soak seed 11, soak-09 and soak-15)', async () => {
    // The later decision's own attempt got no answer and is held: resending the older count now
    // would undo it, and the later one's takeover would then send its count a second time.
    const later = aDecision({
      at: '2026-11-30T01:01:00.000Z',
      status: 'executing',
      claimedAt: '2026-11-30T01:01:30.000Z',
      requestedBy: 'vigia:autoscale',
      action: 'scale-out',
      fromCount: 2,
      toCount: 4,
    });

    const r = takeOver(held, [later]);

    expect(await r.outcome).toBe('skipped');
    expect(r.ecsCalls).toEqual([]);
    expect(r.finished[0]!.result.startsWith(`${SUPERSEDED} ${later.id}`)).toBe(true);
  });

  it('still carries it out when a later decision only waits (approved, not yet attempted)', async () => {
    const waiting = aDecision({
      at: '2026-11-30T01:01:00.000Z',
      status: 'approved',
      requestedBy: 'api:ops',
      action: 'scale-out',
      fromCount: 2,
      toCount: 4,
    });

    const r = takeOver(held, [waiting]);

    expect(await r.outcome).toBe('executed');
    expect(r.ecsCalls).toEqual([2]);
  });

  it('still carries it out when nothing acted since (ECS does not show it: it never landed)', async () => {
    const notify = aDecision({
      at: '2026-11-30T01:01:25.000Z',
      action: 'notify',
      status: 'executed',
      finishedAt: '2026-11-30T01:01:30.000Z',
    });

    const r = takeOver(held, [notify]);

    expect(await r.outcome).toBe('executed');
    expect(r.ecsCalls).toEqual([2]);
  });
});
