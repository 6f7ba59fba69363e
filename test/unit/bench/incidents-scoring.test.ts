import { describe, expect, it } from 'vitest';
import type { FleetMinute } from '../../../bench/incidents/fleet-sim';
import type { SystemRun } from '../../../bench/incidents/play';
import { makeScenario } from '../../../bench/incidents/scenarios';
import { scoreRun, timeToRecover, totalOf } from '../../../bench/incidents/scoring';

const plateau = makeScenario('plateau', 1, 7); // latency for good: never healthy again
const spike = makeScenario('load-spike', 0, 7);

function minute(minuteIndex: number, healthy: boolean): FleetMinute {
  return {
    minute: minuteIndex,
    cpu: 60,
    cpuReported: 60,
    memory: 50,
    requestRate: 200,
    requestsPerTask: 30,
    p95Ms: healthy ? 200 : 3000,
    latencyReported: healthy ? 200 : 3000,
    tasks: 6,
    errorRate: 0.3,
    probeFailures: 0,
    desired: 6,
    running: 6,
    pending: 0,
    servingRevisions: [7],
    leakedPercent: 0,
    deploymentStartedAt: -86_400,
    rolloutComplete: true,
  };
}

function runOf(
  healthyFrom: (m: number) => boolean,
  over: Partial<SystemRun> = {},
  end = 400,
): SystemRun {
  return {
    system: 'vigia',
    minutes: Array.from({ length: end }, (_, m) => minute(m, healthyFrom(m))),
    actions: [],
    messages: [],
    detectedAtMinute: null,
    diagnosis: null,
    ...over,
  };
}

describe('scoring "resolved" messages', () => {
  it('counts a resolved message sent while the service is still bad as wrong', () => {
    const F = plateau.faultMinute;
    const run = runOf((m) => m < F, {
      messages: [
        { at: (F + 2) * 60 + 5, resolved: false },
        { at: (F + 9) * 60 + 5, resolved: true },
      ],
    });

    const score = scoreRun(plateau, run);

    expect(score.wrongResolved).toBe(1);
    expect(score.messages).toBe(2);
  });

  it('does not count the resolved message of a blip before a fault no autopilot can end', () => {
    const crash = makeScenario('crash-loop', 1, 3); // no deployment behind it: people must end it
    const F = crash.faultMinute;
    const run = runOf((m) => m < F, {
      messages: [
        { at: (F - 16) * 60 + 5, resolved: false },
        { at: (F - 12) * 60 + 5, resolved: true },
      ],
    });

    const score = scoreRun(crash, run);

    expect(crash.resolvable).toBe(false);
    expect(score.wrongResolved).toBe(0);
  });

  it('does not count the "resolved" of an earlier blip sent as a fault begins, unseen yet', () => {
    // Sent at tick F + 1: it speaks of minute F, the fault's first, which no CloudWatch reader has
    // seen (the newest datapoint is of F - 1, healthy). At tick F + 3 the fault was published.
    const F = plateau.faultMinute;
    const run = runOf((m) => m < F, {
      messages: [
        { at: (F - 8) * 60 + 5, resolved: false },
        { at: (F + 1) * 60 + 5, resolved: true },
      ],
    });
    const late = runOf((m) => m < F, { messages: [{ at: (F + 3) * 60 + 5, resolved: true }] });

    expect(scoreRun(plateau, run)).toMatchObject({ wrongResolved: 0, wrongResolvedLastMinute: 1 });
    expect(scoreRun(plateau, late)).toMatchObject({ wrongResolved: 1, wrongResolvedLastMinute: 1 });
  });

  it('does not count a resolved message sent once the service is healthy again', () => {
    const F = spike.faultMinute;
    const run = runOf((m) => m < F || m >= F + 4, {
      messages: [
        { at: (F + 1) * 60 + 5, resolved: false },
        // Sent at tick F + 5: it speaks of minute F + 4, which was healthy.
        { at: (F + 5) * 60 + 5, resolved: true },
      ],
      actions: [{ at: (F + 1) * 60, action: 'scale-out', detail: '6 → 9' }],
    });

    const score = scoreRun(spike, run);

    expect(score).toMatchObject({
      wrongResolved: 0,
      recoverMinutes: 4,
      autoResolved: true,
      firstAction: 'scale-out',
      actionRight: true,
    });
  });
});

describe('time to recover', () => {
  it('is 0 when users never noticed the fault', () => {
    expect(timeToRecover(spike, () => true)).toBe(0);
  });

  it('waits for a healthy streak: one good minute in a bad patch is not recovery', () => {
    const F = spike.faultMinute;
    const healthy = (m: number) => m < F || m === F + 2 || m >= F + 6;

    expect(timeToRecover(spike, healthy)).toBe(6);
  });

  it('is null for a plateau that never ends, and the total counts it as the whole scenario', () => {
    const F = spike.faultMinute;
    const never = scoreRun(
      spike,
      runOf((m) => m < F),
    );

    expect(never.recoverMinutes).toBeNull();
    expect(never.autoResolved).toBe(false);
    expect(totalOf([never], [spike]).mttrMinutes).toBe(spike.endMinute - spike.faultMinute);
  });
});

describe('scoring the first action', () => {
  it('a notify cure is wrong as soon as the service is touched, even after a message', () => {
    const F = plateau.faultMinute;
    const run = runOf((m) => m < F, {
      messages: [{ at: (F + 1) * 60, resolved: false }],
      actions: [{ at: (F + 3) * 60, action: 'restart', detail: 'revision 7' }],
    });

    expect(scoreRun(plateau, run)).toMatchObject({ firstAction: 'restart', actionRight: false });
    expect(scoreRun(plateau, { ...run, actions: [] })).toMatchObject({
      firstAction: 'notify',
      actionRight: true,
    });
  });
});
