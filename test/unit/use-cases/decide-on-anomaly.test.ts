import { describe, expect, it } from 'vitest';
import { emptyScalingState, type ScalingState } from '../../../src/decision';
import { scalingConfigSchema, type Decision, type Sample } from '../../../src/model';
import type { DecisionCommit, DecisionLedger, ServiceRegistry } from '../../../src/ports';
import { decideOnAnomaly } from '../../../src/use-cases/decide-on-anomaly';
import { aSample, aService, anAnomaly, ruleSwitches } from '../../support/builders';

const rules = ruleSwitches;

/** In-memory ledger with the same transactional contract as the DynamoDB one. */
class MemoryLedger implements Omit<DecisionLedger, 'saveScalingState'> {
  items = new Map<string, Decision>();
  state = { scaling: emptyScalingState(), version: 0 };
  async loadAutopilotState() {
    return structuredClone(this.state);
  }
  async commitDecision(
    d: Decision,
    scaling: ScalingState,
    expected: number,
    _at?: Date,
  ): Promise<DecisionCommit> {
    if (this.items.has(d.id)) return 'exists';
    if (expected !== this.state.version) return 'conflict';
    this.items.set(d.id, d);
    this.state = { scaling, version: expected + 1 };
    return 'created';
  }
  async completeDecision() {}
}

function deps(service = aService(), sample: Partial<Sample> = {}) {
  const registry: ServiceRegistry = {
    list: async () => [service],
    get: async (id) => (id === service.id ? service : null),
  };
  const ledger = new MemoryLedger();
  return {
    clock: { now: () => new Date('2026-11-22T10:00:05Z') },
    registry,
    ledger,
    decisions: {
      getDecision: async (_s: string, id: string) => ledger.items.get(id) ?? null,
      decisionsSince: async () => [...ledger.items.values()],
    },
    observations: {
      latestSample: async (): Promise<Sample> => aSample({ serviceId: service.id, ...sample }),
      anomaliesSince: async () => [],
    },
    learning: { loadStats: async () => [] },
  };
}

describe('decideOnAnomaly', () => {
  it('approves a scale-out in auto mode and writes it once even when the anomaly arrives twice', async () => {
    const d = deps();

    const first = await decideOnAnomaly(d, anAnomaly(), rules);
    const again = await decideOnAnomaly(d, anAnomaly(), rules);

    expect(first).toMatchObject({
      created: true,
      decision: { status: 'approved', action: 'scale-out', fromCount: 2, toCount: 3 },
    });
    expect(again).toMatchObject({ created: false, decision: { id: first.decision.id } });
    expect(d.ledger.items.size).toBe(1);
    expect(d.ledger.state.version).toBe(1);
  });

  it('holds a second scale-out within the cooldown', async () => {
    const d = deps(
      aService({ scaling: scalingConfigSchema.parse({ scaleOutCooldownSeconds: 60 }) }),
    );
    await decideOnAnomaly(d, anAnomaly(), rules);

    const next = await decideOnAnomaly(d, anAnomaly({ at: '2026-11-22T10:00:30.000Z' }), rules);

    expect(next.decision.status).toBe('skipped');
    expect(next.decision.result).toMatch(/^hold: .*cooldown/);
  });

  it('respects the service mode and the global switch', async () => {
    const approve = await decideOnAnomaly(deps(aService({ mode: 'approve' })), anAnomaly(), rules);
    const dryRun = await decideOnAnomaly(deps(aService({ mode: 'dry-run' })), anAnomaly(), rules);
    const switchedOff = await decideOnAnomaly(deps(), anAnomaly(), {
      ...rules,
      autoScalingEnabled: false,
    });

    expect(approve.decision.status).toBe('proposed');
    expect(dryRun.decision).toMatchObject({
      status: 'skipped',
      result: 'dry-run: would scale-out',
    });
    expect(switchedOff.decision).toMatchObject({
      status: 'skipped',
      result: 'AUTO_SCALING_ENABLED is false',
    });
  });

  it('records an anomaly no policy acts on without touching the service', async () => {
    const d = deps(aService(), { metrics: { cpu: 40, memory: 50 } });

    const { decision } = await decideOnAnomaly(d, anAnomaly({ value: 40, score: 0.5 }), rules);

    expect(decision).toMatchObject({ action: 'notify', status: 'skipped' });
    expect(decision.result).toBe('no policy matched: recorded only');
  });

  it('plans again when another decision for the service committed first', async () => {
    const d = deps();
    let raced = false;
    const commit = d.ledger.commitDecision.bind(d.ledger);
    d.ledger.commitDecision = async (
      decision: Decision,
      scaling: ScalingState,
      expected: number,
    ) => {
      if (!raced) {
        raced = true;
        d.ledger.state = { ...d.ledger.state, version: d.ledger.state.version + 1 };
      }
      return commit(decision, scaling, expected);
    };

    const { created } = await decideOnAnomaly(d, anAnomaly(), rules);

    expect(created).toBe(true);
    expect(d.ledger.state.version).toBe(2);
  });

  it('names an unknown service instead of guessing', async () => {
    await expect(decideOnAnomaly(deps(), anAnomaly({ serviceId: 'ghost' }), rules)).rejects.toThrow(
      /service 'ghost'/,
    );
  });
});
