// Issue #14 (d): vigia's own restarts and rollbacks are deployments too, but not releases. A bad
// release restarted by vigia must still be rolled back; a rollback must not be rolled back again.
import { describe, expect, it } from 'vitest';
import {
  decideFromAnomaly,
  diagnose,
  emptyScalingState,
  latestRelease,
  primaryDiagnosis,
  type EngineInput,
} from '../../../src/decision';
import type { Anomaly, Decision } from '../../../src/model';
import {
  aDecision,
  aService,
  anAnomaly,
  anEcsState,
  aSample,
  ruleSwitches,
} from '../../support/builders';

const TD = (n: number) => `arn:aws:ecs:us-east-1:1:task-definition/web-task:${n}`;
const released = '2026-11-22T09:00:00.000Z';
const restartedAt = '2026-11-22T09:10:04.000Z';

function errors(at: string): Anomaly {
  return anAnomaly({
    metric: 'error_rate',
    at,
    value: 23,
    direction: 'up',
    upper: 10,
    severity: 'critical',
  });
}

/** vigia's restart at 09:10 of the release of 09:00 (revision 8). */
function restart(): Decision {
  return aDecision({
    at: '2026-11-22T09:10:00.000Z',
    action: 'restart',
    status: 'executed',
    claimedAt: '2026-11-22T09:10:03.000Z',
    finishedAt: '2026-11-22T09:10:05.000Z',
    before: { desiredCount: 4, runningCount: 4, taskDefinition: TD(8), lastDeploymentAt: released },
    after: {
      desiredCount: 4,
      runningCount: 4,
      taskDefinition: TD(8),
      lastDeploymentAt: restartedAt,
    },
  });
}

function rollback(): Decision {
  return aDecision({
    at: '2026-11-22T09:10:00.000Z',
    action: 'rollback',
    status: 'executed',
    claimedAt: '2026-11-22T09:10:03.000Z',
    finishedAt: '2026-11-22T09:10:05.000Z',
    before: { desiredCount: 4, runningCount: 4, taskDefinition: TD(8), lastDeploymentAt: released },
    after: {
      desiredCount: 4,
      runningCount: 4,
      taskDefinition: TD(7),
      lastDeploymentAt: restartedAt,
    },
  });
}

function engineInput(taskDefinition: string, decisions: Decision[]): EngineInput {
  const at = '2026-11-22T09:21:00.000Z';
  return {
    service: aService(),
    anomaly: errors(at),
    sample: aSample({
      at,
      metrics: { cpu: 40, memory: 50, error_rate: 23 },
      ecs: anEcsState({
        taskDefinition,
        desiredCount: 4,
        runningCount: 4,
        lastDeploymentAt: restartedAt,
      }),
    }),
    // Errors since one minute after the release, every minute.
    openAnomalies: [errors('2026-11-22T09:08:00.000Z'), errors('2026-11-22T09:15:00.000Z')],
    forecasts: [],
    learned: [],
    scalingState: emptyScalingState(),
    recentDecisions: decisions,
    switches: ruleSwitches,
  };
}

describe('latestRelease', () => {
  it("follows vigia's restart back to the deployment it replaced", () => {
    const ecs = anEcsState({ taskDefinition: TD(8), lastDeploymentAt: restartedAt });
    expect(latestRelease(ecs, [restart()])).toEqual({ taskDefinition: TD(8), at: released });
  });

  it("takes nobody's deployment for a release when vigia's rollback made it", () => {
    const ecs = anEcsState({ taskDefinition: TD(7), lastDeploymentAt: restartedAt });
    expect(latestRelease(ecs, [rollback()])).toBeNull();
  });

  it('takes a deployment vigia did not make as the release', () => {
    const ecs = anEcsState({ taskDefinition: TD(8), lastDeploymentAt: released });
    expect(latestRelease(ecs, [])).toEqual({ taskDefinition: TD(8), at: released });
  });
});

describe('a bad release and vigia’s own deployments', () => {
  it('rolls back a bad release that a restart did not mend, instead of restarting it again', () => {
    const { decision } = decideFromAnomaly(engineInput(TD(8), [restart()]));
    expect(decision.diagnosis).toBe('bad_deploy');
    expect(decision.action).toBe('rollback');
    expect(decision.status).toBe('approved');
  });

  it('does not roll back its own rollback while the fault lasts', () => {
    const { decision } = decideFromAnomaly(engineInput(TD(7), [rollback()]));
    expect(decision.diagnosis).not.toBe('bad_deploy');
    expect(decision.action).not.toBe('rollback');
  });
});

describe('bad_deploy and what came before the release', () => {
  const now = new Date('2026-11-22T09:10:00.000Z');
  const sample = aSample({
    at: now.toISOString(),
    metrics: { cpu: 40, error_rate: 23 },
    ecs: anEcsState({ taskDefinition: TD(8), lastDeploymentAt: released }),
  });
  const memoryBlip = anAnomaly({ metric: 'memory', at: '2026-11-22T08:54:00.000Z' });

  it('is not hidden by a noisy minute of another metric just before the release', () => {
    const input = { sample, openAnomalies: [memoryBlip, errors('2026-11-22T09:01:00.000Z')], now };
    expect(primaryDiagnosis(diagnose(input))).toBe('bad_deploy');
  });

  it('is not blamed for a fault that was already there before the release', () => {
    const input = {
      sample,
      openAnomalies: [errors('2026-11-22T08:57:00.000Z'), errors('2026-11-22T09:01:00.000Z')],
      now,
    };
    expect(diagnose(input).map((d) => d.name)).not.toContain('bad_deploy');
  });

  it('is not blamed for CPU that fell with the requests in the same minute', () => {
    // Three minutes after the release, a dip of load: requests and CPU both below usual. A healthy
    // release was rolled back on such a minute (incidents seed 19, crash-loop #1).
    const dip = (metric: string, value: number) =>
      anAnomaly({ metric, at: '2026-11-22T09:03:00.000Z', value, direction: 'down' });
    const input = { sample, openAnomalies: [dip('cpu', 55), dip('requests', 160)], now };
    expect(diagnose(input).map((d) => d.name)).not.toContain('bad_deploy');
    // CPU falling while requests hold is not the traffic's doing: the release is still suspect.
    const alone = { sample, openAnomalies: [dip('cpu', 55)], now };
    expect(diagnose(alone).map((d) => d.name)).toContain('bad_deploy');
  });

  it('is not blamed for more traffic', () => {
    const input = {
      sample,
      openAnomalies: [anAnomaly({ metric: 'requests', at: '2026-11-22T09:02:00.000Z' })],
      now,
    };
    expect(diagnose(input).map((d) => d.name)).not.toContain('bad_deploy');
  });
});
