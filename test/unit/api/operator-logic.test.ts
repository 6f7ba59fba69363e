// Pure API logic: recovery statistics, the recovery check, manual decisions and pushed metrics.
import { describe, expect, it } from 'vitest';
import {
  manualDecision,
  recoveryPlan,
  scaleActionFor,
  scaleOutOfBounds,
} from '../../../src/use-cases/manual-action';
import { mergePushedPoints, pushedPoints } from '../../../src/use-cases/pushed-metrics';
import { recoveryReport, type DecisionRecord } from '../../../src/use-cases/recovery-report';
import { aService } from '../../support/builders';

const service = aService({ ecs: { cluster: 'c', service: 'web' } });
const now = new Date('2026-01-31T12:00:00.000Z');

function decision(over: Partial<DecisionRecord>): DecisionRecord {
  return {
    id: 'x',
    serviceId: 'web',
    anomalyId: 'web~2026-01-31T11:00:00.000Z~cpu',
    at: '2026-01-31T11:00:00.000Z',
    action: 'scale-out',
    status: 'executed',
    result: null,
    ...over,
  };
}

describe('recovery report', () => {
  it('counts recoveries, success rate, mean time to recover, most common error and worst component', () => {
    const r = recoveryReport(
      [
        decision({ finishedAt: '2026-01-31T11:01:00.000Z' }),
        decision({ finishedAt: '2026-01-31T11:03:00.000Z' }),
        decision({
          serviceId: 'api',
          status: 'failed',
          result: 'ECS throttled',
          anomalyId: 'api~t~memory',
        }),
        decision({
          serviceId: 'api',
          status: 'failed',
          result: 'ECS throttled',
          anomalyId: 'api~t~cpu',
        }),
        decision({ status: 'proposed' }),
        decision({ action: 'notify' }),
      ],
      new Date('2026-01-01'),
      now,
    );
    expect(r.totalRecoveries).toBe(4);
    expect(r.successRate).toBe(0.5);
    // Anomaly → ECS call: time to act, not time to recover (nothing says these recovered).
    expect(r.timeToAct).toEqual({ count: 2, medianSeconds: 120, meanSeconds: 120 });
    expect(r.timeToRecover).toMatchObject({ count: 0, meanSeconds: null, unrecovered: 2 });
    expect(r.meanTimeToRecoverSeconds).toBeNull();
    expect(r.mostCommonError).toEqual({ name: 'cpu', count: 3 });
    expect(r.mostCommonFailure).toEqual({ result: 'ECS throttled', count: 2 });
    expect(r.mostProblematicComponent).toEqual({ serviceId: 'api', recoveries: 2, failed: 2 });
  });

  it('gives time to act and time to recover apart, on a crafted history', () => {
    const r = recoveryReport(
      [
        // Incident 10:59 → 11:12; vigia scaled out on the 11:00 anomaly, ECS answered at 11:01.
        decision({
          id: 'a',
          finishedAt: '2026-01-31T11:01:00.000Z',
          outcome: 'resolved',
          verifiedAt: '2026-01-31T11:06:30.000Z',
        }),
        // A second action in the same incident: the incident recovers once.
        decision({
          id: 'b',
          anomalyId: 'web~2026-01-31T11:04:00.000Z~memory',
          at: '2026-01-31T11:04:00.000Z',
          action: 'restart',
          finishedAt: '2026-01-31T11:04:30.000Z',
          outcome: 'not-resolved',
        }),
        // Target scaling outside any incident: recovered when verification said resolved.
        decision({
          id: 'c',
          anomalyId: 'web~2026-01-31T09:00:15.000Z~target',
          at: '2026-01-31T09:00:15.000Z',
          requestedBy: 'vigia:autoscale',
          finishedAt: '2026-01-31T09:00:20.000Z',
          outcome: 'resolved',
          verifiedAt: '2026-01-31T09:06:15.000Z',
        }),
        decision({
          id: 'd',
          serviceId: 'api',
          anomalyId: 'api~2026-01-31T08:00:15.000Z~target',
          action: 'scale-in',
          requestedBy: 'vigia:autoscale',
          finishedAt: '2026-01-31T08:00:25.000Z',
          outcome: 'worse',
        }),
      ],
      new Date('2026-01-31T00:00:00.000Z'),
      now,
      [
        {
          id: 'i1',
          serviceId: 'web',
          openedAt: '2026-01-31T10:59:00.000Z',
          resolvedAt: '2026-01-31T11:12:00.000Z',
        },
      ],
    );

    expect(r.timeToAct).toEqual({ count: 4, medianSeconds: 20, meanSeconds: 26.3 });
    // 13 min for the incident, 6 min for the target-scaling action; the worse scale-in never did.
    expect(r.timeToRecover).toEqual({
      count: 2,
      medianSeconds: 570,
      meanSeconds: 570,
      unrecovered: 1,
    });
    expect(r.meanTimeToRecoverSeconds).toBe(570);
    expect(r.byService).toEqual({
      api: { recoveries: 1, succeeded: 0, failed: 1, successRate: 0 },
      web: { recoveries: 3, succeeded: 2, failed: 1, successRate: 2 / 3 },
    });
    expect(r.byAction).toEqual({
      restart: { recoveries: 1, succeeded: 0, failed: 1, successRate: 0 },
      'scale-in': { recoveries: 1, succeeded: 0, failed: 1, successRate: 0 },
      'scale-out': { recoveries: 2, succeeded: 2, failed: 0, successRate: 1 },
    });
    expect(r.accuracy.overall).toMatchObject({ verified: 4, resolved: 2, accuracy: 0.5 });
    expect(r.accuracy.byAction['scale-in']).toMatchObject({ verified: 1, worse: 1, accuracy: 0 });
    expect(r.accuracy.targetScaling).toMatchObject({
      verified: 2,
      resolved: 1,
      worse: 1,
      accuracy: 0.5,
    });
  });

  it('judges by the verified outcome when there is one', () => {
    const r = recoveryReport([decision({ outcome: 'worse' })], now, now);
    expect(r.successRate).toBe(0);
  });

  it('reports nothing rather than NaN when there were no recoveries', () => {
    const r = recoveryReport([], now, now);
    expect(r).toMatchObject({
      totalRecoveries: 0,
      successRate: null,
      meanTimeToRecoverSeconds: null,
      mostCommonError: null,
    });
  });
});

describe('recovery check', () => {
  const ecs = {
    desiredCount: 3,
    runningCount: 3,
    pendingCount: 0,
    taskDefinition: 't',
    deployments: 1,
    rolloutState: null,
    lastDeploymentAt: null,
  };
  it('restarts a service whose tasks are not running', () => {
    const plan = recoveryPlan(
      service,
      { serviceId: 'web', at: now.toISOString(), metrics: {}, ecs: { ...ecs, runningCount: 0 } },
      [],
      now,
    );
    expect(plan.remedy?.action).toBe('restart');
    expect(plan.checks.find((c) => c.name === 'tasks running')?.ok).toBe(false);
  });

  it('scales out in proportion to the worst utilisation, within maxTasks', () => {
    const plan = recoveryPlan(
      service,
      { serviceId: 'web', at: now.toISOString(), metrics: { cpu: 90, memory: 50 }, ecs },
      [],
      now,
    );
    expect(plan.remedy).toMatchObject({ action: 'scale-out', toCount: 5 });
  });

  it('does nothing when every check passes', () => {
    const plan = recoveryPlan(
      service,
      { serviceId: 'web', at: now.toISOString(), metrics: { cpu: 30, memory: 50 }, ecs },
      [],
      now,
    );
    expect(plan.remedy).toBeNull();
    expect(plan.checks.every((c) => c.ok)).toBe(true);
  });
});

describe('manual decisions', () => {
  it('are approved, attributed, and carry ids that sort by time', () => {
    const d = manualDecision({
      service,
      requestedBy: 'api:ops',
      requestKey: 'req/1',
      now,
      currentCount: 3,
      action: 'scale-in',
      toCount: 2,
      reason: 'manual',
    });
    expect(d).toMatchObject({ status: 'approved', requestedBy: 'api:ops', serviceId: 'web' });
    expect(d.id).toBe('web~2026-01-31T12:00:00.000Z~manual-req1~decision');
  });

  it('pick scale-in or scale-out from the current count and keep to min/max', () => {
    expect(scaleActionFor(4, 2)).toBe('scale-in');
    expect(scaleActionFor(null, 2)).toBe('scale-out');
    expect(scaleOutOfBounds(service, 11)).toMatch(/maxTasks 10/);
    expect(scaleOutOfBounds(service, 2)).toBeNull();
  });
});

describe('pushed metrics', () => {
  it('land on the minute grid and refuse far-off timestamps', () => {
    const out = pushedPoints(
      { serviceId: 'web', at: '2026-01-31T11:59:42.500Z', metrics: { users: 5 } },
      now,
    );
    expect('points' in out && out.points[0]!.minute).toBe('2026-01-31T11:59:00.000Z');
    const future = pushedPoints(
      { serviceId: 'web', at: '2026-01-31T13:00:00.000Z', metrics: { users: 5 } },
      now,
    );
    expect('error' in future && future.error.path).toBe('at');
  });

  it('merge into a metric batch with the latest push per minute winning', () => {
    const batch = mergePushedPoints([
      {
        serviceId: 'web',
        metric: 'users',
        minute: '2026-01-31T11:59:00.000Z',
        value: 1,
        pushedAt: '2026-01-31T11:59:10.000Z',
      },
      {
        serviceId: 'web',
        metric: 'users',
        minute: '2026-01-31T11:59:00.000Z',
        value: 2,
        pushedAt: '2026-01-31T11:59:50.000Z',
      },
      {
        serviceId: 'web',
        metric: 'users',
        minute: '2026-01-31T11:58:00.000Z',
        value: 7,
        pushedAt: '2026-01-31T11:58:10.000Z',
      },
    ]);
    expect(
      batch
        .get('web')
        ?.get('users')
        ?.map((p) => p.value),
    ).toEqual([7, 2]);
  });
});
