import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { emptyCadence } from '../../../src/collection/read-cadence';
import {
  loadDetector,
  packState,
  seriesDetector,
  type SeriesDetector,
} from '../../../src/detection';
import {
  BINARY_BODY,
  decodeModels,
  encodeModels,
  writeToken,
} from '../../../lib/store/model-store';
import { BinaryValueError } from '../../../lib/store/binary-value';
import { dailyCycle, FIVE_MINUTES, START } from '../detection/series-fixtures';

// The models item's body: what collect saves is what it loads next tick, and items saved in every
// earlier format (binary since session 11; JSON packed by the state codec in brotli or gzip; plain
// JSON number lists in gzip) still load.
function trained<S>(detector: SeriesDetector<S>, days: number) {
  let state = detector.init();
  const values = dailyCycle(days);
  values.forEach((value, i) => {
    state = detector.update(state, { timestamp: START + i * FIVE_MINUTES, value }).state;
  });
  return { lastTimestamp: START + (values.length - 1) * FIVE_MINUTES, detector: state };
}

const models = {
  series: [
    { metric: 'requests', state: trained(loadDetector as SeriesDetector<unknown>, 4), version: 7 },
    { metric: 'cpu', state: trained(seriesDetector as SeriesDetector<unknown>, 4), version: 3 },
  ],
  cadence: { ...emptyCadence, lastReadAt: START, lastValues: { cpu: 41.5 } },
};
/** The states as plain JSON gives them back (what the store kept before the codec). */
const plain = JSON.parse(JSON.stringify(models)) as typeof models;

/** The body as sessions 9-10 wrote it: states packed by the state codec, JSON. */
const packedJson = JSON.stringify({
  series: Object.fromEntries(
    models.series.map((r) => [r.metric, { v: r.version, s: packState(r.state) }]),
  ),
  cadence: models.cadence,
});

describe('models item body', () => {
  it('loads the very states it saved, packed', () => {
    // Act
    const body = encodeModels(models);
    const loaded = decodeModels({ body, version: 8 });
    // Assess
    expect(loaded.version).toBe(8);
    expect(loaded.series).toEqual(plain.series);
    expect(JSON.stringify(loaded.series)).toBe(JSON.stringify(plain.series));
    expect(loaded.cadence).toEqual(plain.cadence);
  });

  it('loads an item saved before the state codec (plain JSON number lists) as it was', () => {
    // Prepare: the body as the store wrote it before.
    const old = gzipSync(
      JSON.stringify({
        series: Object.fromEntries(
          models.series.map((r) => [r.metric, { v: r.version, s: r.state }]),
        ),
        cadence: models.cadence,
      }),
    );
    // Act
    const loaded = decodeModels({ body: old, version: 5 });
    // Assess
    expect(JSON.stringify(loaded.series)).toBe(JSON.stringify(plain.series));
  });

  it('writes binary: no JSON, no base-64', () => {
    // Act
    const body = encodeModels(models);
    // Assess
    expect(body[0]).toBe(BINARY_BODY);
    expect(Buffer.from(body).includes('"series"')).toBe(false);
  });

  it('loads an item saved as brotli-compressed packed JSON (session 10) as it was', () => {
    // Prepare: the body as session 10's store wrote it.
    const brotli = brotliCompressSync(packedJson, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 1, [constants.BROTLI_PARAM_LGWIN]: 16 },
    });
    // Act
    const loaded = decodeModels({ body: brotli, version: 5 });
    // Assess
    expect(JSON.stringify(loaded.series)).toBe(JSON.stringify(plain.series));
    expect(loaded.cadence).toEqual(plain.cadence);
  });

  it('loads an item saved as gzip-compressed packed JSON (session 9) as it was', () => {
    // Act
    const loaded = decodeModels({ body: gzipSync(packedJson), version: 5 });
    // Assess
    expect(JSON.stringify(loaded.series)).toBe(JSON.stringify(plain.series));
    expect(loaded.cadence).toEqual(plain.cadence);
  });

  it('refuses a corrupt or unknown body with a clear error', () => {
    // Prepare
    const body = encodeModels(models);
    // Act, Assess
    expect(() => decodeModels({ body: body.subarray(0, body.length - 5), version: 5 })).toThrow(
      BinaryValueError,
    );
    expect(() => decodeModels({ body: Uint8Array.from([BINARY_BODY, 9, 0]), version: 5 })).toThrow(
      /unknown binary version 9/,
    );
    expect(() => decodeModels({ body: Uint8Array.from([0x7b, 0x7d]), version: 5 })).toThrow(
      /neither binary, gzip nor brotli/,
    );
    expect(() => decodeModels({ body: new Uint8Array(0), version: 5 })).toThrow(/empty body/);
  });

  it('stores each series in under 4 KB, as JSON and as written', () => {
    // Assess: the 4 KB budget is of the state's JSON (packed as sessions 9-10 stored it).
    const json = JSON.parse(packedJson) as { series: Record<string, { s: unknown }> };
    for (const { s } of Object.values(json.series)) {
      expect(JSON.stringify(s).length).toBeLessThanOrEqual(4096);
    }
    for (const r of models.series) {
      expect(encodeModels({ series: [r], cadence: null }).length).toBeLessThanOrEqual(4096);
    }
  });
  it('gives every save its own write token, also past a refill of the random pool', () => {
    // Act: more tokens than one draw of random bytes holds (256).
    const tokens = Array.from({ length: 1000 }, () => writeToken());
    // Assess: 12 random bytes each, base64url, never one twice.
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(new Set(tokens).size).toBe(tokens.length);
  });
});
