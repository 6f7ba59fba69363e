import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BinaryValueError, decodeValue, encodeValue } from '../../../lib/store/binary-value';

// The models body's binary form: what it gives back is what JSON.stringify + JSON.parse would, so
// the detectors cannot tell which one the store used; a corrupt body fails with a clear error.
const json = (x: unknown): unknown => JSON.parse(JSON.stringify(x));

describe('binary value', () => {
  it('gives back what JSON gives back, for every kind of value', () => {
    // Prepare: decimal lists of every width, lists no scale fits, integers, strings, nesting.
    const value = {
      small: [0.1, 0.25, -0.5, 1],
      wide: [123456.789, -0.000001, 42],
      huge: [1e300, 2.5e-300, Math.PI],
      ints: [0, 1, -1, 4095, 2 ** 31 - 1, -(2 ** 31), 2 ** 40, -(2 ** 53)],
      zero: [0, -0, 0],
      one: [0.3],
      mixed: [1, 'two', null, true, false, { three: 3 }, [4.5, 6.25]],
      text: 'déjà vu ✓ '.repeat(20),
      lone: 'a\ud800b',
      ['__proto__']: { polluted: true },
      short: 'é',
      empty: { list: [], object: {}, string: '' },
      nested: { a: { b: { c: [1.5, 2.5, 3.5], d: -7 } } },
      again: { a: 1, small: 2 },
      float: 1234.5678,
      negative: -(2 ** 33),
    };
    // Act
    const back = decodeValue(encodeValue(value));
    // Assess
    expect(back).toEqual(json(value));
    expect(JSON.stringify(back)).toBe(JSON.stringify(value));
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });

  it('gives every double back bit for bit, whatever its digits', () => {
    // Prepare: random doubles rounded to 1–17 significant digits, at scales from 1e-12 to 1e12.
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    const lists = Array.from({ length: 300 }, (_, i) =>
      Array.from({ length: 2 + (i % 40) }, () =>
        Number(((random() - 0.4) * 10 ** (24 * random() - 12)).toPrecision(1 + (i % 17))),
      ),
    );
    // Act
    const back = decodeValue(encodeValue(lists)) as number[][];
    // Assess
    back.forEach((xs, i) => xs.forEach((x, j) => expect(Object.is(x, lists[i]![j])).toBe(true)));
  });

  it('reads a number list back bit for bit at every code width, scale up and down', () => {
    // Prepare: per width w (1–7 bytes), codes up to the width's largest, at 10^3 and 10^-3, so the
    // decoder's path for each width and each sign of the scale is taken (checked in the header).
    const cases = [1, 2, 3, 4, 5, 6, 7].flatMap((width) => {
      const top = Math.min(2 ** (8 * width - 1), 2 ** 52) - 1;
      const codes = [top, -Math.floor(top / 3), 1, 0, -1, Math.floor(top / 7)];
      return [
        { width, k: 3, xs: codes.map((n) => n / 1000) },
        // n · 1000 stays an exact integer below 2^53 only for the narrower widths.
        ...(width <= 5 ? [{ width, k: -3, xs: codes.map((n) => n * 1000) }] : []),
      ];
    });
    for (const { width, k, xs } of cases) {
      // Act
      const bytes = encodeValue(xs);
      const back = decodeValue(bytes) as number[];
      // Assess: tag 8 (decimals), count, width, k + 22; then every value, bit for bit.
      expect([bytes[0], bytes[2], bytes[3]]).toEqual([8, width, k + 22]);
      expect(back).toHaveLength(xs.length);
      back.forEach((x, i) => expect(Object.is(x, xs[i])).toBe(true));
    }
  });

  it('gives back what JSON gives back for any value, any doubles included', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue(),
          fc.array(fc.double()),
          fc.dictionary(fc.string(), fc.array(fc.oneof(fc.double(), fc.integer()))),
        ),
        (value) => {
          expect(JSON.stringify(decodeValue(encodeValue(value)))).toBe(JSON.stringify(value));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('writes what JSON cannot hold as JSON does: NaN and infinities null, undefined left out', () => {
    // Prepare
    const value = {
      list: [1.5, NaN, 2.5],
      infinite: [Infinity, -Infinity],
      alone: NaN,
      minusZero: -0,
      gone: undefined,
      holes: [undefined, 1],
    };
    // Act
    const back = decodeValue(encodeValue(value));
    // Assess
    expect(back).toEqual(json(value));
    expect(Object.is((back as { minusZero: number }).minusZero, 0)).toBe(true);
    expect('gone' in (back as object)).toBe(false);
  });

  it('writes a list of rounded fractions in the fewest whole bytes a value', () => {
    // ±37 at 3 decimals: codes within ±2^16, three bytes each, plus a 4-byte header.
    const xs = Array.from({ length: 100 }, (_, i) => Number((Math.sin(i) * 37).toFixed(3)));
    expect(encodeValue(xs).length).toBe(4 + 3 * 100);
  });

  it('fails with a clear error on a truncated or corrupt body', () => {
    // Prepare
    const bytes = encodeValue({ profile: [0.5, 1.25, 3.75], name: 'cpu' });
    const unknownTag = Uint8Array.from(bytes);
    unknownTag[0] = 99;
    // Act, Assess
    expect(() => decodeValue(bytes.subarray(0, bytes.length - 3))).toThrow(BinaryValueError);
    expect(() => decodeValue(bytes.subarray(0, bytes.length - 3))).toThrow(/models body corrupt/);
    expect(() => decodeValue(unknownTag)).toThrow(/unknown tag 99/);
    expect(() => decodeValue(Uint8Array.from([...bytes, 0]))).toThrow(/1 byte\(s\) after/);
    expect(() => decodeValue(Uint8Array.from([6, 0xff, 0xff, 0xff, 0x7f]))).toThrow(
      BinaryValueError,
    );
  });
  it('writes a body the same whatever bodies the container wrote before it', () => {
    // Prepare: the encoder keeps its key table between bodies; each body must still carry its own.
    const first = { series: { cpu: { v: 1, s: { lvl: 2.5, rr: [0.5, 1.5] } } }, cadence: null };
    const second = { cadence: { lvl: 3 }, other: { rr: [2.25, 4.5], cpu: 'x' } };
    const alone = Uint8Array.from(encodeValue(second));
    // Act
    encodeValue(first);
    const after = Uint8Array.from(encodeValue(second));
    // Assess
    expect(after).toEqual(alone);
    expect(decodeValue(after)).toEqual(json(second));
  });

  it('gives back a value with more distinct keys than the encoder keeps between bodies', () => {
    // Prepare: 5,000 distinct keys, each used twice (past the 4,096 kept, the table starts over).
    const many: Record<string, unknown> = {};
    for (let i = 0; i < 5000; i++) many[`k${i}`] = { [`k${i}`]: i / 4 };
    // Act
    const back = decodeValue(encodeValue({ many, again: { k1: 1, k4999: 2 } }));
    // Assess
    expect(back).toEqual(json({ many, again: { k1: 1, k4999: 2 } }));
  });
});
