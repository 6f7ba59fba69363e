// `npx tsx bench/detect-fingerprint.ts`: one hash of every output (score, alert, direction, band,
// severity, explanation, z, forecast…) the detectors give on the NAB data, point by point with the
// state round trip collect does (the models item's body written and read by the store's own
// encodeModels / decodeModels: binary since session 11). A speed change must leave it identical; it
// also prints the largest state seen (JSON bytes, packed by the state codec as sessions 9-10 stored
// it: the 4 KB budget's measure; and bytes in the binary body), since the state's shape is what a
// speed change touches.
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  loadDetector,
  loadForecast,
  packState,
  seriesDetector,
  unpackState,
} from '../src/detection';
import type { SeriesDetector } from '../src/detection/series-detector';
import { decodeModels, encodeModels } from '../lib/store/model-store';
import { encodeValue } from '../lib/store/binary-value';
import { listCsvFiles, readDataCsv } from './nab/csv';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/nab/data' },
    /** Print one hash per file too (to find the first file that differs). */
    files: { type: 'boolean', default: false },
  },
});

const dataDir = resolve(values.data);
const files = listCsvFiles(dataDir);

function fingerprint<S>(detector: SeriesDetector<S>) {
  const all = createHash('sha256');
  let maxBytes = 0;
  let maxBinary = 0;
  for (const file of files) {
    const one = createHash('sha256');
    let state = detector.init();
    let rows = 0;
    for (const row of readDataCsv(resolve(dataDir, file))) {
      const { state: next, output } = detector.update(state, {
        timestamp: row.timestamp,
        value: row.value,
      });
      const json = JSON.stringify(packState(next));
      if (json.length > maxBytes) maxBytes = json.length;
      // The JSON form must give back what the body does (checked on every point).
      const viaJson = unpackState(JSON.parse(json));
      const binary = encodeValue(next).length;
      if (binary > maxBinary) maxBinary = binary;
      const body = encodeModels({
        series: [{ metric: 'm', state: next, version: 1 }],
        cadence: null,
      });
      state = decodeModels({ body, version: 1 }).series[0]!.state as S;
      if (JSON.stringify(viaJson) !== JSON.stringify(state))
        throw new Error(
          `${file}: the binary body gives back another state than JSON at row ${rows}`,
        );
      one.update(JSON.stringify(output));
      // The load forecast pre-scaling reads, where the detector keeps one (every 60th point).
      const lf = (next as { lf?: Parameters<typeof loadForecast>[0] }).lf;
      if (lf && rows % 60 === 0) one.update(JSON.stringify(loadForecast(lf, 30, 1.28)));
      rows++;
      one.update('\n');
    }
    const digest = one.digest('hex');
    if (values.files) console.log(`  ${digest.slice(0, 16)} ${file}`);
    all.update(digest);
  }
  return { hash: all.digest('hex').slice(0, 32), maxBytes, maxBinary };
}

for (const [name, detector] of [
  ['series detector', seriesDetector],
  ['load detector (requests)', loadDetector],
] as const) {
  const { hash, maxBytes, maxBinary } = fingerprint(detector as SeriesDetector<unknown>);
  console.log(
    `${name.padEnd(28)} ${hash}  largest state ${maxBytes} bytes of JSON, ${maxBinary} binary`,
  );
}
