import { describe, expect, it } from 'vitest';
import { scalingConfigFor, type ScalingSettingsInput } from '../../../src/decision/scaling-config';
import { planScaling, type ScalingInput } from '../../../src/decision/scaling-plan';
import { emptyScalingState, type ScalingState } from '../../../src/decision/scaling-state';
import { queueWorkersNeeded } from '../../../src/decision/queue-workers';

const t0 = new Date('2026-01-01T00:00:00.000Z');
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

function config(settings: ScalingSettingsInput = {}, minTasks = 1, maxTasks = 50) {
  return scalingConfigFor({ minTasks, maxTasks, targets: { cpu: 70, memory: 75 } }, settings);
}

function service(desired: number, metrics: Partial<ScalingInput> = {}): ScalingInput {
  return { desiredCount: desired, runningCount: desired, pendingCount: 0, ...metrics };
}

describe('planScaling', () => {
  it('scales out in proportion to CPU over its target', () => {
    // Prepare
    const input = service(4, { cpu: 105 });
    // Act
    const plan = planScaling(input, emptyScalingState(), config(), t0);
    // Assess
    expect(plan.action).toBe('scale-out');
    expect(plan.desired).toBe(6);
    expect(plan.reason).toContain('cpu at 150% of target');
  });

  it('holds when an action was already taken on newer data than its own', () => {
    // Target scaling scaled out on the reading ending at t0 + 60 s; an anomaly at t0 comes later.
    const acted: ScalingState = { ...emptyScalingState(), lastScaleOutAt: at(60).getTime() };

    const plan = planScaling(service(4, { cpu: 105 }), acted, config(), t0);

    expect(plan).toMatchObject({
      action: 'hold',
      reason: 'an action on newer data was already taken',
    });
  });

  it('keeps a later recommendation when an earlier-timed plan comes in behind it', () => {
    // Prepare: target scaling recommended 8 at t0 + 60 s; an anomaly decision plans at t0 on a
    // quiet datapoint (4 tasks' worth).
    const later: ScalingState = {
      ...emptyScalingState(),
      recommendations: [{ at: at(60).getTime(), desired: 8 }],
    };
    // Act
    const plan = planScaling(
      service(8, { cpu: 35 }),
      later,
      config({ scaleInCooldownSeconds: 0 }),
      t0,
    );
    // Assess
    expect(plan.action).toBe('hold');
    expect(plan.state.recommendations.map((r) => r.desired).sort()).toEqual([4, 8]);
  });

  it('leaves the count alone while the metric is within 10% of target', () => {
    const plan = planScaling(service(4, { cpu: 76 }), emptyScalingState(), config(), t0);
    expect(plan.action).toBe('hold');
    expect(plan.desired).toBe(4);
  });

  it('lets the most loaded metric decide', () => {
    const plan = planScaling(
      service(4, { cpu: 35, memory: 150 }),
      emptyScalingState(),
      config(),
      t0,
    );
    expect(plan.desired).toBe(8);
    expect(plan.reason).toContain('memory');
  });

  it('adds at most max(+100%, +4 tasks) in one step', () => {
    const small = planScaling(service(2, { cpu: 700 }), emptyScalingState(), config(), t0);
    const large = planScaling(service(10, { cpu: 700 }), emptyScalingState(), config(), t0);
    expect(small.desired).toBe(6);
    expect(large.desired).toBe(20);
  });

  it('removes at most half the tasks in one step', () => {
    const plan = planScaling(
      service(10, { cpu: 7 }),
      emptyScalingState(),
      config({ scaleInStabilisationSeconds: 0 }),
      t0,
    );
    expect(plan.action).toBe('scale-in');
    expect(plan.desired).toBe(5);
  });

  it('waits for the scale-out cooldown before scaling out again', () => {
    const cfg = config({ scaleOutCooldownSeconds: 60 });
    const first = planScaling(service(4, { cpu: 105 }), emptyScalingState(), cfg, t0);
    const during = planScaling(service(6, { cpu: 105 }), first.state, cfg, at(30));
    const after = planScaling(service(6, { cpu: 105 }), during.state, cfg, at(61));
    expect(during.action).toBe('hold');
    expect(during.reason).toContain('cooldown');
    expect(after.action).toBe('scale-out');
  });

  it('keeps scale-in and scale-out cooldowns separate', () => {
    const cfg = config({
      scaleInCooldownSeconds: 600,
      scaleOutCooldownSeconds: 0,
      scaleInStabilisationSeconds: 0,
    });
    const scaledIn = planScaling(service(10, { cpu: 35 }), emptyScalingState(), cfg, t0);
    const outSoonAfter = planScaling(service(5, { cpu: 140 }), scaledIn.state, cfg, at(60));
    const inSoonAfter = planScaling(service(5, { cpu: 20 }), scaledIn.state, cfg, at(60));
    expect(scaledIn.action).toBe('scale-in');
    expect(outSoonAfter.action).toBe('scale-out');
    expect(inSoonAfter.action).toBe('hold');
  });

  it('scales in only to the highest count recommended over the last five minutes', () => {
    const cfg = config({ scaleInCooldownSeconds: 0 });
    let state: ScalingState = emptyScalingState();
    // A busy minute recommends 8, then load falls away.
    state = planScaling(service(8, { cpu: 70 }), state, cfg, t0).state;
    const soon = planScaling(service(8, { cpu: 20 }), state, cfg, at(120));
    const later = planScaling(service(8, { cpu: 20 }), soon.state, cfg, at(301));
    expect(soon.action).toBe('hold');
    expect(later.action).toBe('scale-in');
    expect(later.desired).toBe(4);
  });

  it('keeps the recommendation history bounded to the window', () => {
    const cfg = config();
    let state = emptyScalingState();
    for (let minute = 0; minute < 60; minute++) {
      state = planScaling(service(4, { cpu: 70 }), state, cfg, at(minute * 60)).state;
    }
    expect(state.recommendations.length).toBeLessThanOrEqual(5);
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
  });

  it('never goes below minTasks or above maxTasks', () => {
    const cfg = config({ scaleInStabilisationSeconds: 0 }, 2, 5);
    expect(planScaling(service(4, { cpu: 700 }), emptyScalingState(), cfg, t0).desired).toBe(5);
    expect(planScaling(service(3, { cpu: 1 }), emptyScalingState(), cfg, t0).desired).toBe(2);
    expect(planScaling(service(9), emptyScalingState(), cfg, t0)).toMatchObject({
      desired: 5,
      action: 'scale-in',
    });
  });

  it('does not scale in while new tasks are still starting', () => {
    const input: ScalingInput = { desiredCount: 8, runningCount: 4, pendingCount: 4, cpu: 10 };
    const plan = planScaling(
      input,
      emptyScalingState(),
      config({ scaleInStabilisationSeconds: 0 }),
      t0,
    );
    expect(plan.action).toBe('hold');
  });

  it('pre-scales for the load forecast within the start-up lead time', () => {
    const cfg = config({ requestsPerTaskCapacity: 100 });
    // 4 tasks at 75 rps each (the 75% target) are fine now; 600 rps is expected in two minutes.
    const input = service(4, {
      requestsPerTask: 75,
      forecastRequestRate: [300, 600, 600, 900, 900],
    });
    const plan = planScaling(input, emptyScalingState(), cfg, t0);
    expect(plan.desired).toBe(8);
    expect(plan.reason).toContain('forecast');
  });

  it('holds a scale-in when the forecast says the load returns within the stabilisation window', () => {
    const cfg = config({ requestsPerTaskCapacity: 100, scaleInStabilisationSeconds: 0 });
    // 8 tasks, 300 rps now (4 tasks' worth at 75 rps each); 600 rps is back in three minutes.
    const dip = service(8, { requestsPerTask: 37.5 });
    const returning = { ...dip, forecastRequestRate: [300, 300, 600, 600] };
    const leaving = { ...dip, forecastRequestRate: [300, 300, 300, 300] };

    const held = planScaling(returning, emptyScalingState(), cfg, t0);
    const scaledIn = planScaling(leaving, emptyScalingState(), cfg, t0);

    expect(held.action).toBe('hold');
    expect(held.reason).toContain('load is forecast back to 8 tasks');
    expect(scaledIn).toMatchObject({ action: 'scale-in', desired: 4 });
  });

  it('merges a scale-in with the load forecast: it stops at what the forecast needs', () => {
    const cfg = config({ requestsPerTaskCapacity: 100, scaleInStabilisationSeconds: 0 });
    // 10 tasks, 4 tasks' worth now, 6 tasks' worth within the window: one step to 6, not 5 then 6.
    const plan = planScaling(
      service(10, { requestsPerTask: 30, forecastRequestRate: [300, 450, 450] }),
      emptyScalingState(),
      cfg,
      t0,
    );

    expect(plan).toMatchObject({ action: 'scale-in', desired: 6 });
  });

  it('sizes queue workers from arrivals, processing time and target utilisation', () => {
    // 10 msg/s × 2 s ÷ 0.8 = 25 workers; a 1200-message backlog to drain in 300 s adds 10.
    const settings = { processingSeconds: 2, targetUtilisation: 0.8, backlogDrainSeconds: 300 };
    expect(queueWorkersNeeded(10, 0, settings)).toBe(25);
    expect(queueWorkersNeeded(10, 1200, settings)).toBe(35);
    const plan = planScaling(
      service(20, { queue: { arrivalRatePerSecond: 10, backlog: 0 } }),
      emptyScalingState(),
      config({ queue: settings }),
      t0,
    );
    expect(plan.desired).toBe(25);
  });
});
