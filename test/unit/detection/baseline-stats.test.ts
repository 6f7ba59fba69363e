// Baseline statistics in the open: an anomaly carries the raw robust z next to its expected value
// and band, and the saved state summarises level, scale, daily profile and the latest score.
import { describe, expect, it } from 'vitest';
import { baselineOf } from '../../../src/detection';
import { dailyCycle, noisy, run } from './series-fixtures';

describe('baseline statistics', () => {
  it('an anomalous point carries its raw robust z, expected value and band', () => {
    const calm = noisy(600, 100, 2);
    const { outputs } = run([...calm, 160]);
    const spike = outputs.at(-1)!;

    expect(spike.anomalous).toBe(true);
    expect(spike.zScore).toBeGreaterThan(10);
    // z is the residual over the robust sigma: (value - expected) / sigma ≈ 60 / 2
    expect(spike.zScore!).toBeCloseTo((160 - spike.expected!) / 2, -1);
    expect(spike.lower!).toBeLessThan(spike.expected!);
    expect(spike.upper!).toBeLessThan(160);
  });

  it('summarises level, robust scale, band, daily profile and latest score from the state', () => {
    const { state, outputs } = run(dailyCycle(4));
    const b = baselineOf(state);

    expect(b.warm).toBe(true);
    expect(b.points).toBe(4 * 288);
    expect(b.scale!).toBeGreaterThan(1);
    // well below the 30 swing: the hourly profile explains the cycle (what is left is noise and
    // the slope inside each hour)
    expect(b.scale!).toBeLessThan(10);
    expect(b.daily.active).toBe(true);
    // 50 + 30 sin(2πi/288) from midnight UTC: highest near 06:00, lowest near 18:00 (± the bucket
    // offsets' lag)
    expect(b.daily.peak.at).toBeGreaterThanOrEqual(5);
    expect(b.daily.peak.at).toBeLessThanOrEqual(7);
    expect(b.daily.trough.at).toBeGreaterThanOrEqual(16);
    expect(b.daily.trough.at).toBeLessThanOrEqual(20);
    expect(b.band!.lower).toBeLessThan(b.expected!);
    expect(b.band!.upper).toBeGreaterThan(b.expected!);
    expect(b.latest.score).toBeCloseTo(outputs.at(-1)!.score, 6);
    expect(b.latest.zScore).toBeCloseTo(outputs.at(-1)!.zScore!, 4);
  });
});
