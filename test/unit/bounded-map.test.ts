import { describe, expect, it } from 'vitest';
import { mapBounded } from '../../src/bounded-map';

describe('mapBounded', () => {
  it('never has more than the limit in flight and keeps the order of the results', async () => {
    let inFlight = 0;
    let most = 0;
    const delays = [30, 5, 20, 1, 15, 2, 8, 3];

    const out = await mapBounded(delays, 3, async (ms, i) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((r) => setTimeout(r, ms));
      inFlight -= 1;
      return i * 10;
    });

    expect(most).toBe(3);
    expect(out).toEqual([0, 10, 20, 30, 40, 50, 60, 70]);
  });

  it('starts the next item as soon as one finishes, not after the slowest of a slice', async () => {
    const started: number[] = [];
    await mapBounded([50, 1, 1, 1], 2, async (ms, i) => {
      started.push(i);
      await new Promise((r) => setTimeout(r, ms));
    });

    expect(started).toEqual([0, 1, 2, 3]);
  });

  it('refuses a limit below one instead of hanging', async () => {
    await expect(mapBounded([1], 0, async () => 1)).rejects.toThrow(/limit must be ≥ 1/);
  });
});
