// bench/incidents/totals.ts: rates averaged over seeds, counts summed.
import { describe, expect, it } from 'vitest';
import { cells, seedTotals } from '../../../bench/incidents/totals';

const run = (over: Partial<Parameters<typeof seedTotals>[0][number]>) => ({
  autoResolvedPct: 100,
  diagnosisAccuracy: 1,
  actionAccuracy: 1,
  mttrMinutes: 6,
  falseActions: 0,
  wrongResolved: 0,
  messagesPerIncident: 2,
  ...over,
});

describe('totals over seeds', () => {
  it('averages the rates and sums false actions and wrong "resolved"', () => {
    const total = seedTotals([
      run({ autoResolvedPct: 95, diagnosisAccuracy: 0.86, falseActions: 2, mttrMinutes: 7 }),
      run({ wrongResolved: 1, messagesPerIncident: 1.7 }),
    ]);
    expect(total).toEqual({
      autoResolvedPct: 97.5,
      diagnosisAccuracy: 0.93,
      actionAccuracy: 1,
      mttrMinutes: 6.5,
      falseActions: 2,
      wrongResolved: 1,
      messagesPerIncident: 1.85,
    });
    expect(cells(total)).toBe('97.5/0.93/1/6.5/2/1/1.85');
  });
});
