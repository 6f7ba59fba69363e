// `npm run bench:detect`: points per CPU-second (one core) for the detectors over the NAB data, on
// the path collect runs (src/use-cases/collect-tick.ts): a tick loads each series' saved state,
// feeds it the points that are new since the last tick, and saves it, so the state makes one round
// trip per tick per series as the store keeps it (lib/store/model-store.ts: packed by the state
// codec, src/detection/state-codec.ts, then JSON; a checkout from before the codec: JSON alone).
// A service read every minute (hot, or `calmEveryMinutes` 1) gets one new point a tick: one round
// trip per point, the promise's figure (≥ 20,000 points/s). A calm service read every 15 minutes
// gets 15 points per round trip; a warm-up chunk 2,880. The store also gzips the service's models
// item: measured here on one series' state alone (an upper bound: the real item holds every series
// of the service, one gzip stream). The detectors run as Lambda runs them: src/detection bundled by
// esbuild with serverless.yml's settings (one minified ESM file), not through tsx (`--tsx` for
// that), whose per-module wrappers add a call to every cross-module function call. Median of
// several runs, CPU time, not wall time: the figure holds on a shared machine. Also the state's
// JSON bytes per series as stored (mean over every point, and the largest). `--ref <checkout>`
// measures another checkout's detectors (and its way of storing a state) in the same run,
// interleaved run by run, with ratios.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { gunzipSync, gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import type { SeriesDetector } from '../src/detection';
import { listCsvFiles, readDataCsv, type NabRow } from './nab/csv';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/nab/data' },
    runs: { type: 'string', default: '5' },
    ref: { type: 'string' },
    /** Every n-th NAB file only: a shorter run on a busy machine (the ratio still holds). */
    every: { type: 'string', default: '1' },
    /** Run the TypeScript through tsx instead of the production bundle. */
    tsx: { type: 'boolean', default: false },
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
  /** How the store writes a state into the models item's JSON and reads it back (identity in a
   *  checkout from before the state codec). */
  pack: (state: unknown) => unknown;
  unpack: (stored: unknown) => unknown;
}
const outDir = mkdtempSync(join(tmpdir(), 'detect-speed-'));

/** A checkout's src/detection as production builds it (serverless.yml: bundle, minify, ESM). */
async function bundled(checkout: string, name: string): Promise<string> {
  const outfile = join(outDir, `${name}.mjs`);
  await build({
    entryPoints: [resolve(checkout, 'src/detection/index.ts')],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    outfile,
    logLevel: 'error',
  });
  return pathToFileURL(outfile).href;
}

/** A checkout's detectors and state codec: before this module existed, `collectDetector` was the
 *  load detector; before the codec, states were stored as plain JSON. */
async function detectorsOf(checkout: string, name: string): Promise<Detectors> {
  const entry = values.tsx
    ? resolve(checkout, 'src/detection/index.ts')
    : await bundled(checkout, name);
  const m = (await import(entry)) as Record<string, unknown>;
  return {
    series: m.seriesDetector as SeriesDetector<unknown>,
    load: (m.loadDetector ?? m.collectDetector) as SeriesDetector<unknown>,
    pack: (m.packState ?? ((x: unknown) => x)) as Detectors['pack'],
    unpack: (m.unpackState ?? ((x: unknown) => x)) as Detectors['unpack'],
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

/** How a tick saves and loads the state: not at all, as the models item's JSON (the checkout's
 *  codec, then JSON), or that JSON gzip'd as the store does. */
type Store = 'none' | 'json' | 'gzip';

function save(state: unknown, store: Store, d: Detectors): unknown {
  if (store === 'none') return state;
  const json = JSON.stringify(d.pack(state));
  if (store === 'json') return d.unpack(JSON.parse(json));
  return d.unpack(JSON.parse(gunzipSync(gzipSync(json)).toString('utf8')));
}

/** One pass over every series, `perTick` points between loading and saving the state. */
function onePass(d: Detectors, pick: Pick, store: Store, perTick: number): number {
  const detector = pick(d);
  const started = cpuSeconds();
  for (const rows of series) {
    let state = detector.init();
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      state = detector.update(state, { timestamp: row.timestamp, value: row.value }).state;
      if ((i + 1) % perTick === 0) state = save(state, store, d);
    }
  }
  return points / (cpuSeconds() - started);
}

/** JSON bytes of the state as stored after every point: mean and largest, per series. */
function stateBytes(d: Detectors, pick: Pick): { mean: number; max: number } {
  const detector = pick(d);
  let sum = 0;
  let max = 0;
  for (const rows of series) {
    let state = detector.init();
    for (const row of rows) {
      state = detector.update(state, { timestamp: row.timestamp, value: row.value }).state;
      const json = JSON.stringify(d.pack(state));
      sum += json.length;
      if (json.length > max) max = json.length;
      state = d.unpack(JSON.parse(json));
    }
  }
  return { mean: sum / points, max };
}

type Pick = (d: Detectors) => SeriesDetector<unknown>;
const ours = await detectorsOf('.', 'ours');
const ref = values.ref ? await detectorsOf(values.ref, 'ref') : null;
const cases = [
  ['series detector, update alone:', (d: Detectors) => d.series, 'none', 1],
  ['  state round trip every point (read every minute):', (d: Detectors) => d.series, 'json', 1],
  ['  state + gzip every point (the store, one series):', (d: Detectors) => d.series, 'gzip', 1],
  ['  state round trip every 15 points (calm service):', (d: Detectors) => d.series, 'json', 15],
  ['load detector (with `lf`), state round trip every point:', (d: Detectors) => d.load, 'json', 1],
] as const;
onePass(ours, (d) => d.series, 'json', 1); // warm the JIT
if (ref) onePass(ref, (d) => d.series, 'json', 1);
console.log(
  `${series.length} series, ${points} points, median of ${values.runs} runs, one core, ` +
    (values.tsx ? 'TypeScript through tsx' : 'esbuild bundle as deployed'),
);
const fmt = (x: number) => `${Math.round(x).toLocaleString('en')} points/s`;
for (const [label, pick, store, perTick] of cases) {
  const mine: number[] = [];
  const theirs: number[] = [];
  for (let run = 0; run < Number(values.runs); run++) {
    mine.push(onePass(ours, pick, store, perTick));
    if (ref) theirs.push(onePass(ref, pick, store, perTick));
  }
  const line = `${label.padEnd(58)} ${fmt(median(mine))}`;
  console.log(
    ref
      ? `${line}  (reference ${fmt(median(theirs))}, ratio ${(median(mine) / median(theirs)).toFixed(2)})`
      : line,
  );
}
for (const [name, pick] of [
  ['series detector', (d: Detectors) => d.series],
  ['load detector', (d: Detectors) => d.load],
] as const) {
  const b = stateBytes(ours, pick);
  const r = ref ? stateBytes(ref, pick) : null;
  const fmtB = (x: { mean: number; max: number }) =>
    `mean ${Math.round(x.mean).toLocaleString('en')} bytes, largest ${x.max.toLocaleString('en')}`;
  console.log(
    `state as stored (JSON) per series, ${name.padEnd(16)} ${fmtB(b)}${r ? `  (reference ${fmtB(r)})` : ''}`,
  );
}
