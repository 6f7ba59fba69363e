import { describe, expect, it } from 'vitest';
import { loadDetector, seriesDetector, type SeriesDetector } from '../../../src/detection';
import { dailyCycle, FIVE_MINUTES, START } from './series-fixtures';

// The store keeps the states a container saved and hands the very objects to the next tick
// (lib/store/models-cache.ts): a detector that changed the state it is given would change what the
// cache holds, whether or not the save that follows succeeds.
function deepFreeze(value: unknown): void {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const v of Object.values(value)) deepFreeze(v);
}

describe('detector state', () => {
  it.each([
    ['series detector', seriesDetector],
    ['load detector', loadDetector],
  ])('the %s never changes the state it is given', (_, detector) => {
    const d = detector as SeriesDetector<unknown>;
    let state = d.init();
    const values = dailyCycle(9);
    // A jump late on, so the anomaly paths run too.
    values.push(...values.slice(-36).map((v) => v * 3));
    expect(() => {
      values.forEach((value, i) => {
        deepFreeze(state);
        state = d.update(state, { timestamp: START + i * FIVE_MINUTES, value }).state;
      });
    }).not.toThrow();
  });
});
