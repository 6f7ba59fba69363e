import { describe, expect, it } from 'vitest';
import {
  allSwitchesOn,
  awaitsVerification,
  compensationDecision,
  emptyLearningSummary,
  emptyScalingState,
  judgeDecision,
  metricsAfter,
  planTargetScaling,
  priorFor,
  recordOutcome,
  verificationDueAt,
  withOutcome,
} from '../../../src/decision';
import type { Decision } from '../../../src/model';
import { aDecision, aService, aSample } from '../../support/builders';

const scaleOut = aDecision({
  toCount: 4,
  result: 'desired count 2 → 4',
  diagnosis: 'overload',
  trigger: [{ metric: 'cpu', value: 93, limit: 66, bad: 'above' }],
  before: { desiredCount: 2, runningCount: 2, taskDefinition: 'web-task:3' },
  after: { desiredCount: 4, runningCount: 4, taskDefinition: 'web-task:3' },
});
const sample = (at: string, metrics: Record<string, number | null>) => aSample({ at, metrics });

describe('verification', () => {
  it('waits for executed, metric-triggered decisions that have no outcome yet', () => {
    expect(awaitsVerification(scaleOut)).toBe(true);
    expect(awaitsVerification({ ...scaleOut, outcome: 'resolved' })).toBe(false);
    expect(awaitsVerification({ ...scaleOut, status: 'failed' })).toBe(false);
    expect(awaitsVerification({ ...scaleOut, trigger: undefined })).toBe(false);
  });

  it('reads the first sample after the window, filling a missing metric from the next', () => {
    const due = verificationDueAt(scaleOut, 5);
    const after = metricsAfter(
      [
        sample('2026-11-22T10:04:00.000Z', { cpu: 80 }),
        sample('2026-11-22T10:06:00.000Z', { cpu: 52, memory: 40 }),
        sample('2026-11-22T10:05:00.000Z', { cpu: 50, memory: null }),
      ],
      due,
    );

    expect(after).toEqual({ cpu: 50, memory: 40 });
    expect(metricsAfter([sample('2026-11-22T10:04:00.000Z', { cpu: 80 })], due)).toBeNull();
  });

  it('judges resolved, not resolved and worse from the trigger metrics', () => {
    expect(judgeDecision(scaleOut, { cpu: 50 })).toEqual({
      outcome: 'resolved',
      detail: 'cpu 93 → 50 (limit 66)',
    });
    expect(judgeDecision(scaleOut, { cpu: 80 }).outcome).toBe('not-resolved');
    expect(judgeDecision(scaleOut, {}).outcome).toBe('not-resolved');
  });

  it('judges a scale-in worse when utilisation rose past its limit, not merely because it rose', () => {
    const scaleIn: Decision = {
      ...scaleOut,
      action: 'scale-in',
      fromCount: 8,
      toCount: 4,
      trigger: [{ metric: 'cpu', value: 20, limit: 66, bad: 'above' }],
    };

    expect(judgeDecision(scaleIn, { cpu: 45 }).outcome).toBe('resolved');
    expect(judgeDecision(scaleIn, { cpu: 80 }).outcome).toBe('worse');
  });

  it('undoes a worsening scale-out with a decision of its own, but never undoes an undo', () => {
    const verdict = { outcome: 'worse' as const, detail: 'cpu 93 → 99 (limit 66)' };
    const due = verificationDueAt(scaleOut, 5);

    const undo = compensationDecision(scaleOut, verdict, due, 'auto', allSwitchesOn);
    const again = compensationDecision(undo!, verdict, due, 'auto', allSwitchesOn);
    const asked = compensationDecision(scaleOut, verdict, due, 'approve', allSwitchesOn);

    expect(undo).toMatchObject({
      id: 'web~2026-11-22T10:05:00.000Z~undo-cpu~decision',
      action: 'scale-in',
      fromCount: 4,
      toCount: 2,
      status: 'approved',
      requestedBy: 'vigia:verify',
      compensates: scaleOut.id,
    });
    expect(again).toBeNull();
    expect(asked?.status).toBe('proposed');
    expect(
      compensationDecision(
        scaleOut,
        { ...verdict, outcome: 'resolved' },
        due,
        'auto',
        allSwitchesOn,
      ),
    ).toBeNull();
  });

  it('verifies a target-scaling scale-out on whether the objective held afterwards', () => {
    const result = planTargetScaling({
      service: aService(),
      reading: { serviceId: 'web', at: '2026-11-22T10:00:15.000Z', source: 'pushed', cpu: 90 },
      ecs: { desiredCount: 4, runningCount: 4, pendingCount: 0 },
      forecastRequestRate: null,
      scalingState: emptyScalingState(),
      recentDecisions: [],
      switches: allSwitchesOn,
      now: new Date('2026-11-22T10:00:17.000Z'),
    });
    if (result.kind !== 'act') throw new Error(`expected an action, got ${result.kind}`);
    const executed: Decision = { ...result.decision, status: 'executed' };

    expect(awaitsVerification(executed)).toBe(true);
    expect(judgeDecision(executed, { cpu: 58 })).toEqual({
      outcome: 'resolved',
      detail: 'cpu 90 → 58 (limit 66)',
    });
    expect(judgeDecision(executed, { cpu: 75 }).outcome).toBe('not-resolved');
    // The load kept growing: adding tasks did not cause it, and undoing them would hurt.
    const grew = judgeDecision(executed, { cpu: 99 });
    expect(grew.outcome).toBe('not-resolved');
    expect(compensationDecision(executed, grew, 0, 'auto', allSwitchesOn)).toBeNull();
  });

  it('judges a target-scaling scale-in followed by a violation worse, undoes it and learns', () => {
    const result = planTargetScaling({
      service: aService(),
      reading: { serviceId: 'web', at: '2026-11-22T10:00:15.000Z', source: 'pushed', cpu: 20 },
      ecs: { desiredCount: 8, runningCount: 8, pendingCount: 0 },
      forecastRequestRate: null,
      scalingState: emptyScalingState(),
      recentDecisions: [],
      switches: allSwitchesOn,
      now: new Date('2026-11-22T10:00:17.000Z'),
    });
    if (result.kind !== 'act') throw new Error(`expected an action, got ${result.kind}`);
    const executed: Decision = { ...result.decision, status: 'executed' };
    const due = verificationDueAt(executed, 5);

    expect(executed).toMatchObject({ action: 'scale-in', fromCount: 8 });
    expect(judgeDecision(executed, { cpu: 55 }).outcome).toBe('resolved');
    const verdict = judgeDecision(executed, { cpu: 85 });
    expect(verdict).toEqual({ outcome: 'worse', detail: 'cpu 20 → 85 (limit 66)' });
    expect(compensationDecision(executed, verdict, due, 'auto', allSwitchesOn)).toMatchObject({
      action: 'scale-out',
      toCount: 8,
      status: 'approved',
      requestedBy: 'vigia:verify',
      compensates: executed.id,
    });
    const learned = recordOutcome(priorFor(executed.diagnosis!, executed.action), verdict.outcome);
    expect(learned).toMatchObject({ diagnosis: 'target', action: 'scale-in', worse: 1 });
  });

  it('keeps a learning summary: accuracy overall and per service, with posterior means', () => {
    const stats = recordOutcome(priorFor('overload', 'scale-out'), 'resolved');
    let summary = withOutcome(emptyLearningSummary(), 'web', 'resolved', [stats], 't1');
    summary = withOutcome(summary, 'api', 'worse', [], 't2');

    expect(summary).toMatchObject({
      verified: 2,
      resolved: 1,
      worse: 1,
      accuracy: 0.5,
      updatedAt: 't2',
    });
    expect(summary.services.web).toMatchObject({
      verified: 1,
      accuracy: 1,
      stats: [
        { diagnosis: 'overload', action: 'scale-out', alpha: 5, beta: 1, expectedSuccess: 0.833 },
      ],
    });
    expect(summary.services.api).toMatchObject({ verified: 1, accuracy: 0 });
  });
});
