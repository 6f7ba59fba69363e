import { describe, expect, it } from 'vitest';
import {
  allSwitchesOn,
  emptyScalingState,
  planTargetScaling,
  TARGET_SCALING_REQUESTER,
  type TargetScalingInput,
} from '../../../src/decision';
import { scalingConfigSchema, type Decision, type ScalingReading } from '../../../src/model';
import { aDecision, aService, decisionIds } from '../../support/builders';

const at = '2026-11-22T10:00:15.000Z';
const now = new Date('2026-11-22T10:00:17.000Z');

function reading(overrides: Partial<ScalingReading> = {}): ScalingReading {
  return { serviceId: 'web', at, source: 'pushed', cpu: 90, ...overrides };
}

function input(overrides: Partial<TargetScalingInput> = {}): TargetScalingInput {
  return {
    service: aService(),
    reading: reading(),
    ecs: { desiredCount: 4, runningCount: 4, pendingCount: 0 },
    forecastRequestRate: null,
    scalingState: emptyScalingState(),
    recentDecisions: [],
    switches: allSwitchesOn,
    now,
    ...overrides,
  };
}

function targetDecision(minutesAgo: number): Decision {
  const when = new Date(Date.parse(at) - minutesAgo * 60_000).toISOString();
  return aDecision({
    ...decisionIds('web', 'target', when),
    at: when,
    requestedBy: TARGET_SCALING_REQUESTER,
  });
}

describe('planTargetScaling', () => {
  it('scales out on a reading above target without any anomaly, as one approved decision', () => {
    // 4 tasks at 90% CPU against a 60% target → ceil(4 × 1.5) = 6.
    const result = planTargetScaling(input());

    expect(result.kind).toBe('act');
    if (result.kind !== 'act') return;
    expect(result.decision).toMatchObject({
      id: 'web~2026-11-22T10:00:15.000Z~target~decision',
      action: 'scale-out',
      fromCount: 4,
      toCount: 6,
      status: 'approved',
      requestedBy: 'vigia:autoscale',
    });
    expect(result.decision.reason).toMatch(/^target scaling \(pushed reading\): cpu at 150%/);
    // Verified after the window on whether CPU came back within target × (1 + tolerance).
    expect(result.decision.trigger).toEqual([
      { metric: 'cpu', value: 90, limit: 66, bad: 'above' },
    ]);
    expect(result.scalingState.lastReadingAt).toBe(Date.parse(at));
  });

  it('in forecast-only mode scales on measured load and records what pre-scaling would have done', () => {
    const scaling = (mode: 'act' | 'forecast-only') =>
      scalingConfigSchema.parse({ requestsPerTaskCapacity: 100, preScaling: { mode } });
    // 4 tasks serving 300 rps (the 75% target): fine now; 600 rps expected within the lead.
    const ahead = (mode: 'act' | 'forecast-only', recentDecisions: Decision[] = []) =>
      planTargetScaling(
        input({
          service: aService({ scaling: scaling(mode) }),
          reading: reading({ cpu: null, requests: 300, tasks: 4 }),
          forecastRequestRate: { expected: [450, 600], upper: [500, 700] },
          recentDecisions,
        }),
      );

    const acting = ahead('act');
    const trial = ahead('forecast-only');

    expect(acting.kind === 'act' && acting.decision).toMatchObject({
      status: 'approved',
      toCount: 8,
    });
    expect(trial.kind).toBe('act');
    if (trial.kind !== 'act') return;
    expect(trial.decision).toMatchObject({ status: 'skipped', action: 'scale-out', toCount: 8 });
    expect(trial.decision.reason).toMatch(/^forecast-only: pre-scaling would scale-out/);
    expect(trial.scalingState.lastScaleOutAt).toBeNull(); // nothing was done
    // The same recommendation is not recorded again on the next reading.
    expect(
      ahead('forecast-only', [{ ...trial.decision, at: '2026-11-22T09:59:15.000Z' }]).kind,
    ).toBe('hold');
  });

  it('sizes on the tasks that produced the reading, not on the tasks running now', () => {
    // The pushed 600 rps came from 4 tasks; 8 run now. 600 / 75 = 8 tasks: enough.
    const service = aService({
      scaling: scalingConfigSchema.parse({ requestsPerTaskCapacity: 100 }),
    });
    const result = planTargetScaling(
      input({
        service,
        reading: reading({ cpu: null, requests: 600, tasks: 4 }),
        ecs: { desiredCount: 8, runningCount: 8, pendingCount: 0 },
      }),
    );

    expect(result.kind).toBe('hold');
  });

  it('holds within tolerance and remembers the recommendation for scale-in stabilisation', () => {
    const result = planTargetScaling(input({ reading: reading({ cpu: 62 }) }));

    expect(result.kind).toBe('hold');
    if (result.kind !== 'hold') return;
    expect(result.scalingState.recommendations).toEqual([{ at: Date.parse(at), desired: 4 }]);
  });

  it('ignores a reading not newer than the last one used, so a redelivery changes nothing', () => {
    const used = { ...emptyScalingState(), lastReadingAt: Date.parse(at) };

    expect(planTargetScaling(input({ scalingState: used }))).toEqual({
      kind: 'ignored',
      reason: 'not newer than the last reading used',
    });
  });

  it('ignores stale or future readings, unknown ECS state, and services outside auto mode', () => {
    const late = planTargetScaling(input({ now: new Date('2026-11-22T10:03:16.000Z') }));
    const ahead = planTargetScaling(input({ now: new Date('2026-11-22T09:59:14.000Z') }));
    const replayedTick = planTargetScaling(
      input({ reading: reading({ source: 'sample' }), now: new Date('2026-11-22T09:50:00.000Z') }),
    );
    const noEcs = planTargetScaling(input({ ecs: null }));
    const approve = planTargetScaling(input({ service: aService({ mode: 'approve' }) }));
    const off = planTargetScaling(
      input({ switches: { ...allSwitchesOn, autoScalingEnabled: false } }),
    );

    expect(late).toMatchObject({ kind: 'ignored', reason: expect.stringMatching(/too old/) });
    expect(ahead).toMatchObject({ kind: 'ignored', reason: expect.stringMatching(/ahead of/) });
    // The collector's own tick time is trusted: the sample is planned on, not ignored (one sample
    // over target alone waits for a second: target-scaling-pairing.test.ts).
    expect(replayedTick.kind).toBe('hold');
    expect(noEcs).toMatchObject({ kind: 'ignored', reason: 'ECS state unknown' });
    expect(approve).toMatchObject({
      kind: 'ignored',
      reason: 'target scaling runs in auto mode (mode is approve)',
    });
    expect(off).toMatchObject({ kind: 'ignored', reason: 'AUTO_SCALING_ENABLED is false' });
  });

  it('stops at its hourly cap without starting a cooldown', () => {
    const service = aService({ scaling: scalingConfigSchema.parse({ maxActionsPerHour: 2 }) });
    const result = planTargetScaling(
      input({ service, recentDecisions: [targetDecision(50), targetDecision(10)] }),
    );
    const anHourOn = planTargetScaling(
      input({ service, recentDecisions: [targetDecision(61), targetDecision(10)] }),
    );

    expect(result).toMatchObject({
      kind: 'hold',
      reason: 'action cap: 2 target-scaling actions in the last hour',
    });
    if (result.kind === 'hold') expect(result.scalingState.lastScaleOutAt).toBeNull();
    expect(anHourOn.kind).toBe('act');
  });
});
