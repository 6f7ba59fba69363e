import { describe, expect, it } from 'vitest';
import type { Decision } from '../../../src/model';
import { alreadyApplied } from '../../../src/use-cases/execute-decision';
import { isAbandoned } from '../../../src/use-cases/sweep-decisions';

const now = new Date('2026-12-02T10:10:00.000Z');
const base = {
  status: 'executing',
  at: '2026-12-02T10:00:00.000Z',
  claimedAt: '2026-12-02T10:09:00.000Z',
} as Decision;

describe('an unfinished decision', () => {
  it('is left to its scaler while the claim is younger than the scale timeout allows, and swept after', () => {
    expect(isAbandoned(base, now)).toBe(false);
    expect(isAbandoned({ ...base, claimedAt: '2026-12-02T10:07:00.000Z' }, now)).toBe(true);
    expect(isAbandoned({ ...base, status: 'approved', at: '2026-12-02T10:09:30.000Z' }, now)).toBe(
      false,
    );
    expect(isAbandoned({ ...base, status: 'approved' }, now)).toBe(true);
    expect(isAbandoned({ ...base, status: 'proposed' }, now)).toBe(false);
    expect(isAbandoned({ ...base, status: 'executed' }, now)).toBe(false);
  });

  it('counts as done only when ECS shows what it asked for', () => {
    const snapshot = { desiredCount: 5, runningCount: 3, taskDefinition: 'td:2' };
    const claim = '2026-12-02T10:09:00.000Z';

    expect(alreadyApplied({ action: 'scale-out', toCount: 5 }, snapshot, claim)).toMatch(
      /desired count 5/,
    );
    expect(alreadyApplied({ action: 'scale-out', toCount: 6 }, snapshot, claim)).toBeNull();
    expect(
      alreadyApplied(
        { action: 'restart', toCount: null },
        { ...snapshot, lastDeploymentAt: '2026-12-02T10:09:01.000Z' },
        claim,
      ),
    ).toMatch(/new deployment started/);
    expect(
      alreadyApplied(
        { action: 'restart', toCount: null },
        { ...snapshot, lastDeploymentAt: '2026-12-02T08:00:00.000Z' },
        claim,
      ),
    ).toBeNull();
    expect(
      alreadyApplied(
        { action: 'rollback', toCount: null, targetTaskDefinition: 'td:2' },
        snapshot,
        claim,
      ),
    ).toMatch(/running td:2/);
  });
});
