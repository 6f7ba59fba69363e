// One old spike must not widen what the detector calls "the usual range" forever.
import { describe, expect, it } from 'vitest';
import { noisy, run } from './series-fixtures';

describe('range memory', () => {
  it('forgets one old spike slowly, but never shrinks inside the noise', () => {
    // Prepare: calm noise around 40, one spike to 1000, then a long calm stretch.
    const values = noisy(30_000, 40, 3, 11);
    values[500] = 1000;

    // Act
    const { state } = run(values);

    // Assess: after about 3 fade constants (10,000 points each) the spike's ceiling is a tenth of what it was.
    expect(state.mx).toBeLessThan(150);
    expect(state.mx).toBeGreaterThan(40 + 3 * 3);
    expect(state.mn).toBeLessThan(40 - 3 * 3);
  });
});
