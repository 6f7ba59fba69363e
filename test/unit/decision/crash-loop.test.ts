// Outage semantics (issue #14): 0 tasks running while some are desired is a crash loop, not a
// service to size on the desired count. The watch raises it, decide names it and picks its cure,
// target scaling holds.
import { describe, expect, it } from 'vitest';
import {
  decideFromAnomaly,
  emptyScalingState,
  outageAnomaly,
  planTargetScaling,
} from '../../../src/decision';
import { aSample, aService, anEcsState, ruleSwitches } from '../../support/builders';

const at = '2026-11-22T10:00:00.000Z';
const minutesBefore = (m: number) => new Date(Date.parse(at) - m * 60_000).toISOString();

function crashLoop(lastDeploymentAt: string | null) {
  const ecs = anEcsState({ desiredCount: 3, runningCount: 0, pendingCount: 2, lastDeploymentAt });
  return aSample({ at, metrics: { cpu: null, memory: null }, ecs });
}

function decide(lastDeploymentAt: string | null) {
  const sample = crashLoop(lastDeploymentAt);
  const anomaly = outageAnomaly(sample)!;
  return decideFromAnomaly({
    service: aService({ mode: 'auto' }),
    anomaly,
    sample,
    openAnomalies: [anomaly],
    forecasts: [],
    learned: [],
    scalingState: emptyScalingState(),
    recentDecisions: [],
    switches: ruleSwitches,
  }).decision;
}

describe('a crash loop', () => {
  it('is raised as a critical outage anomaly naming the running and desired counts', () => {
    const anomaly = outageAnomaly(crashLoop(null));

    expect(anomaly).toMatchObject({
      metric: 'running_tasks',
      source: 'outage',
      severity: 'critical',
      value: 0,
      expected: 3,
      explanation:
        '0 of 3 desired tasks running: an outage (tasks crash or fail to start, 2 pending)',
    });
    expect(outageAnomaly(aSample({ ecs: anEcsState() }))).toBeNull();
  });

  it('is rolled back when a deployment went out 10 minutes ago', () => {
    const decision = decide(minutesBefore(10));

    expect(decision.diagnosis).toBe('crash_loop');
    expect(decision.action).toBe('rollback');
    expect(decision.evidence).toContain('0 of 3 desired tasks running');
  });

  it('is told to a person when nothing was deployed recently: no scaling on tasks that are not there', () => {
    const decision = decide(minutesBefore(600));

    expect(decision.diagnosis).toBe('crash_loop');
    expect(decision.action).toBe('notify');
  });

  it('holds target scaling with reason outage instead of sizing on the desired count', () => {
    const result = planTargetScaling({
      service: aService({ mode: 'auto' }),
      reading: { serviceId: 'web', at, source: 'sample', cpu: 95, memory: 50 },
      ecs: { desiredCount: 3, runningCount: 0, pendingCount: 2 },
      forecastRequestRate: null,
      scalingState: emptyScalingState(),
      recentDecisions: [],
      switches: ruleSwitches,
      now: new Date(at),
    });

    expect(result.kind).toBe('hold');
    expect(result.kind === 'hold' && result.reason).toBe('outage: 0 of 3 desired tasks running');
  });
});
