// A decision acts on the ECS service it was made for: after an admin re-points the vigia service at
// another cluster or service, the approved decision is skipped with the reason, and ECS untouched.
import { describe, expect, it } from 'vitest';
import type { Decision, Service } from '../../../src/model';
import { executeDecision, type ExecuteDeps } from '../../../src/use-cases/execute-decision';
import { manualDecision } from '../../../src/use-cases/manual-action';
import { aDecision, aService, BUILT_AT } from '../../support/builders';

const switches = { autoScalingEnabled: true, autoRecoveryEnabled: true, aiDecisionsEnabled: false };

function run(decision: Decision, current: Service) {
  const ecsCalls: string[] = [];
  const finished: { status: string; result: string }[] = [];
  const deps: ExecuteDeps = {
    clock: { now: () => new Date(BUILT_AT) },
    registry: { list: async () => [current], get: async () => current },
    decisions: {
      claimDecision: async () => ({ decision, interruptedClaimAt: null }),
      releaseClaim: async () => true,
      decisionsSince: async () => [],
    },
    ledger: {
      completeDecision: async (c) => {
        finished.push({ status: c.status, result: c.result });
      },
    },
    scaler: {
      snapshot: async (s) => ({ desiredCount: 2, runningCount: 2, taskDefinition: `${s.id}:1` }),
      setDesiredCount: async (s, n) => {
        ecsCalls.push(`${s.ecs.cluster}/${s.ecs.service} → ${n}`);
        return { previous: 2 };
      },
      restart: async () => {},
      rollback: async () => ({ from: 'a', to: 'b' }),
    },
  };
  return { ecsCalls, finished, outcome: executeDecision(deps, decision, switches) };
}

describe('a decision whose service was re-pointed', () => {
  const approved = aDecision({
    status: 'approved',
    requestedBy: 'ops@example.com',
    target: { cluster: 'prod', service: 'web' },
  });

  it('is skipped, naming both targets, and never reaches the new ECS service', async () => {
    const moved = aService({ ecs: { cluster: 'payments', service: 'ledger' } });
    const r = run(approved, moved);
    expect(await r.outcome).toBe('skipped');
    expect(r.ecsCalls).toEqual([]);
    expect(r.finished[0]!.result).toMatch(/re-pointed from ECS prod\/web to payments\/ledger/);
  });

  it('runs as before on the target it was made for', async () => {
    const r = run(approved, aService());
    expect(await r.outcome).toBe('executed');
    expect(r.ecsCalls).toEqual(['prod/web → 3']);
  });

  it('is recorded with the ECS target it is made for', () => {
    const d = manualDecision({
      service: aService(),
      now: new Date(BUILT_AT),
      requestKey: 'k1',
      requestedBy: 'ops@example.com',
      currentCount: 2,
      action: 'scale-out',
      toCount: 3,
      reason: 'manual',
    });
    expect(d.target).toEqual({ cluster: 'prod', service: 'web' });
  });
});
