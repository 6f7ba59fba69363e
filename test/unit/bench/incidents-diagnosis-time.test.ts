// What vigia named is scored on the decisions it made once the fault began. A decision's `at` is
// its evidence's time: a crash loop's outage anomaly pairs the last CloudWatch datapoint, minutes
// old, with the 0 running tasks ECS shows now, so its `at` can fall before the fault although the
// decision was made after it.
import { describe, expect, it } from 'vitest';
import { playVigia, vigiaNamed } from '../../../bench/incidents/play';
import { MemoryTable } from '../../../bench/incidents/memory-ports';
import { makeScenario, makeScenarios } from '../../../bench/incidents/scenarios';
import { aDecision, anAnomaly } from '../../support/builders';

describe('the incident benchmark scores what vigia named', () => {
  it('by when the decision was made, not by its evidence’s time', async () => {
    const run = await playVigia(makeScenario('crash-loop', 0, 1));
    expect(run.diagnosis).toBe('crash_loop');
  });

  it('from the tick after the fault’s minute: the fault’s own tick saw none of it', async () => {
    // Seed 2's first leak: at the fault's tick a memory forecast from before it is told ('unknown').
    const leak = makeScenarios(2, 1).find((x) => x.kind === 'memory-leak')!;
    expect((await playVigia(leak)).diagnosis).toBe('memory_leak');
  });

  it('keeps when a decision was first written, not when it was last updated', () => {
    let now = Date.parse('2026-03-02T10:05:00.000Z');
    const table = new MemoryTable({ now: () => new Date(now) });
    const d = aDecision({ at: '2026-03-02T10:02:00.000Z' });
    table.putDecisionItem(d, null);
    now += 120_000;
    table.putDecisionItem({ ...d, status: 'executed' }, d);
    expect(table.decidedAt.get(d.id)).toBe(Date.parse('2026-03-02T10:05:00.000Z'));
  });

  it('on evidence of the fault: not a decision at + 1 on a datapoint from before it', () => {
    // Fault at 10:00. At the 10:01 tick vigia decides on the 09:59 datapoint (noise, `overload`);
    // at 10:02 on the 10:00 datapoint, the first to show the fault. A crash loop's outage anomaly
    // pairs the 09:59 datapoint with ECS's live 0 running tasks: it is evidence of the fault.
    const F = Date.parse('2026-03-02T10:00:00.000Z');
    let now = F + 60_000 + 2_000;
    const table = new MemoryTable({ now: () => new Date(now) });
    const noise = aDecision({
      id: 'd1',
      anomalyId: 'a1',
      at: '2026-03-02T09:59:00.000Z',
      diagnosis: 'overload',
    });
    table.putDecisionItem(noise, null);
    now += 60_000;
    const fault = aDecision({
      id: 'd2',
      anomalyId: 'a2',
      at: '2026-03-02T10:00:00.000Z',
      diagnosis: 'memory_leak',
    });
    table.putDecisionItem(fault, null);

    expect(vigiaNamed(table, F)).toEqual({ onFaultEvidence: 'memory_leak', fromTick: 'overload' });

    table.anomalies.set('a1', anAnomaly({ id: 'a1', at: noise.at, source: 'outage' }));
    expect(vigiaNamed(table, F).onFaultEvidence).toBe('overload');
  });
});
