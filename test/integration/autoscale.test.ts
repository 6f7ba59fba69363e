// Target scaling with its real adapters against the emulator: a reading the service pushed, or the
// collector's sample, sizes the ECS service without any anomaly; a redelivered reading acts once.
import { beforeEach, describe, expect, it } from 'vitest';
import { autoscaleDeps } from '../../lib/wiring/decisions';
import { PushedMetricStore } from '../../lib/store/pushed-metric-store';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { decisionSk, readingSk, servicePk } from '../../lib/store/keys';
import { scalingConfigSchema, type ScalingReading } from '../../src/model';
import { autoscaleOnReading } from '../../src/use-cases/autoscale';
import { executeDecision } from '../../src/use-cases/execute-decision';
import { scalingReadingOf } from '../../src/use-cases/pushed-metrics';
import { decisionStack, ruleSwitches, webService } from './decision-fixtures';

let env: Awaited<ReturnType<typeof decisionStack>>;
let deps: Parameters<typeof autoscaleOnReading>[0] & Parameters<typeof executeDecision>[0];

beforeEach(async () => {
  env = await decisionStack();
  deps = { ...env.deps, ecs: autoscaleDeps(env.a.config).ecs, clock: { now: () => new Date() } };
});

const secondsAgo = (s: number) => new Date(Date.now() - s * 1000).toISOString();

function pushed(overrides: Partial<ScalingReading> = {}): ScalingReading {
  return { serviceId: 'web', at: secondsAgo(15), source: 'pushed', tasks: 2, ...overrides };
}

describe('target scaling', () => {
  it('scales a service out on a pushed reading above target, with no anomaly, once', async () => {
    // web: 2 tasks, CPU target 60%. 2 tasks at 96% → ceil(2 × 1.6) = 4.
    const reading = pushed({ cpu: 96 });

    const first = await autoscaleOnReading(deps, reading, ruleSwitches);
    const again = await autoscaleOnReading(deps, reading, ruleSwitches);

    expect(first).toMatchObject({ kind: 'decided', action: 'scale-out', toCount: 4 });
    expect(again).toEqual({ kind: 'ignored', reason: 'not newer than the last reading used' });
    if (first.kind !== 'decided') return;
    const decision = (await env.a.store.getDecision('web', first.decisionId))!;
    expect(decision).toMatchObject({ status: 'approved', requestedBy: 'vigia:autoscale' });
    expect(await executeDecision(deps, decision, ruleSwitches)).toBe('executed');
    expect((await env.ecsService()).desiredCount).toBe(4);
    expect(await env.a.store.getDecision('web', first.decisionId)).toMatchObject({
      status: 'executed',
      result: 'desired count 2 → 4',
    });
    // Routine decisions, and the audit record of their execution, expire after 90 days.
    const raw = await env.a.aws.dynamo.send(
      new GetCommand({
        TableName: env.stack.tableName,
        Key: { pk: servicePk('web'), sk: decisionSk(first.decisionId) },
      }),
    );
    const days = (epochSeconds: number, from: string) =>
      Math.round((epochSeconds * 1000 - Date.parse(from)) / 86_400_000);
    expect(days(raw.Item!.expiresAt, reading.at)).toBe(90);
    const audit = await env.a.aws.dynamo.send(
      new QueryCommand({
        TableName: env.stack.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :action)',
        ExpressionAttributeValues: { ':pk': servicePk('web'), ':action': 'ACTION#' },
      }),
    );
    expect(audit.Items).toHaveLength(1);
    expect(days(audit.Items![0]!.expiresAt, audit.Items![0]!.at)).toBe(90);
  });

  it('holds a reading on target and keeps its recommendation for scale-in stabilisation', async () => {
    const outcome = await autoscaleOnReading(deps, pushed({ cpu: 58 }), ruleSwitches);

    expect(outcome).toMatchObject({ kind: 'held' });
    const state = await env.deps.ledger.loadAutopilotState('web');
    expect(state.version).toBe(1);
    expect(state.scaling.recommendations).toHaveLength(1);
    expect((await env.ecsService()).desiredCount).toBe(2);
  });

  it('scales in only after the stabilisation window agrees, on requests pushed every 15 s', async () => {
    env.setService(
      webService({
        scaling: scalingConfigSchema.parse({
          requestsPerTaskCapacity: 100,
          scaleInCooldownSeconds: 0,
          scaleInStabilisationSeconds: 30,
          preScaling: { enabled: false },
        }),
      }),
    );
    // A burst of 420 rps on 2 tasks (75 rps per task at target) asks for 6; then 150 rps on 6.
    const burst = await autoscaleOnReading(
      deps,
      pushed({ at: secondsAgo(75), requests: 420 }),
      ruleSwitches,
    );
    expect(burst).toMatchObject({ kind: 'decided', toCount: 6 });
    const d = await env.a.store.getDecision('web', (burst as { decisionId: string }).decisionId);
    await executeDecision(deps, d!, ruleSwitches);

    const quiet = (s: number) => pushed({ at: secondsAgo(s), requests: 150, tasks: 6 });
    const early = await autoscaleOnReading(deps, quiet(60), ruleSwitches);
    const later = await autoscaleOnReading(deps, quiet(15), ruleSwitches);

    // 150 rps / 75 per task = 2 tasks; 45 s after the burst the window has forgotten it.
    expect(early).toMatchObject({ kind: 'held', reason: expect.stringMatching(/higher count/) });
    expect(later).toMatchObject({ kind: 'decided', action: 'scale-in', toCount: 3 });
  });

  it('stores the reading a push carries, once, for the stream to pick up', async () => {
    const store = new PushedMetricStore(env.a.table);
    const at = '2026-11-22T10:00:15.000Z';
    const planned = scalingReadingOf(
      { serviceId: 'web', at, metrics: { requests: 310, tasks: 4, active_users: 12 } },
      new Date(at),
    );
    expect(planned).toEqual({
      reading: { serviceId: 'web', at, source: 'pushed', requests: 310, tasks: 4 },
    });
    if (!('reading' in planned) || !planned.reading) return;

    await store.putReading(planned.reading);
    await store.putReading({ ...planned.reading, requests: 999 });

    const item = await env.a.aws.dynamo.send(
      new GetCommand({
        TableName: env.stack.tableName,
        Key: { pk: servicePk('web'), sk: readingSk(at) },
      }),
    );
    expect(item.Item).toMatchObject({ kind: 'reading', requests: 310, tasks: 4 });
  });

  it('leaves services outside auto mode to anomaly decisions', async () => {
    env.setService(webService({ mode: 'approve' }));

    const outcome = await autoscaleOnReading(deps, pushed({ cpu: 99 }), ruleSwitches);

    expect(outcome).toEqual({
      kind: 'ignored',
      reason: 'target scaling runs in auto mode (mode is approve)',
    });
    expect((await env.ecsService()).desiredCount).toBe(2);
  });
});
