// Approving or rejecting a proposed decision over in-memory ports: the verdict, its audit entry,
// and an unknown decision.
import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError } from '../../../src/errors';
import type { AuditEntry, DecisionReviewPorts } from '../../../src/ports';
import { reviewDecision } from '../../../src/use-cases/decision-review';
import { aService } from '../../support/builders';

const now = new Date('2026-11-22T10:00:00.000Z');
const id = 'web~2026-11-22T09:58:00.000Z~cpu~decision';

function ports() {
  const audits: AuditEntry[] = [];
  const verdicts: string[] = [];
  const p: DecisionReviewPorts = {
    decisions: {
      decision: async (want) =>
        want === id ? { id, serviceId: 'web', action: 'scale-out', status: 'proposed' } : null,
    },
    services: { get: async (sid) => (sid === 'web' ? aService() : null) },
    reviews: {
      review: async (reviewed, verdict, by, _now, note) => {
        verdicts.push(`${verdict} by ${by}: ${note}`);
        return { id: reviewed, status: verdict };
      },
    },
    audit: { record: async (e) => void audits.push(e) },
  };
  return { p, audits, verdicts };
}

describe('decision review', () => {
  it('approves with a reason and audits who did it', async () => {
    const { p, audits, verdicts } = ports();
    const d = await reviewDecision(p, {
      requestId: 'req-1',
      requestedBy: 'api:ops',
      now,
      decisionId: id,
      verb: 'approve',
      reason: 'looks right',
    });
    expect(d).toEqual({ id, status: 'approved' });
    expect(verdicts).toEqual(['approved by api:ops: looks right']);
    expect(audits).toEqual([
      expect.objectContaining({
        serviceId: 'web',
        type: 'approve',
        detail: 'approved scale-out: looks right',
        decisionId: id,
      }),
    ]);
  });

  it('rejects without a reason', async () => {
    const { p, audits, verdicts } = ports();
    await reviewDecision(p, {
      requestId: 'r',
      requestedBy: 'api:ops',
      now,
      decisionId: id,
      verb: 'reject',
    });
    expect(verdicts).toEqual(['rejected by api:ops: ']);
    expect(audits[0]).toMatchObject({ type: 'reject', decisionId: id });
  });

  it('answers NotFoundError for an unknown decision and writes nothing', async () => {
    const { p, audits, verdicts } = ports();
    await expect(
      reviewDecision(p, {
        requestId: 'r',
        requestedBy: 'api:ops',
        now,
        decisionId: 'web~nope',
        verb: 'approve',
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect([...audits, ...verdicts]).toEqual([]);
  });

  it('refuses to approve a decision whose service was removed, and rejects it saying why', async () => {
    const { p, audits, verdicts } = ports();
    const gone = { ...p, services: { get: async () => null } };

    const out = reviewDecision(gone, {
      requestId: 'r',
      requestedBy: 'api:ops',
      now,
      decisionId: id,
      verb: 'approve',
    });

    await expect(out).rejects.toBeInstanceOf(ConflictError);
    await expect(out).rejects.toThrow("service 'web' no longer exists");
    expect(verdicts).toEqual(["rejected by api:ops: service 'web' no longer exists"]);
    expect(audits).toEqual([expect.objectContaining({ type: 'reject', decisionId: id })]);
  });
});
