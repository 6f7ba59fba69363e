// Verification and learning against the emulator: an executed action is judged from the samples
// after its window, the statistics and the learning summary move, a worsening action is undone.
import { beforeEach, describe, expect, it } from 'vitest';
import { UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { autoscaleDeps } from '../../lib/wiring/decisions';
import { autoscaleOnReading } from '../../src/use-cases/autoscale';
import { decideOnAnomaly } from '../../src/use-cases/decide-on-anomaly';
import { executeDecision } from '../../src/use-cases/execute-decision';
import { verifyActions } from '../../src/use-cases/verify-actions';
import { expectedSuccess } from '../../src/decision';
import { T0, decisionStack, ruleSwitches, webService } from './decision-fixtures';

let env: Awaited<ReturnType<typeof decisionStack>>;

beforeEach(async () => {
  env = await decisionStack();
});

/** verify runs at a wall-clock time just after the data minute. */
function verifyAt(minute: number) {
  return verifyActions(
    { ...env.deps, clock: { now: () => new Date(T0 + (minute + 1) * 60_000) } },
    ruleSwitches,
  );
}

describe('verify', () => {
  it('judges a scale-out resolved after its window, once, and learns from it', async () => {
    const { decision } = await decideOnAnomaly(
      env.deps,
      await env.anomaly(0, 'cpu', { cpu: 93, memory: 50 }),
      ruleSwitches,
    );
    await executeDecision(env.deps, decision, ruleSwitches);
    for (const minute of [1, 2, 3, 4]) await env.sample(minute, { cpu: 70, memory: 50 });

    const early = await verifyAt(4);
    await env.sample(5, { cpu: 48, memory: 50 });
    // Sequential: moto's TransactWriteItems is not isolated between concurrent requests (DynamoDB's
    // is); the second run must find the outcome written and change nothing.
    const first = await verifyAt(5);
    const second = await verifyAt(5);

    expect(early).toMatchObject({ verified: [], waiting: 1 });
    expect([...first.verified, ...second.verified]).toEqual([
      {
        decisionId: decision.id,
        outcome: 'resolved',
        detail: 'cpu 93 → 48 (limit 66)',
        compensation: null,
      },
    ]);
    expect(await env.a.store.getDecision('web', decision.id)).toMatchObject({
      outcome: 'resolved',
      outcomeDetail: 'cpu 93 → 48 (limit 66)',
      verifiedAt: expect.any(String),
    });
    const [stats] = await env.deps.learning.loadStats('web');
    expect(stats).toMatchObject({
      stats: { diagnosis: 'overload', action: 'scale-out', alpha: 5, beta: 1, resolved: 1 },
      version: 1,
    });
    const { summary } = await env.deps.learning.loadSummary();
    expect(summary).toMatchObject({
      verified: 1,
      resolved: 1,
      accuracy: 1,
      services: {
        web: {
          verified: 1,
          accuracy: 1,
          stats: [{ diagnosis: 'overload', action: 'scale-out', expectedSuccess: 0.833 }],
        },
      },
    });
    expect((await verifyAt(6)).verified).toEqual([]);
  });

  it('undoes a scale-in that made things worse and counts it against scale-in', async () => {
    await env.a.aws.ecs.send(
      new UpdateServiceCommand({ cluster: 'vigia-demo', service: 'web', desiredCount: 8 }),
    );
    const { decision } = await decideOnAnomaly(
      env.deps,
      await env.anomaly(0, 'cpu', { cpu: 20, memory: 30 }, undefined, 'down'),
      ruleSwitches,
    );
    await executeDecision(env.deps, decision, ruleSwitches);
    await env.sample(5, { cpu: 85, memory: 45 });

    const { verified } = await verifyAt(5);
    const undo = await env.a.store.getDecision('web', verified[0]!.compensation!);
    const outcome = await executeDecision(env.deps, undo!, ruleSwitches);

    expect(decision).toMatchObject({ action: 'scale-in', fromCount: 8, toCount: 4 });
    expect(verified[0]).toMatchObject({ outcome: 'worse' });
    expect(undo).toMatchObject({
      action: 'scale-out',
      fromCount: 4,
      toCount: 8,
      status: 'approved',
      requestedBy: 'vigia:verify',
      compensates: decision.id,
    });
    expect(outcome).toBe('executed');
    expect((await env.ecsService()).desiredCount).toBe(8);
    const [stats] = await env.deps.learning.loadStats('web');
    expect(stats?.stats).toMatchObject({ action: 'scale-in', worse: 1 });
    expect((await env.deps.learning.loadSummary()).summary).toMatchObject({
      verified: 1,
      worse: 1,
      accuracy: 0,
    });
  });

  it('uses what it learned: an action that keeps failing loses to the one that works', async () => {
    env.setService(
      webService({
        policies: [{ name: 'errors', when: 'error_rate >= 10%', actions: ['restart', 'notify'] }],
      }),
    );
    const learned = { ...ruleSwitches, aiDecisionsEnabled: true };
    const picks: string[] = [];
    // Here restarting never helps and the errors pass by themselves (a flaky upstream).
    for (let round = 0; round < 10; round++) {
      const minute = round * 20;
      const { decision } = await decideOnAnomaly(
        env.deps,
        await env.anomaly(minute, 'errors_5xx', { cpu: 30, errors_5xx: 40, requests: 200 }),
        learned,
      );
      picks.push(decision.action);
      await executeDecision(env.deps, decision, learned);
      const errors = decision.action === 'restart' ? 40 : 1;
      await env.sample(minute + 5, { cpu: 30, errors_5xx: errors, requests: 200 });
      await verifyAt(minute + 5);
    }

    const stats = new Map(
      (await env.deps.learning.loadStats('web')).map((r) => [r.stats.action, r.stats]),
    );
    const restart = stats.get('restart')!;
    const notify = stats.get('notify')!;
    expect(picks[0]).toBe('restart'); // the runbook prior favours a restart at first
    expect(restart.notResolved).toBeGreaterThan(0);
    expect(notify.resolved).toBeGreaterThan(0);
    expect(expectedSuccess(notify)).toBeGreaterThan(expectedSuccess(restart));
    expect(picks.slice(-3)).toEqual(['notify', 'notify', 'notify']);
  });

  it('verifies target scaling: a scale-in followed by a violation is worse, undone and learned', async () => {
    await env.a.aws.ecs.send(
      new UpdateServiceCommand({ cluster: 'vigia-demo', service: 'web', desiredCount: 8 }),
    );
    // Target scaling on a pushed reading 15 s into minute 0, decided 5 s later (data time).
    const clock = { now: () => new Date(T0 + 20_000) };
    const deps = { ...env.deps, ecs: autoscaleDeps(env.a.config).ecs, clock };
    const reading = { serviceId: 'web', at: new Date(T0 + 15_000).toISOString(), tasks: 8 };
    const decided = await autoscaleOnReading(
      deps,
      { ...reading, source: 'pushed', cpu: 20, memory: 30 },
      ruleSwitches,
    );
    if (decided.kind !== 'decided') throw new Error(`expected a decision, got ${decided.kind}`);
    const decision = (await env.a.store.getDecision('web', decided.decisionId))!;
    await executeDecision(env.deps, decision, ruleSwitches);
    // Four tasks could not carry the load: CPU past target × (1 + tolerance) after the window.
    await env.sample(6, { cpu: 85, memory: 45 });

    const { verified } = await verifyAt(6);
    const undo = await env.a.store.getDecision('web', verified[0]!.compensation!);
    await executeDecision(env.deps, undo!, ruleSwitches);

    expect(decision).toMatchObject({
      action: 'scale-in',
      fromCount: 8,
      toCount: 4,
      requestedBy: 'vigia:autoscale',
    });
    expect(verified).toEqual([
      {
        decisionId: decision.id,
        outcome: 'worse',
        detail: 'cpu 20 → 85 (limit 66), memory 30 → 45 (limit 82.5)',
        compensation: expect.any(String),
      },
    ]);
    expect(await env.a.store.getDecision('web', decision.id)).toMatchObject({ outcome: 'worse' });
    expect(undo).toMatchObject({ action: 'scale-out', toCount: 8, compensates: decision.id });
    expect((await env.ecsService()).desiredCount).toBe(8);
    const [stats] = await env.deps.learning.loadStats('web');
    expect(stats?.stats).toMatchObject({ diagnosis: 'target', action: 'scale-in', worse: 1 });
    expect((await env.deps.learning.loadSummary()).summary).toMatchObject({
      verified: 1,
      worse: 1,
    });
  });

  it('verifies a target-scaling scale-out resolved when the objective held afterwards', async () => {
    const clock = { now: () => new Date(T0 + 20_000) };
    const deps = { ...env.deps, ecs: autoscaleDeps(env.a.config).ecs, clock };
    const decided = await autoscaleOnReading(
      deps,
      {
        serviceId: 'web',
        at: new Date(T0 + 15_000).toISOString(),
        source: 'pushed',
        tasks: 2,
        cpu: 90,
      },
      ruleSwitches,
    );
    if (decided.kind !== 'decided') throw new Error(`expected a decision, got ${decided.kind}`);
    const decision = (await env.a.store.getDecision('web', decided.decisionId))!;
    await executeDecision(env.deps, decision, ruleSwitches);
    await env.sample(6, { cpu: 55 });

    const { verified } = await verifyAt(6);

    expect(verified).toEqual([
      {
        decisionId: decision.id,
        outcome: 'resolved',
        detail: 'cpu 90 → 55 (limit 66)',
        compensation: null,
      },
    ]);
    const [stats] = await env.deps.learning.loadStats('web');
    expect(stats?.stats).toMatchObject({ diagnosis: 'target', action: 'scale-out', resolved: 1 });
  });
});
