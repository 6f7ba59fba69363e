// `npx tsx bench/detect-fingerprint.ts`: one hash of every output (score, alert, direction, band,
// severity, explanation, z, forecast…) the detectors give on the NAB data, point by point with the
// state round trip collect does (packed by the state codec, then JSON, as the models item stores
// it). A speed change must leave it identical; it also prints the largest state seen (JSON bytes
// as stored), since the state's shape is what a speed change touches.
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

function fingerprint<S>(detector: SeriesDetector<S>): { hash: string; maxBytes: number } {
  const all = createHash('sha256');
  let maxBytes = 0;
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
      state = unpackState(JSON.parse(json)) as S;
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
  return { hash: all.digest('hex').slice(0, 32), maxBytes };
}

for (const [name, detector] of [
  ['series detector', seriesDetector],
  ['load detector (requests)', loadDetector],
] as const) {
  const { hash, maxBytes } = fingerprint(detector as SeriesDetector<unknown>);
  console.log(`${name.padEnd(28)} ${hash}  largest state ${maxBytes} bytes`);
}
