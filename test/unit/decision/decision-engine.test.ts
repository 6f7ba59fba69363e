import { describe, expect, it } from 'vitest';
import {
  allSwitchesOn,
  decideFromAnomaly,
  emptyScalingState,
  type EngineInput,
} from '../../../src/decision';
import { scalingConfigSchema, type Decision } from '../../../src/model';
import {
  aDecision,
  aSample,
  aService,
  anAnomaly,
  anEcsState,
  ruleSwitches,
} from '../../support/builders';

const rules = ruleSwitches;
const ecs = anEcsState();

function input(
  overrides: Partial<EngineInput> = {},
  metrics = { cpu: 90, memory: 50 },
): EngineInput {
  return {
    service: aService(),
    anomaly: anAnomaly({ value: metrics.cpu }),
    sample: aSample({ metrics, ecs }),
    openAnomalies: [],
    forecasts: [],
    learned: [],
    scalingState: emptyScalingState(),
    recentDecisions: [],
    switches: rules,
    ...overrides,
  };
}

function executed(at: string, action: Decision['action'] = 'scale-out'): Decision {
  return aDecision({ at, action });
}

describe('decideFromAnomaly', () => {
  it('explains a scale-out: diagnosis with evidence, matched policies, sized by the scaling math', () => {
    const { decision, scalingState } = decideFromAnomaly(input());

    expect(decision).toMatchObject({
      action: 'scale-out',
      status: 'approved',
      fromCount: 2,
      toCount: 3,
      diagnosis: 'overload',
      evidence: ['cpu 90% ≥ 80%'],
      // scale-out-cpu holds only through the watch, for its 3-minute window.
      policies: ['scale-out-above-target', 'notify-anomaly'],
      allowedActions: ['scale-out', 'notify'],
      choice: { how: 'rule' },
    });
    expect(decision.reason).toBe(
      'overload; policy scale-out-above-target: cpu at 150% of target: 2 → 3 tasks',
    );
    expect(scalingState.lastScaleOutAt).toBe(Date.parse('2026-11-22T10:00:00.000Z'));
  });

  it('picks a rollback for a bad deploy and keeps the running task definition for the audit', () => {
    const { decision } = decideFromAnomaly(
      input(
        {
          anomaly: anAnomaly({ metric: 'errors_5xx', value: 50 }),
          sample: {
            serviceId: 'web',
            at: '2026-11-22T10:00:00.000Z',
            metrics: { cpu: 30, errors_5xx: 50, requests: 100 },
            ecs: { ...ecs, lastDeploymentAt: '2026-11-22T09:55:00.000Z' },
          },
        },
        { cpu: 30, memory: 50 },
      ),
    );

    expect(decision).toMatchObject({
      action: 'rollback',
      diagnosis: 'bad_deploy',
      status: 'approved',
      taskDefinition: ecs.taskDefinition,
    });
  });

  it('records an anomaly no policy acts on, touching nothing', () => {
    const { decision } = decideFromAnomaly(
      input({ anomaly: anAnomaly({ value: 50, score: 0.5 }) }, { cpu: 50, memory: 50 }),
    );

    expect(decision).toMatchObject({
      action: 'notify',
      status: 'skipped',
      result: 'no policy matched: recorded only',
    });
  });

  it('holds inside the scale-out cooldown, remembering the recommendation but not restarting the clock', () => {
    const lastScaleOutAt = Date.parse('2026-11-22T09:59:30.000Z');
    const service = aService({
      scaling: scalingConfigSchema.parse({ scaleOutCooldownSeconds: 60 }),
    });
    const { decision, scalingState } = decideFromAnomaly(
      input({ service, scalingState: { ...emptyScalingState(), lastScaleOutAt } }),
    );

    expect(decision).toMatchObject({ action: 'scale-out', status: 'skipped' });
    expect(decision.result).toMatch(/^hold: scale-out to 3 waits for the scale-out cooldown/);
    expect(scalingState.lastScaleOutAt).toBe(lastScaleOutAt);
    expect(scalingState.recommendations).toHaveLength(1);
  });

  it('caps autopilot actions per sliding hour, but not operators’ ones', () => {
    const service = aService({ maxActionsPerHour: 2 });
    const mine = [executed('2026-11-22T09:10:00.000Z'), executed('2026-11-22T09:30:00.000Z')];
    const operators = mine.map((d) => ({ ...d, requestedBy: 'key:ops' }));

    const capped = decideFromAnomaly(input({ service, recentDecisions: mine })).decision;
    const free = decideFromAnomaly(input({ service, recentDecisions: operators })).decision;
    const anHourLater = decideFromAnomaly(
      input({ service, recentDecisions: [executed('2026-11-22T08:59:00.000Z'), mine[1]!] }),
    ).decision;

    expect(capped).toMatchObject({
      status: 'skipped',
      result: 'action cap: 2 actions in the last hour',
    });
    expect(free.status).toBe('approved');
    expect(anHourLater.status).toBe('approved');
  });

  it('does not restart twice within the recovery cooldown', () => {
    const errors = {
      // The watch's anomaly: alert-error-rate's 2-minute window held.
      anomaly: anAnomaly({
        metric: 'error_rate',
        value: 50,
        source: 'threshold',
        policy: 'alert-error-rate',
      }),
      sample: {
        serviceId: 'web',
        at: '2026-11-22T10:00:00.000Z',
        metrics: { cpu: 30, errors_5xx: 50, requests: 100 },
        ecs,
      },
    };
    const { decision } = decideFromAnomaly(
      input({ ...errors, recentDecisions: [executed('2026-11-22T09:55:00.000Z', 'restart')] }),
    );

    expect(decision).toMatchObject({ action: 'restart', status: 'skipped' });
    expect(decision.result).toBe('cooldown: restart at 2026-11-22T09:55:00.000Z');
  });

  it('replays exactly: the learned choice is seeded by the decision id', () => {
    const learnedInput = input({ switches: allSwitchesOn });

    expect(decideFromAnomaly(learnedInput).decision).toEqual(
      decideFromAnomaly(learnedInput).decision,
    );
  });
});
