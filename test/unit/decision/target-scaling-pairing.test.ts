// Target scaling on CloudWatch samples (issue 14's false actions): a datapoint a minute or two old is
// sized on the tasks that produced it, and one noisy minute of utilisation does not act.
import { describe, expect, it } from 'vitest';
import {
  allSwitchesOn,
  emptyScalingState,
  planTargetScaling,
  rememberTasksSeen,
  tasksDuring,
  type ScalingState,
  type TargetScalingInput,
} from '../../../src/decision';
import { scalingConfigSchema, type ScalingReading } from '../../../src/model';
import { readingOfSample } from '../../../src/use-cases/autoscale';
import { aSample, aService } from '../../support/builders';

const MIN = 60_000;
const t = (minutes: number) => Date.parse('2026-11-22T10:00:00.000Z') + minutes * MIN;
const iso = (minutes: number) => new Date(t(minutes)).toISOString();

/** A collector sample's reading: the minute ending at `endMinute`, read two minutes later. */
function sampleInput(
  endMinute: number,
  cpu: number,
  ecs: { desiredCount: number; runningCount: number; pendingCount: number },
  scalingState: ScalingState,
  extra: Partial<ScalingReading> = {},
): TargetScalingInput {
  return {
    // targets: CPU 60, memory 75; min 2, max 10 → raise the max so a compounding scale-out shows.
    service: aService({ maxTasks: 60 }),
    reading: { serviceId: 'web', at: iso(endMinute), source: 'sample', cpu, ...extra },
    ecs,
    forecastRequestRate: null,
    scalingState,
    recentDecisions: [],
    switches: allSwitchesOn,
    now: new Date(t(endMinute + 1) + 5_000),
  };
}

describe('target scaling pairs a late datapoint with the tasks that produced it', () => {
  it('a sample reading does not claim ECS’s count at the collector’s tick as its producers', () => {
    const reading = readingOfSample(
      aSample({
        metrics: { cpu: 90 },
        ecs: {
          desiredCount: 17,
          runningCount: 17,
          pendingCount: 0,
          taskDefinition: 'web:1',
          deployments: 1,
          rolloutState: 'COMPLETED',
          lastDeploymentAt: null,
        },
      }),
    );
    expect(reading.tasks ?? null).toBeNull();
  });

  it('does not compound scale-outs: the tasks started since the datapoint are not counted again', () => {
    // 9 tasks ran through minute 10 at 90% CPU (target 60) and the service was scaled to 14 on it;
    // the 5 new tasks run by the time the next datapoint (still from 9 tasks) is read.
    const seen: ScalingState = {
      ...emptyScalingState(),
      recommendations: [{ at: t(10), desired: 14 }],
      lastScaleOutAt: t(10),
      lastReadingAt: t(10),
      tasksSeen: [
        { at: t(10) + 5_000, running: 9 },
        { at: t(11) + 5_000, running: 9 },
      ],
    };
    const result = planTargetScaling(
      sampleInput(11, 90, { desiredCount: 14, runningCount: 14, pendingCount: 0 }, seen),
    );

    // ceil(9 × 90 / 60) = 14: already asked for. Sized on the 14 running now it asked for 21.
    expect(result.kind).toBe('hold');
    if (result.kind !== 'hold') return;
    expect(result.plan.recommended).toBe(14);
    expect(result.scalingState.tasksSeen.at(-1)).toEqual({ at: t(12) + 5_000, running: 14 });
  });

  it('without any count seen over the minute, falls back to the count running now', () => {
    const result = planTargetScaling(
      sampleInput(
        11,
        30,
        { desiredCount: 8, runningCount: 8, pendingCount: 0 },
        emptyScalingState(),
      ),
    );
    // 8 × 30 / 60 = 4 tasks: scale-in is sized on the 8 running now.
    expect(result.kind !== 'ignored' && result.plan.recommended).toBe(4);
  });
});

describe('one noisy minute does not scale out', () => {
  const ecs = { desiredCount: 4, runningCount: 4, pendingCount: 0 };

  it('waits for a second reading over target when only CPU asks for more', () => {
    const once = planTargetScaling(sampleInput(11, 90, ecs, emptyScalingState()));

    expect(once).toMatchObject({
      kind: 'hold',
      reason: expect.stringMatching(/^scale-out to 6 waits for a second reading over target/),
    });
    if (once.kind !== 'hold') return;
    expect(once.scalingState.lastScaleOutAt).toBeNull();
    // The next minute is over target too: now it acts.
    const twice = planTargetScaling(sampleInput(12, 85, ecs, once.scalingState));
    expect(twice).toMatchObject({ kind: 'act', decision: { action: 'scale-out', toCount: 6 } });
  });

  it('does not act when the minute after the blip is back within target', () => {
    const once = planTargetScaling(sampleInput(11, 90, ecs, emptyScalingState()));
    if (once.kind !== 'hold') throw new Error('expected a hold');
    const after = planTargetScaling(sampleInput(12, 60, ecs, once.scalingState));
    const later = planTargetScaling(
      sampleInput(14, 90, ecs, after.kind === 'ignored' ? once.scalingState : after.scalingState),
    );

    expect(after.kind).toBe('hold');
    expect(later.kind).toBe('hold'); // a blip two minutes on is a new first reading
  });

  it('acts at once when the load forecast asks for more as well', () => {
    const service = aService({
      maxTasks: 60,
      scaling: scalingConfigSchema.parse({ requestsPerTaskCapacity: 100 }),
    });
    const result = planTargetScaling({
      ...sampleInput(11, 90, ecs, emptyScalingState()),
      service,
      forecastRequestRate: { expected: [450, 450], upper: [500, 500] },
    });

    expect(result).toMatchObject({ kind: 'act', decision: { action: 'scale-out' } });
  });
});

describe('tasks seen', () => {
  it('keeps a run of equal counts as its first and last sighting, and forgets old ones', () => {
    let seen = rememberTasksSeen([], 4, t(0));
    for (let m = 1; m <= 5; m++) seen = rememberTasksSeen(seen, 4, t(m));
    seen = rememberTasksSeen(seen, 6, t(6));
    expect(seen).toEqual([
      { at: t(0), running: 4 },
      { at: t(5), running: 4 },
      { at: t(6), running: 6 },
    ]);
    for (let m = 7; m <= 30; m++) seen = rememberTasksSeen(seen, 6, t(m));
    expect(seen).toEqual([
      { at: t(6), running: 6 },
      { at: t(30), running: 6 },
    ]);
  });

  it('averages the count over a window, a change placed halfway between sightings', () => {
    const seen = [
      { at: t(0), running: 4 },
      { at: t(1), running: 8 },
    ];
    expect(tasksDuring(seen, t(0), t(1))).toBe(6);
    expect(tasksDuring(seen, t(1), t(2))).toBe(8);
    expect(tasksDuring(seen, t(-2), t(-1))).toBeNull();
  });
});

describe('a scale-in shows in the next datapoint', () => {
  it('sizes the minute after a scale-in on the smaller count, not halfway between', () => {
    // 7 tasks at 30% CPU (target 60) through minute 10: 4 are enough → scale in to 4 (step limit 50%).
    const quiet: ScalingState = {
      ...emptyScalingState(),
      tasksSeen: [
        { at: t(9) + 5_000, running: 7 },
        { at: t(10) + 5_000, running: 7 },
      ],
      recommendations: [2, 3, 4].map((m) => ({ at: t(10) - m * MIN, desired: 4 })),
      // A calm series: its samples change by 2 % (scaling-evidence.ts), so 3.5 tasks' worth of
      // load is surely under 4.
      noise: { cpu: { at: t(10), last: 3.5, change: 0.02 } },
    };
    const ecs = { desiredCount: 7, runningCount: 7, pendingCount: 0 };
    const scaledIn = planTargetScaling(sampleInput(11, 30, ecs, quiet));
    expect(scaledIn).toMatchObject({ kind: 'act', decision: { action: 'scale-in', toCount: 4 } });
    if (scaledIn.kind !== 'act') return;

    // The scale-in went out at minute 12 + 5 s; minute 13's datapoint (read at 14 + 5 s) came from
    // 4 tasks, at 50% CPU: 4 × 50 / 60 = 3.3 → 4. With the change placed halfway between the
    // sightings (7 at 12 + 5 s, 4 at 14 + 5 s) it would be sized on 7 tasks and ask for 6.
    const next = planTargetScaling(
      sampleInput(
        13,
        50,
        { desiredCount: 4, runningCount: 4, pendingCount: 0 },
        scaledIn.scalingState,
      ),
    );
    expect(next.kind !== 'ignored' && next.plan.recommended).toBe(4);
  });
});
