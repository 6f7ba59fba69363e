// `npm run bench:detect`: points per second per core for the series detector over the NAB data,
// bare and with the JSON state round trip collect does for every point (median of several runs);
// then collect's own detector, which learns the load forecast beside it (`collectDetector`).
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { collectDetector, seriesDetector, type SeriesDetector } from '../src/detection';
import { listCsvFiles, readDataCsv, type NabRow } from './nab/csv';
import { detectSeries } from './nab/run-detector';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/nab/data' },
    runs: { type: 'string', default: '5' },
  },
});

const dataDir = resolve(values.data);
const series: NabRow[][] = listCsvFiles(dataDir).map((f) => readDataCsv(resolve(dataDir, f)));
const points = series.reduce((sum, rows) => sum + rows.length, 0);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function pointsPerSecond<S>(detector: SeriesDetector<S>, roundTrip: boolean): number {
  const rates: number[] = [];
  for (let run = 0; run < Number(values.runs); run++) {
    const started = performance.now();
    for (const rows of series) detectSeries(detector, rows, roundTrip);
    rates.push(points / ((performance.now() - started) / 1000));
  }
  return median(rates);
}

pointsPerSecond(seriesDetector, false); // warm the JIT
const bare = pointsPerSecond(seriesDetector, false);
const withState = pointsPerSecond(seriesDetector, true);
const collectWithState = pointsPerSecond(collectDetector, true);
console.log(`${series.length} series, ${points} points, median of ${values.runs} runs, one core`);
console.log(`detector update:              ${Math.round(bare).toLocaleString('en')} points/s`);
console.log(`with JSON state round trip:   ${Math.round(withState).toLocaleString('en')} points/s`);
console.log(
  `collect's detector (with the load forecast), round trip: ${Math.round(collectWithState).toLocaleString('en')} points/s`,
);
