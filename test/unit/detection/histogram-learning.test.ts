import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { initDistribution, learnDistribution } from '../../../src/detection/distribution-change';
import { coarse } from '../../../src/detection/numeric';
import { initRarity, learnRarity, RARITY_BINS } from '../../../src/detection/surprise-rarity';

// The decaying histograms learn on every point of every series (three rarity histograms, two of
// the distribution change): their update is written for speed, and must give exactly what the
// plain definition gives — each bin decayed, one added to the point's bin, rounded, tiny bins 0.
const decayedBy = (h: number[], d: number, k: number, digits: number) =>
  h.map((v, j) => {
    const next = v * d + (j === k ? 1 : 0);
    return next < 1e-3 ? 0 : coarse(next, digits);
  });

describe('decaying histograms', () => {
  it('learn a surprise exactly as the plain definition does, empty bins included', () => {
    const P = { memory: 4000, prior: 0.5, tail: 2 };
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e4, noNaN: true }), { maxLength: 300 }),
        (xs) => {
          // Prepare
          let state = initRarity();
          for (const surprise of xs) {
            // Act
            const next = learnRarity(state, surprise, P);
            // Assess: the bin the plain update raises is the one whose count grew by about one.
            const k = next.c.findIndex((v, j) => v > state.c[j]! * (1 - 1 / P.memory) + 0.5);
            expect(next.c).toEqual(decayedBy(state.c, 1 - 1 / P.memory, k, 6));
            expect(next.c).toHaveLength(RARITY_BINS);
            state = next;
          }
        },
      ),
      { numRuns: 50 },
    );
  });

  it('learn a z exactly as the plain definition does, the long window not after an alert', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: -60, max: 60, noNaN: true }), fc.boolean()), {
          maxLength: 300,
        }),
        (points) => {
          let state = initDistribution();
          for (const [z, alert] of points) {
            const next = learnDistribution(state, z, 32, 4000, alert);
            const k = next.s.findIndex((v, j) => v > state.s[j]! * (1 - 1 / 32) + 0.5);
            expect(next.s).toEqual(decayedBy(state.s, 1 - 1 / 32, k, 4));
            expect(next.l).toEqual(decayedBy(state.l, 1 - 1 / 4000, alert ? -1 : k, 4));
            state = next;
          }
        },
      ),
      { numRuns: 50 },
    );
  });
});
