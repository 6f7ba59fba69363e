import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coarse, compact } from '../../../src/detection/numeric';

// The state's rounding is on every point's path: the fast rounding must give the very double
// `Number(x.toPrecision(d))` gives, or the detector's outputs (and the NAB scores) would drift.
describe('coarse', () => {
  it('is exactly Number(x.toPrecision(digits)) for any double', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true }), fc.integer({ min: 1, max: 15 }), (x, d) => {
        const want = Number.isFinite(x) ? Number(x.toPrecision(d)) : 0;
        expect(Object.is(coarse(x, d), want === 0 && x === 0 ? x : want)).toBe(true);
      }),
      { numRuns: 20_000 },
    );
  });

  it('rounds ties, powers of ten and their neighbours as toPrecision does', () => {
    const xs = [0.5, 1.5, 2.5, 0.125, 1234.5, 99999.95, 9.9999995, 1e-7, 1e22, 1e23, 123456.5];
    for (let e = -30; e <= 30; e++) xs.push(10 ** e, 10 ** e * (1 - 1e-16), 10 ** e * (1 + 1e-15));
    for (const x of xs) {
      for (const d of [1, 3, 4, 6, 7]) {
        expect(coarse(x, d)).toBe(Number(x.toPrecision(d)));
        expect(coarse(-x, d)).toBe(Number((-x).toPrecision(d)));
      }
      expect(compact(x)).toBe(Number(x.toPrecision(7)));
    }
  });

  it('rounds decimals that sit on a half exactly as toPrecision does, whichever side the double is', () => {
    // A value with one digit more than kept, ending in 5 (14.485 to 4 digits): the double is just
    // above or just below the half, and only the exact product tells which (or an exact tie).
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 15 }),
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.integer({ min: -20, max: 20 }),
        fc.constantFrom(1, 1 + 2.3e-16, 1 - 1.2e-16),
        (d, digits, shift, nudge) => {
          const mantissa = (digits % 10 ** d) * 10 + 5;
          const x = ((mantissa * 10 ** shift) / 10 ** d) * nudge;
          expect(coarse(x, d)).toBe(Number(x.toPrecision(d)));
          expect(coarse(-x, d)).toBe(Number((-x).toPrecision(d)));
        },
      ),
      { numRuns: 20_000 },
    );
  });

  it('keeps the state finite: infinities and NaN become 0', () => {
    expect(coarse(Infinity, 4)).toBe(0);
    expect(coarse(-Infinity, 4)).toBe(0);
    expect(coarse(NaN, 4)).toBe(0);
    expect(coarse(0, 4)).toBe(0);
  });
});
