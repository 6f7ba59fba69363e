// The decision engine with its real adapters against the emulator: anomaly → decision → ECS, with
// restart, rollback, approve mode, cooldowns, redelivery, the hourly cap and the audit trail.
import { beforeEach, describe, expect, it } from 'vitest';
import { RegisterTaskDefinitionCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { scalingConfigSchema } from '../../src/model';
import { decideOnAnomaly } from '../../src/use-cases/decide-on-anomaly';
import { executeDecision } from '../../src/use-cases/execute-decision';
import { at, decisionStack, ruleSwitches, webService } from './decision-fixtures';

let env: Awaited<ReturnType<typeof decisionStack>>;

beforeEach(async () => {
  env = await decisionStack();
});

describe('decide and scale', () => {
  it('turns a CPU anomaly into a diagnosed decision and an ECS desired count, with an audit record', async () => {
    const anomaly = await env.anomaly(0, 'cpu', { cpu: 93, memory: 50 });

    const { decision, created } = await decideOnAnomaly(env.deps, anomaly, ruleSwitches);
    const outcome = await executeDecision(env.deps, decision, ruleSwitches);

    expect(created).toBe(true);
    expect(decision).toMatchObject({
      action: 'scale-out',
      status: 'approved',
      fromCount: 2,
      toCount: 4,
      diagnosis: 'overload',
      evidence: expect.arrayContaining(['cpu 93% ≥ 80%']),
      // scale-out-cpu acts through the watch once its 3-minute window held; a detector anomaly
      // above target acts at once.
      policies: expect.arrayContaining(['scale-out-above-target']),
      trigger: [{ metric: 'cpu', value: 93, limit: 66, bad: 'above' }],
    });
    expect(decision.reason).toMatch(
      /overload; policy scale-out-above-target: cpu at 155% of target: 2 → 4/,
    );
    expect(outcome).toBe('executed');
    expect((await env.ecsService()).desiredCount).toBe(4);
    expect(await env.a.store.getDecision('web', decision.id)).toMatchObject({
      status: 'executed',
      result: 'desired count 2 → 4',
      before: { desiredCount: 2 },
      after: { desiredCount: 4 },
    });
    const trail = await env.auditTrail();
    expect(trail).toHaveLength(1);
    expect(trail[0]).toMatchObject({
      kind: 'action',
      type: 'scale-out',
      status: 'executed',
      requestedBy: 'vigia:decide',
      decisionId: decision.id,
      before: { desiredCount: 2 },
      after: { desiredCount: 4 },
    });
  });

  it('decides once for a redelivered anomaly record, and acts once when three scalers race', async () => {
    const anomaly = await env.anomaly(0, 'cpu', { cpu: 93, memory: 50 });

    // Decide's redeliveries in sequence (moto's transactions are not isolated between concurrent
    // requests; DynamoDB's are), the scaler's at once (a single conditional update).
    const decided = [];
    for (let i = 0; i < 3; i++)
      decided.push(await decideOnAnomaly(env.deps, anomaly, ruleSwitches));
    const executed = await Promise.all(
      decided.map((d) => executeDecision(env.deps, d.decision, ruleSwitches)),
    );
    expect(decided.map((d) => d.created)).toEqual([true, false, false]);
    expect(new Set(decided.map((d) => d.decision.id)).size).toBe(1);
    expect(executed.sort()).toEqual(['already-handled', 'already-handled', 'executed']);
    expect((await env.ecsService()).desiredCount).toBe(4);
    expect(await env.auditTrail()).toHaveLength(1);
  });

  it('restarts a service with an error burst by forcing a new deployment', async () => {
    const before = await env.ecsService();
    // The watch's anomaly once alert-error-rate's 2-minute window held.
    const anomaly = {
      ...(await env.anomaly(0, 'errors_5xx', { cpu: 30, errors_5xx: 40, requests: 200 })),
      source: 'threshold' as const,
      policy: 'alert-error-rate',
    };

    const { decision } = await decideOnAnomaly(env.deps, anomaly, ruleSwitches);
    const outcome = await executeDecision(env.deps, decision, ruleSwitches);

    expect(decision).toMatchObject({
      action: 'restart',
      diagnosis: 'error_burst',
      status: 'approved',
    });
    expect(outcome).toBe('executed');
    const after = await env.ecsService();
    expect(after.deployments?.[0]?.id).not.toBe(before.deployments?.[0]?.id);
    expect(after.taskDefinition).toBe(before.taskDefinition);
    expect(after.desiredCount).toBe(before.desiredCount);
  });

  it('rolls a bad deploy back to the previous task definition', async () => {
    const v1 = (await env.ecsService()).taskDefinition!;
    const v2 = await env.a.aws.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'web-task',
        containerDefinitions: [{ name: 'web', image: 'public.ecr.aws/demo/web:2', memory: 512 }],
      }),
    );
    await env.a.aws.ecs.send(
      new UpdateServiceCommand({
        cluster: 'vigia-demo',
        service: 'web',
        taskDefinition: v2.taskDefinition!.taskDefinitionArn,
      }),
    );
    const ecs = await env.ecsState({ lastDeploymentAt: at(-4) });
    const anomaly = await env.anomaly(
      0,
      'errors_5xx',
      { cpu: 35, errors_5xx: 60, requests: 200 },
      ecs,
    );

    const { decision } = await decideOnAnomaly(env.deps, anomaly, ruleSwitches);
    const outcome = await executeDecision(env.deps, decision, ruleSwitches);

    expect(decision).toMatchObject({ action: 'rollback', diagnosis: 'bad_deploy' });
    expect(decision.evidence?.[0]).toMatch(/began 4 min after the deployment/);
    expect(outcome).toBe('executed');
    expect((await env.ecsService()).taskDefinition).toBe(v1);
    expect((await env.a.store.getDecision('web', decision.id))?.result).toBe(
      'rolled back web-task:2 → web-task:1',
    );
  });

  it('fails a rollback clearly when there is no earlier task definition', async () => {
    // A first deployment is never diagnosed as a bad deploy, so ask for the rollback as an operator would.
    const ecs = await env.ecsState({ lastDeploymentAt: at(-4) });
    const anomaly = await env.anomaly(
      0,
      'errors_5xx',
      { cpu: 35, errors_5xx: 60, requests: 200 },
      ecs,
    );
    const decision = {
      id: `${anomaly.id}~manual`,
      serviceId: 'web',
      anomalyId: anomaly.id,
      at: anomaly.at,
      action: 'rollback' as const,
      fromCount: null,
      toCount: null,
      reason: 'operator asked for a rollback',
      mode: 'auto' as const,
      status: 'approved' as const,
      requestedBy: 'api:ops',
      result: null,
    };
    await env.a.store.putDecision(decision, new Date());

    const outcome = await executeDecision(env.deps, decision, ruleSwitches);

    expect(outcome).toBe('failed');
    expect((await env.a.store.getDecision('web', decision.id))?.result).toMatch(
      /no earlier revision of .*web-task:1/,
    );
  });

  it('in approve mode proposes and waits, then acts once an operator approves', async () => {
    env.setService(webService({ mode: 'approve' }));
    const anomaly = await env.anomaly(0, 'cpu', { cpu: 93, memory: 50 });

    const { decision } = await decideOnAnomaly(env.deps, anomaly, ruleSwitches);
    const waiting = await executeDecision(env.deps, decision, ruleSwitches);
    await env.approve(decision.id);
    const approved = await env.a.store.getDecision('web', decision.id);
    const outcome = await executeDecision(env.deps, approved!, ruleSwitches);

    expect(decision).toMatchObject({ status: 'proposed', result: 'waiting for an operator' });
    expect(waiting).toBe('already-handled');
    expect(outcome).toBe('executed');
    expect((await env.ecsService()).desiredCount).toBe(4);
  });

  it('records what it would do in dry-run mode and leaves ECS alone', async () => {
    env.setService(webService({ mode: 'dry-run' }));
    const anomaly = await env.anomaly(0, 'cpu', { cpu: 93, memory: 50 });

    const { decision } = await decideOnAnomaly(env.deps, anomaly, ruleSwitches);

    expect(decision).toMatchObject({ status: 'skipped', result: 'dry-run: would scale-out' });
    expect((await env.ecsService()).desiredCount).toBe(2);
  });

  it('holds a second scale-out inside the cooldown, then scales again after it', async () => {
    env.setService(
      webService({ scaling: scalingConfigSchema.parse({ scaleOutCooldownSeconds: 60 }) }),
    );
    const first = await decideOnAnomaly(
      env.deps,
      await env.anomaly(0, 'cpu', { cpu: 93, memory: 50 }),
      ruleSwitches,
    );
    await executeDecision(env.deps, first.decision, ruleSwitches);
    const ecs = await env.ecsState();

    const second = await decideOnAnomaly(
      env.deps,
      await env.anomaly(0.5, 'memory', { cpu: 93, memory: 90 }, ecs),
      ruleSwitches,
    );
    const third = await decideOnAnomaly(
      env.deps,
      await env.anomaly(2, 'cpu', { cpu: 95, memory: 50 }, ecs),
      ruleSwitches,
    );

    expect(second.decision).toMatchObject({ action: 'scale-out', status: 'skipped' });
    expect(second.decision.result).toMatch(/^hold: .*scale-out cooldown/);
    expect(third.decision).toMatchObject({ status: 'approved', fromCount: 4, toCount: 7 });
  });

  it('skips a scale-out that ECS has already overtaken, rather than lowering the count', async () => {
    // Two anomalies on snapshots of 2 tasks taken before either acted: cpu asks for 4, memory 3.
    const stale = await env.ecsState();
    const cpu = await decideOnAnomaly(
      env.deps,
      await env.anomaly(0, 'cpu', { cpu: 93, memory: 50 }, stale),
      ruleSwitches,
    );
    const memory = await decideOnAnomaly(
      env.deps,
      await env.anomaly(0.5, 'memory', { cpu: 50, memory: 88 }, stale),
      ruleSwitches,
    );
    await executeDecision(env.deps, cpu.decision, ruleSwitches);

    const outcome = await executeDecision(env.deps, memory.decision, ruleSwitches);

    expect(memory.decision).toMatchObject({ action: 'scale-out', fromCount: 2, toCount: 3 });
    expect(outcome).toBe('skipped');
    expect((await env.ecsService()).desiredCount).toBe(4);
    expect(await env.a.store.getDecision('web', memory.decision.id)).toMatchObject({
      status: 'skipped',
      result: 'desired count is already 4, not below the 3 this scale-out asked for',
    });
  });

  it('stops acting once the hourly cap is reached', async () => {
    env.setService(webService({ maxActionsPerHour: 2, maxTasks: 50 }));
    const results = [];
    for (const minute of [0, 2, 4]) {
      const { decision } = await decideOnAnomaly(
        env.deps,
        await env.anomaly(minute, 'cpu', { cpu: 95, memory: 50 }),
        ruleSwitches,
      );
      if (decision.status === 'approved') await executeDecision(env.deps, decision, ruleSwitches);
      results.push(decision);
    }

    expect(results.map((d) => d.status)).toEqual(['approved', 'approved', 'skipped']);
    expect(results[2]!.result).toBe('action cap: 2 actions in the last hour');
    expect(await env.auditTrail()).toHaveLength(2);
  });

  it('skips an approved autopilot decision when the service was switched off meanwhile', async () => {
    const { decision } = await decideOnAnomaly(
      env.deps,
      await env.anomaly(0, 'cpu', { cpu: 93, memory: 50 }),
      ruleSwitches,
    );
    env.setService(webService({ mode: 'off' }));

    const outcome = await executeDecision(env.deps, decision, ruleSwitches);

    expect(outcome).toBe('skipped');
    expect((await env.ecsService()).desiredCount).toBe(2);
    expect((await env.auditTrail())[0]).toMatchObject({ status: 'skipped' });
  });
});
