import { brotliDecompressSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { emptyCadence } from '../../../src/collection/read-cadence';
import { loadDetector, seriesDetector, type SeriesDetector } from '../../../src/detection';
import { decodeModels, encodeModels } from '../../../lib/store/model-store';
import { dailyCycle, FIVE_MINUTES, START } from '../detection/series-fixtures';

// The models item's body: what collect saves is what it loads next tick, and an item saved before
// the state codec (plain JSON number lists) still loads.
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

  it('loads an item saved gzip-compressed (before brotli) as it was', () => {
    // Prepare: the body as session 9's store wrote it, packed states in gzip.
    const gzipped = gzipSync(brotliDecompressSync(encodeModels(models)));
    // Act
    const loaded = decodeModels({ body: gzipped, version: 5 });
    // Assess
    expect(JSON.stringify(loaded.series)).toBe(JSON.stringify(plain.series));
    expect(loaded.cadence).toEqual(plain.cadence);
  });

  it('stores each series in under 4 KB of JSON, the item within 5 % of gzipped plain JSON', () => {
    // Brotli at quality 1 trades a few per cent of bytes for a third of gzip's time (session 10).
    const body = encodeModels(models);
    const before = gzipSync(JSON.stringify(plain));
    expect(body.length).toBeLessThan(before.length * 1.05);
    const json = JSON.parse(brotliDecompressSync(body).toString('utf8')) as {
      series: Record<string, { s: unknown }>;
    };
    for (const { s } of Object.values(json.series)) {
      expect(JSON.stringify(s).length).toBeLessThanOrEqual(4096);
    }
  });
});
