// A change in how a series is distributed, not in any single point: spikes it has always had
// suddenly come ten times as often (NAB's art_increase_spike_density is this kind of anomaly).
import { describe, expect, it } from 'vitest';
import { noisy, run } from './series-fixtures';

describe('distribution change', () => {
  it('flags spikes that suddenly come ten times as often, and says the values are spread unlike usual', () => {
    // Prepare: a 4-sigma spike every 40 points for 2,500 points, then one every 4 points.
    const values = noisy(3000, 40, 2, 11);
    for (let i = 0; i < 2500; i += 40) values[i]! += 8;
    for (let i = 2500; i < 3000; i += 4) values[i]! += 8;

    // Act
    const { outputs } = run(values);

    // Assess: flagged within 60 points (15 spikes) of the change, with a line saying why.
    const alert = outputs.slice(2500, 2560).find((o) => o.anomalous);
    expect(alert).toBeDefined();
    expect(alert!.explanation).toMatch(/spread unlike usual/);
  });

  it('stays quiet while the spikes keep their usual rate', () => {
    const values = noisy(3000, 40, 2, 11);
    for (let i = 0; i < 3000; i += 40) values[i]! += 8;

    const { outputs } = run(values);

    const changes = outputs.slice(300).filter((o) => /spread unlike usual/.test(o.explanation));
    expect(changes.filter((o) => o.anomalous)).toEqual([]);
  });
});
