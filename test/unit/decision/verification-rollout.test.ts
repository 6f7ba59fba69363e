// Issue #14 (d), seen in bench:incidents: a rollback of a bad release, judged five minutes on while
// the bad tasks were still draining, was "worse" and undone — the bad release went out again. A
// restart or rollback is judged once its rollout completed.
import { describe, expect, it } from 'vitest';
import {
  judgeDecision,
  metricsAfter,
  settledDueAt,
  verificationDueAt,
} from '../../../src/decision';
import type { Decision, Sample } from '../../../src/model';
import { aDecision, anEcsState, aSample } from '../../support/builders';

const t0 = Date.parse('2026-11-22T10:00:00.000Z');
const iso = (minute: number) => new Date(t0 + minute * 60_000).toISOString();

const rollback: Decision = aDecision({
  at: iso(0),
  action: 'rollback',
  status: 'executed',
  trigger: [{ metric: 'error_rate', value: 12, limit: 10, bad: 'above' }],
});

/** Errors rise while the rollout drains the bad tasks, then fall once it completes at minute 8. */
function samples(): Sample[] {
  return Array.from({ length: 12 }, (_, m) =>
    aSample({
      at: iso(m),
      metrics: { error_rate: m < 8 ? 20 : 0.3 },
      ecs: anEcsState({
        deployments: m < 8 ? 2 : 1,
        rolloutState: m < 8 ? 'IN_PROGRESS' : 'COMPLETED',
      }),
    }),
  );
}

describe('verifying a deployment', () => {
  it('waits for the rollout to complete, and then finds the rollback worked', () => {
    const window = verificationDueAt(rollback, 5);
    const midRollout = judgeDecision(rollback, metricsAfter(samples(), window)!);
    const due = settledDueAt(rollback, samples(), window);
    const settled = judgeDecision(rollback, metricsAfter(samples(), due)!);

    expect(midRollout.outcome).toBe('worse');
    expect(due).toBe(Date.parse(iso(8)));
    expect(settled.outcome).toBe('resolved');
  });

  it('is not due while the rollout is still going, and judged as it stands after 20 minutes', () => {
    const stuck = samples().map((s) => ({
      ...s,
      ecs: { ...s.ecs!, deployments: 2, rolloutState: 'IN_PROGRESS' },
    }));
    const window = verificationDueAt(rollback, 5);
    expect(settledDueAt(rollback, stuck, window)).toBe(Number.POSITIVE_INFINITY);
    const later = [
      ...stuck,
      ...Array.from({ length: 20 }, (_, k) => ({ ...stuck[0]!, at: iso(12 + k) })),
    ];
    expect(settledDueAt(rollback, later, window)).toBe(window + 20 * 60_000);
  });

  it('judges a scaling action at its window, rollout or not', () => {
    const scale = { ...rollback, action: 'scale-out' as const };
    expect(settledDueAt(scale, samples(), Date.parse(iso(5)))).toBe(Date.parse(iso(5)));
  });
});
