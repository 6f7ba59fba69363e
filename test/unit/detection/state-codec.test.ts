import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  loadDetector,
  packState,
  seriesDetector,
  unpackState,
  type SeriesDetector,
} from '../../../src/detection';
import { coarse } from '../../../src/detection/numeric';
import { dailyCycle, FIVE_MINUTES, START } from './series-fixtures';

/** What the store does: pack, JSON, and back. */
function roundTrip(value: unknown): unknown {
  return unpackState(JSON.parse(JSON.stringify(packState(value))));
}

/** What plain JSON gives back (−0 becomes 0, NaN null): the codec must give the same. */
function viaJson(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}

/** Same doubles bit for bit (Object.is, so 0 and −0 differ), same shape. */
function expectSame(actual: unknown, expected: unknown): void {
  if (typeof expected === 'number') {
    expect(Object.is(actual, expected), `${String(actual)} vs ${expected}`).toBe(true);
  } else if (Array.isArray(expected)) {
    expect(Array.isArray(actual)).toBe(true);
    expect((actual as unknown[]).length).toBe(expected.length);
    expected.forEach((x, i) => expectSame((actual as unknown[])[i], x));
  } else if (expected !== null && typeof expected === 'object') {
    expect(Object.keys(actual as object).sort()).toEqual(Object.keys(expected).sort());
    for (const [k, v] of Object.entries(expected)) {
      expectSame((actual as Record<string, unknown>)[k], v);
    }
  } else {
    expect(actual).toBe(expected);
  }
}

function trained<S>(detector: SeriesDetector<S>, days: number): S {
  let state = detector.init();
  dailyCycle(days).forEach((value, i) => {
    state = detector.update(state, { timestamp: START + i * FIVE_MINUTES, value }).state;
  });
  return state;
}

describe('state codec', () => {
  it('gives back the very doubles of lists rounded as the state rounds them, at any magnitude', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.double({ noNaN: true, noDefaultInfinity: true }),
            fc.integer({ min: 1, max: 7 }),
          ),
          { minLength: 4, maxLength: 60 },
        ),
        (pairs) => {
          const xs = pairs.map(([x, d]) => coarse(x, d));
          expectSame(roundTrip(xs), viaJson(xs));
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('packs fractional lists of one magnitude (as the state holds) into a string, and gives them back exactly', () => {
    fc.assert(
      fc.property(
        // Values from 1e-4 to 1e3 times one power of ten (raw units differ by series), and zeros.
        fc.array(fc.integer({ min: -1e7, max: 1e7 }), { minLength: 4, maxLength: 60 }),
        fc.integer({ min: -12, max: 12 }),
        fc.integer({ min: 1, max: 7 }),
        (ms, e, d) => {
          const xs = ms.map((m) => coarse((m / 1e4) * 10 ** e, d));
          // Lists of small integers are cheap JSON already and stay as they are.
          const fractional = xs.some((x) => !Number.isInteger(x) || Math.abs(x) > 2 ** 31);
          expect(typeof packState(xs)).toBe(fractional ? 'string' : 'object');
          expectSame(roundTrip(xs), viaJson(xs));
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('gives back any JSON value as JSON would, unrounded doubles and marker strings included', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue(),
          fc.array(fc.double(), { minLength: 4 }),
          fc.array(fc.constantFrom('~', '~~x', '~Dabc', 'x'), { minLength: 1 }),
        ),
        (value) => expectSame(roundTrip(value), viaJson(value)),
      ),
      { numRuns: 2_000 },
    );
  });

  it('keeps a detector state exact, so the detector goes on as if it had never been stored', () => {
    // Prepare: two detectors trained alike, one of them stored and read back after every point.
    const values = dailyCycle(3);
    let stored = seriesDetector.init();
    let kept = seriesDetector.init();
    // Act
    values.forEach((value, i) => {
      const point = { timestamp: START + i * FIVE_MINUTES, value };
      const a = seriesDetector.update(stored, point);
      const b = seriesDetector.update(kept, point);
      // Assess: the same judgement point by point, and the same state as a plain JSON round trip.
      expect(a.output).toEqual(b.output);
      stored = roundTrip(a.state) as typeof stored;
      kept = viaJson(b.state) as typeof kept;
      expect(JSON.stringify(stored)).toBe(JSON.stringify(kept));
    });
    expectSame(stored, kept);
  });

  it('loads a state stored before the codec existed (plain number lists) as it was', () => {
    // A state of the previous shape, as the models item held it.
    const old = viaJson(trained(seriesDetector, 2));
    const before = JSON.stringify(old);
    expectSame(unpackState(JSON.parse(before)), old);
  });

  it('stores a long-trained state in less JSON than before, within 4 KB', () => {
    for (const detector of [seriesDetector, loadDetector] as SeriesDetector<unknown>[]) {
      const state = trained(detector, 8);
      const packed = JSON.stringify(packState(state)).length;
      expect(packed).toBeLessThan(JSON.stringify(state).length * 0.92);
      expect(packed).toBeLessThanOrEqual(4096);
    }
  });
});
