// A spike that comes back at the same time every night (a backup, a batch job) is the service's
// routine, not an incident; the same spike at another hour, or a much larger one at that hour, is.
import { describe, expect, it } from 'vitest';
import { FIVE_MINUTES, noisy, run, START } from './series-fixtures';

const PER_DAY = 288;
const AT_3AM = 36;
const AT_3PM = 180;

function nightlyJob(days: number): number[] {
  const values = noisy(days * PER_DAY, 40, 2, 21);
  for (let d = 0; d < days; d++) values[d * PER_DAY + AT_3AM] = 100;
  return values;
}

describe('a nightly job', () => {
  it('alerts at first, then stops alerting once it has come back on two previous nights', () => {
    // Prepare
    const days = 8;

    // Act
    const { outputs } = run(nightlyJob(days));

    // Assess
    const nightly = Array.from({ length: days }, (_, d) => outputs[d * PER_DAY + AT_3AM]!);
    expect(nightly[1]!.anomalous).toBe(true);
    expect(nightly.slice(4).some((o) => o.anomalous)).toBe(false);
    expect(nightly[7]!.upper!).toBeGreaterThan(100);
  });

  it('still alerts on the same spike at another hour, and on a much larger one at its hour', () => {
    // Prepare
    const values = nightlyJob(8);
    values[7 * PER_DAY + AT_3PM - PER_DAY] = 100;
    values[7 * PER_DAY + AT_3AM] = 400;

    // Act
    const { outputs } = run(values);

    // Assess
    expect(outputs[6 * PER_DAY + AT_3PM]!.anomalous).toBe(true);
    expect(outputs[7 * PER_DAY + AT_3AM]!.anomalous).toBe(true);
    expect(outputs[7 * PER_DAY + AT_3AM]!.explanation).toMatch(/above/);
  });
});

describe('a state saved before the hourly memory existed', () => {
  it('carries on without it and starts the memory afresh', () => {
    // Prepare: a warm state with the field removed, as an older version stored it.
    const { state } = run(noisy(600, 40, 2, 5));
    const { hr: _dropped, ...older } = state;

    // Act
    const { outputs, state: next } = run([41, 40, 39], older, START + 600 * FIVE_MINUTES);

    // Assess
    expect(outputs.every((o) => Number.isFinite(o.score) && !o.anomalous)).toBe(true);
    expect(next.hr?.now.some((v) => v > 0)).toBe(true);
  });
});
