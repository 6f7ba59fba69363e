// Predictive maintenance: a steady climb gives a time to breach; a flat series gives none.
import { describe, expect, it } from 'vitest';
import { forecastSeries, timeToBreach } from '../../../src/detection';
import { gaussianNoise, run } from './series-fixtures';

describe('forecast', () => {
  it('says when a steadily growing metric will reach its limit', () => {
    // Prepare: memory climbing 0.1 % every 5 minutes from 40 %, for 2 days.
    const noise = gaussianNoise(11);
    const values = Array.from({ length: 576 }, (_, i) => 40 + 0.1 * i + 0.2 * noise());
    const { state } = run(values);

    // Act: now at ~97.5 %, the limit 100 % is ~25 points (~125 min) away.
    const minutes = timeToBreach(state, 100);

    // Assess
    expect(minutes).not.toBeNull();
    expect(minutes!).toBeGreaterThan(60);
    expect(minutes!).toBeLessThan(240);
  });

  it('finds no breach for a flat metric', () => {
    const noise = gaussianNoise(12);
    const { state } = run(Array.from({ length: 400 }, () => 40 + noise()));

    expect(timeToBreach(state, 90)).toBeNull();
  });

  it('answers 0 when the metric is already past the threshold', () => {
    const { state } = run(Array.from({ length: 100 }, (_, i) => 80 + (i % 2)));

    expect(timeToBreach(state, 50)).toBe(0);
    expect(timeToBreach(state, 50, 'below')).toBeNull();
  });

  it('says when a draining metric will fall below a floor', () => {
    const noise = gaussianNoise(14);
    const { state } = run(Array.from({ length: 300 }, (_, i) => 90 - 0.2 * i + 0.2 * noise()));

    // Now ~30, falling 0.2 per 5 min: 10 is ~100 points (~500 min) away.
    const minutes = timeToBreach(state, 10, 'below');

    expect(minutes).not.toBeNull();
    expect(Math.abs(minutes! - 500)).toBeLessThan(120);
  });

  it('forecasts the next points with a band that widens', () => {
    const noise = gaussianNoise(13);
    const { state } = run(Array.from({ length: 400 }, () => 40 + noise()));

    const points = forecastSeries(state, 12);

    expect(points).toHaveLength(12);
    expect(points[0]!.value).toBeCloseTo(40, 0);
    expect(points[11]!.upper - points[11]!.lower).toBeGreaterThan(
      points[0]!.upper - points[0]!.lower,
    );
  });

  it('forecasts nothing while warming up', () => {
    const { state } = run([1, 2, 3]);

    expect(forecastSeries(state, 5)).toEqual([]);
    expect(timeToBreach(state, 10)).toBeNull();
  });
});
