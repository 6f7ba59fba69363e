// Issue #14: target scaling reads back what verification learned of its steps on this service
// (action-learning.ts rows under the diagnosis `target`): steps that did not hold weigh on the next.
import { describe, expect, it } from 'vitest';
import {
  allSwitchesOn,
  emptyScalingState,
  planTargetScaling,
  priorFor,
  recordOutcome,
  type ActionStats,
  type ScalingState,
  type TargetScalingInput,
} from '../../../src/decision';
import type { ScalingReading } from '../../../src/model';
import { aService } from '../../support/builders';

const MIN = 60_000;
const t = (minutes: number) => Date.parse('2026-11-22T10:00:00.000Z') + minutes * MIN;
const iso = (minutes: number) => new Date(t(minutes)).toISOString();

function input(
  values: Partial<ScalingReading>,
  ecs: TargetScalingInput['ecs'],
  scalingState: ScalingState,
  learned?: ActionStats[],
  endMinute = 11,
): TargetScalingInput {
  return {
    // CPU target 60, no request metrics: a second reading confirms a scale-out.
    service: aService({ maxTasks: 60 }),
    reading: { serviceId: 'web', at: iso(endMinute), source: 'sample', ...values },
    ecs,
    forecastRequestRate: null,
    scalingState,
    recentDecisions: [],
    switches: allSwitchesOn,
    now: new Date(t(endMinute + 1) + 5_000),
    ...(learned ? { learned } : {}),
  };
}

const learnedOf = (
  action: 'scale-in' | 'scale-out',
  ...outcomes: Parameters<typeof recordOutcome>[1][]
) => outcomes.reduce((s, o) => recordOutcome(s, o), priorFor('target', action));

describe('scale-ins this service had undone', () => {
  // 6 tasks at 28% CPU (target 60) for minutes, a calm series (its samples change by 2 %): 2.8
  // tasks' worth of load, surely under 3; the 50% step limit allows 3.
  const quiet: ScalingState = {
    ...emptyScalingState(),
    recommendations: [2, 3, 4].map((m) => ({ at: t(10) - m * MIN, desired: 3 })),
    noise: { cpu: { at: t(10), last: 2.8, change: 0.02 } },
  };
  const six = { desiredCount: 6, runningCount: 6, pendingCount: 0 };

  it('scales in as far as the load allows when nothing was learned', () => {
    const result = planTargetScaling(input({ cpu: 28 }, six, quiet));
    expect(result).toMatchObject({ kind: 'act', decision: { action: 'scale-in', toCount: 3 } });
  });

  it('keep one task of headroom once its scale-ins were judged worse', () => {
    const learned = [learnedOf('scale-in', 'worse')];
    const result = planTargetScaling(input({ cpu: 28 }, six, quiet, learned));
    expect(result).toMatchObject({ kind: 'act', decision: { action: 'scale-in', toCount: 4 } });
    if (result.kind !== 'act') return;
    expect(result.decision.reason).toMatch(/one task of headroom kept \(1 of 1 verified scale-ins/);
  });

  it('hold when that headroom is the one task the scale-in would remove', () => {
    const three = { desiredCount: 3, runningCount: 3, pendingCount: 0 };
    const state: ScalingState = {
      ...emptyScalingState(),
      recommendations: [2, 3, 4].map((m) => ({ at: t(10) - m * MIN, desired: 2 })),
    };
    const learned = [learnedOf('scale-in', 'worse', 'resolved')];
    expect(planTargetScaling(input({ cpu: 30 }, three, state)).kind).toBe('act');
    expect(planTargetScaling(input({ cpu: 30 }, three, state, learned))).toMatchObject({
      kind: 'hold',
      reason: expect.stringMatching(/^scale-in to 2 held: 1 of 2 verified scale-ins/),
    });
  });

  it('scale-ins that held are not doubted', () => {
    const learned = [learnedOf('scale-in', 'resolved', 'resolved')];
    const result = planTargetScaling(input({ cpu: 28 }, six, quiet, learned));
    expect(result).toMatchObject({ kind: 'act', decision: { toCount: 3 } });
  });
});

describe('scale-outs that did not bring the service back under target', () => {
  const four = { desiredCount: 4, runningCount: 4, pendingCount: 0 };

  it('wait for one reading more before the next', () => {
    const learned = [learnedOf('scale-out', 'not-resolved', 'not-resolved')];
    let state = emptyScalingState();
    const kinds = [90, 88, 91].map((cpu, k) => {
      const r = planTargetScaling(input({ cpu }, four, state, learned, 11 + k));
      if (r.kind !== 'ignored') state = r.scalingState;
      return r.kind;
    });
    expect(kinds).toEqual(['hold', 'hold', 'act']);
  });

  it('without that lesson a second reading is enough', () => {
    const learned = [learnedOf('scale-out', 'resolved')];
    let state = emptyScalingState();
    const kinds = [90, 88].map((cpu, k) => {
      const r = planTargetScaling(input({ cpu }, four, state, learned, 11 + k));
      if (r.kind !== 'ignored') state = r.scalingState;
      return r.kind;
    });
    expect(kinds).toEqual(['hold', 'act']);
  });
});
