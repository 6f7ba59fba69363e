// `npm run bench:detect`: points per CPU-second (one core) for the series detector over the NAB
// data, bare and with the JSON state round trip collect does for every point (median of several
// runs); then the load detector, which learns the load forecast beside it (what collect runs on
// `requests`, or on `cpu` where a service has no requests). CPU time, not wall time: the figure
// holds on a shared machine. `--ref <checkout>` measures another checkout's detectors in the same
// run, interleaved run by run, and prints the ratios.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadDetector, seriesDetector, type SeriesDetector } from '../src/detection';
import { listCsvFiles, readDataCsv, type NabRow } from './nab/csv';
import { detectSeries } from './nab/run-detector';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/nab/data' },
    runs: { type: 'string', default: '5' },
    ref: { type: 'string' },
    /** Every n-th NAB file only: a shorter run on a busy machine (the ratio still holds). */
    every: { type: 'string', default: '1' },
  },
});

const dataDir = resolve(values.data);
const series: NabRow[][] = listCsvFiles(dataDir)
  .filter((_, i) => i % Number(values.every) === 0)
  .map((f) => readDataCsv(resolve(dataDir, f)));
const points = series.reduce((sum, rows) => sum + rows.length, 0);

interface Detectors {
  series: SeriesDetector<unknown>;
  load: SeriesDetector<unknown>;
}
const ours: Detectors = {
  series: seriesDetector as SeriesDetector<unknown>,
  load: loadDetector as SeriesDetector<unknown>,
};

/** A checkout's detectors: before this module existed, `collectDetector` was the load detector. */
async function detectorsOf(checkout: string): Promise<Detectors> {
  const m = (await import(resolve(checkout, 'src/detection/index.ts'))) as Record<string, unknown>;
  return {
    series: m.seriesDetector as SeriesDetector<unknown>,
    load: (m.loadDetector ?? m.collectDetector) as SeriesDetector<unknown>,
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

function onePass(detector: SeriesDetector<unknown>, roundTrip: boolean): number {
  const started = cpuSeconds();
  for (const rows of series) detectSeries(detector, rows, roundTrip);
  return points / (cpuSeconds() - started);
}

const ref = values.ref ? await detectorsOf(values.ref) : null;
const cases = [
  ['detector update:', (d: Detectors) => d.series, false],
  ['with JSON state round trip:', (d: Detectors) => d.series, true],
  ['load detector (with the load forecast), round trip:', (d: Detectors) => d.load, true],
] as const;
onePass(ours.series, false); // warm the JIT
if (ref) onePass(ref.series, false);
console.log(`${series.length} series, ${points} points, median of ${values.runs} runs, one core`);
for (const [label, pick, roundTrip] of cases) {
  const mine: number[] = [];
  const theirs: number[] = [];
  for (let run = 0; run < Number(values.runs); run++) {
    mine.push(onePass(pick(ours), roundTrip));
    if (ref) theirs.push(onePass(pick(ref), roundTrip));
  }
  const fmt = (x: number) => `${Math.round(x).toLocaleString('en')} points/s`;
  const line = `${label.padEnd(52)} ${fmt(median(mine))}`;
  console.log(
    ref
      ? `${line}  (reference ${fmt(median(theirs))}, ratio ${(median(mine) / median(theirs)).toFixed(2)})`
      : line,
  );
}
