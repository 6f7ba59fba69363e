import { describe, expect, it } from 'vitest';
import type { Decision } from '../../../src/model';
import type { DecisionStore, ServiceRegistry } from '../../../src/ports';
import { decideOnAnomaly, planForAnomaly } from '../../../src/use-cases/decide-on-anomaly';
import { aService, anAnomaly } from './factories';

describe('planForAnomaly', () => {
  it('scales out in proportion to how far CPU is above its target', () => {
    const plan = planForAnomaly(aService(), anAnomaly({ value: 90, desiredCount: 2 }));

    expect(plan).toMatchObject({ action: 'scale-out', fromCount: 2, toCount: 3 });
  });

  it('never goes beyond max tasks, nor more than doubles (or +4) in one step', () => {
    expect(
      planForAnomaly(aService({ maxTasks: 4 }), anAnomaly({ value: 100, desiredCount: 3 })).toCount,
    ).toBe(4);
    expect(
      planForAnomaly(
        aService({ maxTasks: 50 }),
        anAnomaly({ value: 100, desiredCount: 1, metric: 'cpu' }),
      ).toCount,
    ).toBe(2);
    expect(
      planForAnomaly(aService({ maxTasks: 50 }), anAnomaly({ value: 100, desiredCount: 20 }))
        .toCount,
    ).toBe(34);
  });

  it('scales in when utilisation is anomalously low, by at most half, never below min tasks', () => {
    expect(
      planForAnomaly(aService(), anAnomaly({ value: 5, direction: 'down', desiredCount: 8 })),
    ).toMatchObject({
      action: 'scale-in',
      toCount: 4,
    });
    expect(
      planForAnomaly(aService(), anAnomaly({ value: 5, direction: 'down', desiredCount: 2 }))
        .action,
    ).toBe('notify');
  });

  it('only notifies for a metric it cannot scale on, or one that is high but under target', () => {
    expect(planForAnomaly(aService(), anAnomaly({ metric: 'queue_depth' })).action).toBe('notify');
    expect(planForAnomaly(aService(), anAnomaly({ value: 50 })).action).toBe('notify');
  });
});

class MemoryDecisions implements DecisionStore {
  items = new Map<string, Decision>();
  async putDecision(d: Decision) {
    if (this.items.has(d.id)) return false;
    this.items.set(d.id, d);
    return true;
  }
  async getDecision(_s: string, id: string) {
    return this.items.get(id) ?? null;
  }
  async decisionsSince(serviceId: string, since: Date) {
    return [...this.items.values()].filter(
      (d) => d.serviceId === serviceId && d.at >= since.toISOString(),
    );
  }
  async claimDecision() {
    return null;
  }
  async finishDecision() {}
  async recentDecisions() {
    return [...this.items.values()];
  }
}

function deps(service = aService()) {
  const registry: ServiceRegistry = {
    list: async () => [service],
    get: async (id) => (id === service.id ? service : null),
  };
  return {
    clock: { now: () => new Date('2026-11-22T10:00:05Z') },
    registry,
    decisions: new MemoryDecisions(),
  };
}

describe('decideOnAnomaly', () => {
  it('approves a scale-out in auto mode and writes it once even when the anomaly arrives twice', async () => {
    const d = deps();

    const first = await decideOnAnomaly(d, anAnomaly(), { autoScaling: true });
    const again = await decideOnAnomaly(d, anAnomaly(), { autoScaling: true });

    expect(first).toMatchObject({
      created: true,
      decision: { status: 'approved', action: 'scale-out' },
    });
    expect(again.created).toBe(false);
    expect(d.decisions.items.size).toBe(1);
  });

  it('holds a second scale-out within the cooldown', async () => {
    const d = deps();
    await decideOnAnomaly(d, anAnomaly(), { autoScaling: true });

    const next = await decideOnAnomaly(d, anAnomaly({ at: '2026-11-22T10:01:00.000Z' }), {
      autoScaling: true,
    });

    expect(next.decision.status).toBe('skipped');
    expect(next.decision.result).toMatch(/^cooldown/);
  });

  it('respects the service mode and the global switch', async () => {
    const approve = await decideOnAnomaly(deps(aService({ mode: 'approve' })), anAnomaly(), {
      autoScaling: true,
    });
    const dryRun = await decideOnAnomaly(deps(aService({ mode: 'dry-run' })), anAnomaly(), {
      autoScaling: true,
    });
    const switchedOff = await decideOnAnomaly(deps(), anAnomaly(), { autoScaling: false });

    expect(approve.decision.status).toBe('proposed');
    expect(dryRun.decision).toMatchObject({
      status: 'skipped',
      result: 'dry-run: would scale-out 2 → 3',
    });
    expect(switchedOff.decision).toMatchObject({
      status: 'skipped',
      result: 'AUTO_SCALING_ENABLED is false',
    });
  });

  it('names an unknown service instead of guessing', async () => {
    await expect(
      decideOnAnomaly(deps(), anAnomaly({ serviceId: 'ghost' }), { autoScaling: true }),
    ).rejects.toThrow(/service 'ghost'/);
  });
});
