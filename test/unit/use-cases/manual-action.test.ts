// The manual action use case over in-memory ports: bounds, the recorded decision and its audit
// entry, a repeated Idempotency-Key, a reused one, and a recovery check with nothing to do.
import { describe, expect, it } from 'vitest';
import {
  ConflictError,
  IdempotencyKeyReusedError,
  NotFoundError,
  ValidationError,
} from '../../../src/errors';
import type { Decision, EcsState, Sample } from '../../../src/model';
import type { AuditEntry, ManualActionPorts, ManualRecord } from '../../../src/ports';
import { requestManualAction } from '../../../src/use-cases/manual-action';
import { aService, anEcsState } from '../../support/builders';

const now = new Date('2026-11-22T10:00:00.000Z');

function sample(desiredCount: number, cpu: number): Sample {
  return {
    serviceId: 'web',
    at: '2026-11-22T09:59:30.000Z',
    metrics: { cpu, memory: 40 },
    ecs: {
      desiredCount,
      runningCount: desiredCount,
      pendingCount: 0,
      taskDefinition: 'web:3',
      deployments: 1,
      rolloutState: 'COMPLETED',
      lastDeploymentAt: null,
    },
  };
}

function ports(
  o: { latest?: Sample | null; ledger?: ManualRecord; ecs?: EcsState | null | 'unreadable' } = {},
) {
  const decisions: Decision[] = [];
  const audits: AuditEntry[] = [];
  const p: ManualActionPorts = {
    services: { get: async (id) => (id === 'web' ? aService() : null) },
    observations: {
      latestSample: async () => o.latest ?? null,
      anomaliesSince: async () => [],
    },
    ecs: {
      describe: async (services) => {
        const state = o.ecs ?? null;
        if (state === 'unreadable') throw new Error('ECS is unreachable');
        return new Map(services.map((s) => [s.id, state]));
      },
    },
    decisions: { getDecision: async (_s, id) => decisions.find((d) => d.id === id) ?? null },
    ledger: {
      record: async (decision, audit) => {
        const out = o.ledger ?? { kind: 'created' };
        if (out.kind === 'created') {
          decisions.push(decision);
          audits.push(audit);
        }
        return out;
      },
    },
    audit: { record: async (entry) => void audits.push(entry) },
  };
  return { p, decisions, audits };
}

const who = { requestId: 'req-1', requestedBy: 'api:ci-bot', now, claim: null };

describe('manual action', () => {
  it('records an approved scale decision with its audit entry', async () => {
    const { p, audits } = ports({ latest: sample(3, 40) });
    const r = await requestManualAction(p, {
      ...who,
      serviceId: 'web',
      action: { type: 'scale', desiredCount: 2 },
    });
    expect(r).toMatchObject({ kind: 'recorded', created: true, checks: null });
    expect(r.kind === 'recorded' && r.decision).toMatchObject({
      action: 'scale-in',
      fromCount: 3,
      toCount: 2,
      status: 'approved',
      requestedBy: 'api:ci-bot',
    });
    expect(audits).toEqual([
      expect.objectContaining({ id: 'req-1', type: 'scale', detail: 'scale 3 → 2' }),
    ]);
  });

  it('refuses a count outside the service bounds, naming the field, and writes nothing', async () => {
    const { p, audits } = ports();
    const out = requestManualAction(p, {
      ...who,
      serviceId: 'web',
      action: { type: 'scale', desiredCount: 50 },
    });
    await expect(out).rejects.toBeInstanceOf(ValidationError);
    await expect(out).rejects.toMatchObject({ issues: [{ path: 'body.desiredCount' }] });
    expect(audits).toEqual([]);
  });

  it('answers NotFoundError for an unknown service', async () => {
    const { p } = ports();
    await expect(
      requestManualAction(p, { ...who, serviceId: 'nope', action: { type: 'restart' } }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('answers a repeated Idempotency-Key with the first decision, and refuses a reused one', async () => {
    const first = ports();
    await requestManualAction(first.p, { ...who, serviceId: 'web', action: { type: 'restart' } });
    const firstId = first.decisions[0]!.id;
    const repeated = await requestManualAction(
      {
        ...first.p,
        ledger: { record: async () => ({ kind: 'repeated', decisionId: firstId }) },
      },
      { ...who, requestId: 'req-2', serviceId: 'web', action: { type: 'restart' } },
    );
    expect(repeated).toMatchObject({ kind: 'recorded', created: false, decision: { id: firstId } });

    const { p } = ports({ ledger: { kind: 'key-reused' } });
    const claim = { apiKeyId: 'k', key: 'abc', fingerprint: 'f' };
    await expect(
      requestManualAction(p, { ...who, claim, serviceId: 'web', action: { type: 'restart' } }),
    ).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
  });

  it('runs a recovery check: all well is audited without a decision, a hot service scales out', async () => {
    const calm = ports({ latest: sample(2, 30) });
    const ok = await requestManualAction(calm.p, {
      ...who,
      serviceId: 'web',
      action: { type: 'recover' },
    });
    expect(ok.kind).toBe('healthy');
    expect(calm.decisions).toEqual([]);
    expect(calm.audits).toEqual([expect.objectContaining({ type: 'recover', decisionId: null })]);

    const hot = ports({ latest: sample(2, 90) });
    const r = await requestManualAction(hot.p, {
      ...who,
      serviceId: 'web',
      action: { type: 'recover' },
    });
    expect(r.kind === 'recorded' && r.decision).toMatchObject({ action: 'scale-out', toCount: 3 });
    expect(r.kind === 'recorded' && r.checks?.some((c) => !c.ok)).toBe(true);
  });

  it('never answers a repeated key with a decision that was not stored: 409, retry', async () => {
    const { p } = ports();
    const claim = { apiKeyId: 'k', key: 'raced', fingerprint: 'f' };
    const racing = {
      ...p,
      // The key's record names a decision this store cannot (yet) show.
      ledger: { record: async () => ({ kind: 'repeated' as const, decisionId: 'web~gone' }) },
    };

    const out = requestManualAction(racing, {
      ...who,
      claim,
      serviceId: 'web',
      action: { type: 'restart' },
    });

    await expect(out).rejects.toBeInstanceOf(ConflictError);
    await expect(out).rejects.toThrow(/in progress.*retry/);
  });

  it('retries a transaction that lost a race without a winner, a bounded number of times', async () => {
    const { p, decisions } = ports();
    const outcomes: ManualRecord[] = [{ kind: 'conflict' }, { kind: 'created' }];
    let calls = 0;
    const flaky = {
      ...p,
      ledger: {
        record: async (d: Decision) => {
          calls++;
          const out = outcomes.shift() ?? { kind: 'conflict' };
          if (out.kind === 'created') decisions.push(d);
          return out;
        },
      },
    };
    const r = await requestManualAction(flaky, {
      ...who,
      serviceId: 'web',
      action: { type: 'restart' },
    });
    expect(r).toMatchObject({ kind: 'recorded', created: true, decision: { action: 'restart' } });

    calls = 0;
    const never = {
      ...flaky,
      ledger: { record: async () => (calls++, { kind: 'conflict' as const }) },
    };
    await expect(
      requestManualAction(never, { ...who, serviceId: 'web', action: { type: 'restart' } }),
    ).rejects.toBeInstanceOf(ConflictError);
    expect(calls).toBe(3);
  });

  it("takes a manual scale's from-count and direction from ECS, not from the last sample", async () => {
    // The last sample still says 2 tasks; ECS already runs 6 (someone scaled it meanwhile).
    const { p, audits } = ports({ latest: sample(2, 40), ecs: anEcsState({ desiredCount: 6 }) });

    const r = await requestManualAction(p, {
      ...who,
      serviceId: 'web',
      action: { type: 'scale', desiredCount: 4 },
    });

    expect(r.kind === 'recorded' && r.decision).toMatchObject({
      action: 'scale-in',
      fromCount: 6,
      toCount: 4,
      reason: 'manual scale to 4 tasks',
    });
    expect(audits[0]).toMatchObject({ detail: 'scale 6 → 4' });
  });

  it('falls back to the last sample when ECS cannot be read, and says so', async () => {
    const { p } = ports({ latest: sample(6, 40), ecs: 'unreadable' });

    const r = await requestManualAction(p, {
      ...who,
      serviceId: 'web',
      action: { type: 'scale', desiredCount: 4 },
    });

    expect(r.kind === 'recorded' && r.decision).toMatchObject({
      action: 'scale-in',
      fromCount: 6,
      toCount: 4,
    });
    expect(r.kind === 'recorded' && r.decision.reason).toMatch(
      /^manual scale to 4 tasks \(from 6 per the last sample: ECS could not be read\)$/,
    );
  });
});
