// What an operator notices: real incidents are flagged, normal behaviour is not.
import { describe, expect, it } from 'vitest';
import { dailyCycle, noisy, run } from './series-fixtures';

describe('vigia detector', () => {
  it('flags a spike on a noisy series, upwards, as critical, and explains it', () => {
    // Prepare
    const values = noisy(600, 40, 3);
    values[500] = 90;

    // Act
    const { outputs } = run(values);

    // Assess
    const spike = outputs[500]!;
    expect(spike.anomalous).toBe(true);
    expect(spike.direction).toBe('up');
    expect(spike.severity).toBe('critical');
    expect(spike.expected).toBeGreaterThan(35);
    expect(spike.expected).toBeLessThan(45);
    expect(spike.explanation).toMatch(/above/);
  });

  it('flags a dip downwards', () => {
    const values = noisy(600, 40, 3, 7);
    values[500] = 5;

    const { outputs } = run(values);

    expect(outputs[500]!.anomalous).toBe(true);
    expect(outputs[500]!.direction).toBe('down');
  });

  it('stays quiet on plain noise', () => {
    const { outputs } = run(noisy(3000, 40, 3, 3));

    const alerts = outputs.slice(100).filter((o) => o.anomalous);
    expect(alerts.length).toBeLessThanOrEqual(3);
  });

  it('does not alert on a normal daily cycle once it has seen a few days', () => {
    // Prepare: five days of a daily cycle; judge days four and five.
    const values = dailyCycle(5);

    // Act
    const { outputs } = run(values);

    // Assess
    const late = outputs.slice(3 * 288);
    expect(late.filter((o) => o.anomalous).length).toBeLessThanOrEqual(2);
    const noon = late[72]!;
    expect(Math.abs(noon.expected! - values[3 * 288 + 72]!)).toBeLessThan(10);
  });

  it('flags a level shift once, then adapts to the new level', () => {
    // Prepare
    const values = [...noisy(600, 20, 1, 4), ...noisy(600, 35, 1, 5)];

    // Act
    const { outputs } = run(values);

    // Assess: an alert right at the shift, few afterwards, and the baseline moves to the new level.
    expect(outputs.slice(600, 610).some((o) => o.anomalous)).toBe(true);
    expect(outputs.slice(640).filter((o) => o.anomalous).length).toBeLessThanOrEqual(2);
    expect(outputs.at(-1)!.expected!).toBeGreaterThan(33);
    expect(outputs.at(-1)!.anomalous).toBe(false);
  });

  it('flags a series that normally moves and suddenly flat-lines', () => {
    const values = [...noisy(600, 50, 5, 6), ...new Array<number>(60).fill(47)];

    const { outputs } = run(values);

    const flat = outputs.slice(600).find((o) => o.anomalous);
    expect(flat).toBeDefined();
    expect(flat!.explanation).toMatch(/not changed/);
  });

  it('does not trust itself while warming up', () => {
    const { outputs } = run([1, 2, 100, 3]);

    expect(outputs.every((o) => !o.warm && !o.anomalous && o.score === 0)).toBe(true);
  });

  it('returns a short-horizon forecast once warm', () => {
    const { outputs } = run(noisy(200, 40, 1, 8));

    expect(outputs.at(-1)!.forecast!.value).toBeCloseTo(40, -1);
  });
});
