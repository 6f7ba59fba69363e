// Decisions that nothing would finish (issue 11): a scaler whose result could not be recorded after
// ECS changed, and an approved decision whose stream record was lost. The sweep finishes both, once,
// without a second ECS call for an action that already landed.
import { beforeEach, describe, expect, it } from 'vitest';
import { AwsAdapterError } from '../../lib/aws/errors';
import type { DecisionCompletion, ServiceActuator } from '../../src/ports';
import { decideOnAnomaly } from '../../src/use-cases/decide-on-anomaly';
import { executeDecision } from '../../src/use-cases/execute-decision';
import { sweepUnfinishedDecisions } from '../../src/use-cases/sweep-decisions';
import { at, decisionStack, ruleSwitches } from './decision-fixtures';

let env: Awaited<ReturnType<typeof decisionStack>>;
const clockAt = (minute: number) => ({ now: () => new Date(Date.parse(at(minute))) });

beforeEach(async () => {
  env = await decisionStack();
});

/** The real scaler, counting the desired-count changes it is asked for. */
function countingScaler(real: ServiceActuator) {
  const counted = Object.create(real) as ServiceActuator & { calls: number };
  counted.calls = 0;
  counted.setDesiredCount = (service, count) => {
    counted.calls += 1;
    return real.setDesiredCount(service, count);
  };
  return counted;
}

/** A CPU anomaly's decision, and a ledger whose first attempt to record its result fails. */
async function decisionWhoseFirstCompletionFails() {
  const anomaly = await env.anomaly(0, 'cpu', { cpu: 93, memory: 50 });
  const { decision } = await decideOnAnomaly(
    { ...env.deps, clock: clockAt(0) },
    anomaly,
    ruleSwitches,
  );
  let outage = 1;
  const ledger = {
    async completeDecision(c: DecisionCompletion) {
      if (outage-- > 0) {
        throw new AwsAdapterError('TransactWriteItems failed: ServiceUnavailable', null);
      }
      return env.deps.ledger.completeDecision(c);
    },
  };
  return { decision, ledger };
}

describe('unfinished decisions', () => {
  it('are finished by the sweep when recording the result failed after ECS changed, with one ECS call and one audit record', async () => {
    const { decision, ledger } = await decisionWhoseFirstCompletionFails();
    const scaler = countingScaler(env.deps.scaler);
    const deps = { ...env.deps, ledger, scaler };

    const first = executeDecision({ ...deps, clock: clockAt(1) }, decision, ruleSwitches);
    await expect(first).rejects.toThrow(/ServiceUnavailable/);
    expect((await env.ecsService()).desiredCount).toBe(4);
    expect((await env.a.store.getDecision('web', decision.id))?.status).toBe('executing');
    // A redelivery at once finds a live claim and leaves it alone.
    expect(await executeDecision({ ...deps, clock: clockAt(1) }, decision, ruleSwitches)).toBe(
      'already-handled',
    );

    const swept = await sweepUnfinishedDecisions({ ...deps, clock: clockAt(4) }, ruleSwitches);
    const again = await sweepUnfinishedDecisions({ ...deps, clock: clockAt(5) }, ruleSwitches);

    expect(swept).toEqual({
      finished: [{ decisionId: decision.id, outcome: 'executed' }],
      failures: [],
    });
    expect(again.finished).toEqual([]);
    expect(scaler.calls).toBe(1);
    expect(await env.a.store.getDecision('web', decision.id)).toMatchObject({
      status: 'executed',
      result: expect.stringMatching(
        /desired count 4 \(already on ECS after an interrupted attempt/,
      ),
    });
    const trail = await env.auditTrail();
    expect(trail).toHaveLength(1);
    expect(trail[0]).toMatchObject({ status: 'executed', decisionId: decision.id });
  });

  it('are held, not failed, when the takeover cannot read ECS after an attempt that may have applied them (soak seed 97)', async () => {
    const { decision, ledger } = await decisionWhoseFirstCompletionFails();
    const counted = countingScaler(env.deps.scaler);
    // The takeover's first read of ECS times out (the soak's emulator, or AWS, under faults).
    let unreadable = 1;
    const scaler = Object.create(counted) as typeof counted;
    scaler.snapshot = (service) =>
      unreadable-- > 0
        ? Promise.reject(
            new AwsAdapterError(
              `cannot reach ECS service '${service.ecs.service}' (ETIMEDOUT)`,
              null,
            ),
          )
        : counted.snapshot(service);
    const deps = { ...env.deps, ledger };

    await expect(
      executeDecision({ ...deps, scaler: counted, clock: clockAt(1) }, decision, ruleSwitches),
    ).rejects.toThrow(/ServiceUnavailable/);
    expect((await env.ecsService()).desiredCount).toBe(4);

    const blind = await sweepUnfinishedDecisions(
      { ...deps, scaler, clock: clockAt(4) },
      ruleSwitches,
    );
    // ECS changed: a "failed" verdict would be false, and the audit would contradict ECS.
    expect(blind.finished).toEqual([{ decisionId: decision.id, outcome: 'held' }]);
    expect((await env.a.store.getDecision('web', decision.id))?.status).toBe('executing');

    const swept = await sweepUnfinishedDecisions(
      { ...deps, scaler, clock: clockAt(7) },
      ruleSwitches,
    );
    expect(swept.finished).toEqual([{ decisionId: decision.id, outcome: 'executed' }]);
    expect(counted.calls).toBe(1);
    expect(await env.a.store.getDecision('web', decision.id)).toMatchObject({
      status: 'executed',
      result: expect.stringMatching(
        /desired count 4 \(already on ECS after an interrupted attempt/,
      ),
    });
  });

  it('are carried out by the sweep when an approved decision never reached the scaler', async () => {
    const anomaly = await env.anomaly(0, 'cpu', { cpu: 93, memory: 50 });
    const { decision } = await decideOnAnomaly(
      { ...env.deps, clock: clockAt(0) },
      anomaly,
      ruleSwitches,
    );

    const early = await sweepUnfinishedDecisions({ ...env.deps, clock: clockAt(1) }, ruleSwitches);
    const swept = await sweepUnfinishedDecisions({ ...env.deps, clock: clockAt(3) }, ruleSwitches);

    expect(early.finished).toEqual([]);
    expect(swept.finished).toEqual([{ decisionId: decision.id, outcome: 'executed' }]);
    expect((await env.ecsService()).desiredCount).toBe(4);
    expect(await executeDecision(env.deps, decision, ruleSwitches)).toBe('already-handled');
  });
  it('are finished by the sweep even when no sweep ran for more than an hour after the interruption', async () => {
    const anomaly = await env.anomaly(0, 'cpu', { cpu: 93, memory: 50 });
    const { decision } = await decideOnAnomaly(
      { ...env.deps, clock: clockAt(0) },
      anomaly,
      ruleSwitches,
    );
    const ledger = {
      async completeDecision() {
        throw new AwsAdapterError('TransactWriteItems failed: ServiceUnavailable', null);
      },
    };
    const first = executeDecision(
      { ...env.deps, ledger, clock: clockAt(1) },
      decision,
      ruleSwitches,
    );
    await expect(first).rejects.toThrow(/ServiceUnavailable/);

    // The schedule stopped (an outage, a paused rule) and comes back 95 minutes later.
    const swept = await sweepUnfinishedDecisions({ ...env.deps, clock: clockAt(95) }, ruleSwitches);

    expect(swept.finished).toEqual([{ decisionId: decision.id, outcome: 'executed' }]);
    expect(await env.a.store.getDecision('web', decision.id)).toMatchObject({ status: 'executed' });
  });
});
