// `npm run bench:detect`: points per CPU-second (one core) for the detectors over the NAB data, on
// the path collect runs (src/use-cases/collect-tick.ts). A tick loads each service's models item
// (one item holding every series of the service), feeds each series the points that are new since
// the last tick, and saves the item; the store (lib/store/model-store.ts) decodes it on load
// (binary since session 11, lib/store/binary-value.ts; before: decompress, parse, unpack by
// src/detection/state-codec.ts) and encodes it on save, unless the container kept the models it
// decoded or wrote (a hit: the item read is the container's own last write). The "models item"
// cases run that path with the store's own code (encodeModels, decodeModels and the container's
// cache; the DynamoDB calls left out): services of
// six NAB series (sorted by length, six neighbours a service; a shorter series replayed after its
// end, timestamps shifted on, so every series gets a point every tick), named as collect names them
// so each gets collect's detector (the load detector on
// `requests`). A hot service (read every minute) gets one point a series a tick: the promise's
// figure (≥ 20,000 points/s). Hit: one container ticks the service; miss: two containers take turns
// (each reads the other's write, as fan-out shards landing on different containers do); calm: 15
// points a tick. The series cases are one series' state alone (update; codec + JSON round trip every
// point, session 9's figure). The detectors and the store run as Lambda runs them: bundled by
// esbuild with serverless.yml's settings (one minified ESM file), not through tsx (`--tsx` for the
// series cases through tsx). Median of several runs, CPU time, not wall time: the figure holds on a
// shared machine. Also the state's JSON bytes per series as stored and the item's bytes as written.
// `--ref <checkout>` measures another checkout in the same run, interleaved run by run, with ratios.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import type { SeriesDetector } from '../src/detection';
import type { ServiceModels } from '../src/ports';
import { listCsvFiles, readDataCsv, type NabRow } from './nab/csv';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/nab/data' },
    runs: { type: 'string', default: '5' },
    ref: { type: 'string' },
    /** Every n-th NAB file only: a shorter run on a busy machine (the ratio still holds). */
    every: { type: 'string', default: '1' },
    /** Run the series cases' TypeScript through tsx instead of the production bundle. */
    tsx: { type: 'boolean', default: false },
  },
});

const dataDir = resolve(values.data);
const series: NabRow[][] = listCsvFiles(dataDir)
  .filter((_, i) => i % Number(values.every) === 0)
  .map((f) => readDataCsv(resolve(dataDir, f)));
const points = series.reduce((sum, rows) => sum + rows.length, 0);

/** A service's series as collect names them (the load forecast only on `requests`). */
const METRICS = ['requests', 'cpu', 'memory', 'latency_p95', 'errors_5xx', 'error_rate'];
/** Services of six neighbours by length; each series as many points as its service's longest. */
const services: NabRow[][][] = [];
{
  const byLength = [...series].sort((a, b) => a.length - b.length);
  for (let i = 0; i < byLength.length; i += METRICS.length) {
    const group = byLength.slice(i, i + METRICS.length);
    const ticks = Math.max(...group.map((rows) => rows.length));
    services.push(group.map((rows) => replayed(rows, ticks)));
  }
}
const servicePoints = services.reduce((sum, s) => sum + s.length * s[0]!.length, 0);

/** The series over `length` points: after its end it starts again, its timestamps moved on. */
function replayed(rows: NabRow[], length: number): NabRow[] {
  const span = rows[rows.length - 1]!.timestamp - rows[0]!.timestamp + 300_000;
  return Array.from({ length }, (_, i) => {
    const row = rows[i % rows.length]!;
    return { ...row, timestamp: row.timestamp + Math.floor(i / rows.length) * span };
  });
}

interface Checkout {
  series: SeriesDetector<unknown>;
  /** Collect's detector of a series (the load detector on load series). */
  detectorFor: (metric: string, metrics: ReadonlySet<string>) => SeriesDetector<unknown>;
  /** How the store writes a state into the models item's JSON and reads it back (identity in a
   *  checkout from before the state codec). */
  pack: (state: unknown) => unknown;
  unpack: (stored: unknown) => unknown;
  /** The store's models item body: encodeModels / decodeModels of lib/store/model-store.ts. */
  encode: (models: Omit<ServiceModels, 'version'>) => Uint8Array;
  decode: (item: Record<string, unknown>) => ServiceModels;
  /** The container's cache of decoded items (lib/store/models-cache.ts), if the checkout has one. */
  cache: (new () => ModelsCache) | null;
  /** The store's write token for a save (exported since session 11's update; before, 12 bytes of
   *  randomBytes, which is what the store drew). */
  token: () => string;
}

interface ModelsCache {
  read(
    serviceId: string,
    item: Record<string, unknown>,
    decode: (item: Record<string, unknown>) => ServiceModels,
  ): ServiceModels;
  keep(serviceId: string, token: string, models: ServiceModels): void;
  forget(serviceId: string): void;
}
const outDir = mkdtempSync(join(tmpdir(), 'detect-speed-'));

/** A checkout's src/detection and models store as production builds them (serverless.yml:
 *  bundle, minify, ESM). */
async function bundled(checkout: string, name: string): Promise<string> {
  const outfile = join(outDir, `${name}.mjs`);
  const root = resolve(checkout);
  await build({
    stdin: {
      contents: [
        `export * from './src/detection/index.ts';`,
        `export * from './lib/store/model-store.ts';`,
        existsSync(join(root, 'lib/store/models-cache.ts'))
          ? `export { DecodedModelsCache } from './lib/store/models-cache.ts';`
          : '',
      ].join('\n'),
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    outfile,
    logLevel: 'error',
    banner: {
      js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
    },
  });
  return pathToFileURL(outfile).href;
}

async function checkoutOf(root: string, name: string): Promise<Checkout> {
  const b = (await import(await bundled(root, name))) as Record<string, unknown>;
  // The series cases through tsx on request; the store always bundled.
  const m = values.tsx
    ? ((await import(resolve(root, 'src/detection/index.ts'))) as Record<string, unknown>)
    : b;
  return {
    series: m.seriesDetector as SeriesDetector<unknown>,
    detectorFor: b.collectDetectorFor as Checkout['detectorFor'],
    pack: (m.packState ?? ((x: unknown) => x)) as Checkout['pack'],
    unpack: (m.unpackState ?? ((x: unknown) => x)) as Checkout['unpack'],
    encode: b.encodeModels as Checkout['encode'],
    decode: b.decodeModels as Checkout['decode'],
    cache: (b.DecodedModelsCache ?? null) as Checkout['cache'],
    token: (b.writeToken ?? (() => randomBytes(12).toString('base64url'))) as Checkout['token'],
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

/** How a series case keeps the state between ticks: not at all, or the checkout's codec + JSON. */
type Store = 'none' | 'json';

/** One pass over every series alone, one point a tick. */
function seriesPass(d: Checkout, store: Store): number {
  const started = cpuSeconds();
  for (const rows of series) {
    let state = d.series.init();
    for (const row of rows) {
      state = d.series.update(state, { timestamp: row.timestamp, value: row.value }).state;
      if (store === 'json') state = d.unpack(JSON.parse(JSON.stringify(d.pack(state))));
    }
  }
  return points / (cpuSeconds() - started);
}

interface SeriesModel {
  lastTimestamp: number | null;
  detector: unknown;
}

/**
 * One pass of every service, `perTick` points a series a tick, through what collect's store does
 * (lib/store/model-store.ts, its DynamoDB calls left out): the item read is decoded (the
 * checkout's own decodeModels), or taken from the container's cache when it is the container's
 * own last write; each series updated; the item encoded (the checkout's encodeModels) with a new
 * write token, and kept in the cache. `containers` take turns: 1 (every read finds the
 * container's own last write, a hit) or 2 (never, a miss).
 */
function servicePass(d: Checkout, perTick: number, containers: 1 | 2): number {
  const caches = Array.from({ length: containers }, () => (d.cache ? new d.cache() : null));
  const metrics = new Set(METRICS);
  const started = cpuSeconds();
  for (const [s, rows] of services.entries()) {
    const id = `svc${s}`;
    const detectors = rows.map((_, i) => d.detectorFor(METRICS[i]!, metrics));
    let item: Record<string, unknown> | null = null;
    for (let from = 0, tick = 0; from < rows[0]!.length; from += perTick, tick++) {
      const cache = caches[tick % containers]!;
      const current: ServiceModels =
        item === null
          ? { version: 0, series: [], cadence: null }
          : cache
            ? cache.read(id, item, d.decode)
            : d.decode(item);
      const series = rows.map((points, i) => {
        const metric = METRICS[i]!;
        const record = current.series.find((r) => r.metric === metric);
        let model = (record?.state as SeriesModel | undefined) ?? {
          lastTimestamp: null,
          detector: detectors[i]!.init(),
        };
        for (let k = from; k < Math.min(from + perTick, points.length); k++) {
          const { timestamp, value } = points[k]!;
          const detector = detectors[i]!.update(model.detector, { timestamp, value }).state;
          model = { lastTimestamp: timestamp, detector };
        }
        return { metric, state: model, version: (record?.version ?? 0) + 1 };
      });
      const models = { series, cadence: current.cadence };
      const version = current.version + 1;
      cache?.forget(id);
      const token = cache ? d.token() : '';
      item = { serviceId: id, version, writer: token, body: d.encode(models) };
      cache?.keep(id, token, { version, ...models });
    }
  }
  return servicePoints / (cpuSeconds() - started);
}

/** JSON bytes of the state as stored after every point: mean and largest, per series. */
function stateBytes(d: Checkout, pick: (d: Checkout) => SeriesDetector<unknown>) {
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

/** The models item's body as written (binary; compressed JSON before session 11), every tick of a
 *  hot service: mean and largest. */
function itemBytes(d: Checkout) {
  const metrics = new Set(METRICS);
  let sum = 0;
  let count = 0;
  let max = 0;
  for (const rows of services) {
    const detectors = rows.map((_, i) => d.detectorFor(METRICS[i]!, metrics));
    const states = detectors.map((x) => x.init());
    for (let k = 0; k < rows[0]!.length; k++) {
      const series = rows.map((points, i) => {
        const { timestamp, value } = points[k]!;
        states[i] = detectors[i]!.update(states[i], { timestamp, value }).state;
        return {
          metric: METRICS[i]!,
          state: { lastTimestamp: timestamp, detector: states[i] },
          version: k + 1,
        };
      });
      const bytes = d.encode({ series, cadence: null }).length;
      sum += bytes;
      count++;
      if (bytes > max) max = bytes;
    }
  }
  return { mean: sum / count, max };
}

const ours = await checkoutOf('.', 'ours');
const ref = values.ref ? await checkoutOf(values.ref, 'ref') : null;
type Case = [string, (d: Checkout) => number];
const cases: Case[] = [
  ['series detector, update alone:', (d) => seriesPass(d, 'none')],
  ['  one series, codec + JSON round trip every point:', (d) => seriesPass(d, 'json')],
  ['models item, hot service (1 point a tick), hit:', (d) => servicePass(d, 1, 1)],
  ['models item, hot service, miss (other container):', (d) => servicePass(d, 1, 2)],
  ['models item, calm service (15 points a tick), hit:', (d) => servicePass(d, 15, 1)],
  ['models item, calm service, miss:', (d) => servicePass(d, 15, 2)],
];
// Warm the JIT.
servicePass(ours, 1, 2);
if (ref) servicePass(ref, 1, 2);
console.log(
  `${series.length} series, ${points} points; ${services.length} services of up to ` +
    `${METRICS.length} series, ${servicePoints} points; median of ${values.runs} runs, one core, ` +
    (values.tsx ? 'series cases through tsx' : 'esbuild bundle as deployed'),
);
const fmt = (x: number) => `${Math.round(x).toLocaleString('en')} points/s`;
const medians = new Map<string, [number, number | null]>();
for (const [label, run] of cases) {
  const mine: number[] = [];
  const theirs: number[] = [];
  for (let r = 0; r < Number(values.runs); r++) {
    mine.push(run(ours));
    if (ref) theirs.push(run(ref));
  }
  medians.set(label, [median(mine), ref ? median(theirs) : null]);
  const line = `${label.padEnd(52)} ${fmt(median(mine))}`;
  console.log(
    ref
      ? `${line}  (reference ${fmt(median(theirs))}, ratio ${(median(mine) / median(theirs)).toFixed(2)})`
      : line,
  );
}
// A share h of hits: the time per point is h / hit + (1 − h) / miss.
const [hit, refHit] = medians.get(cases[2]![0])!;
const [miss, refMiss] = medians.get(cases[3]![0])!;
for (const h of [0.99, 0.5]) {
  const mix = (a: number, b: number) => 1 / (h / a + (1 - h) / b);
  const line =
    `  hot service, ${Math.round(h * 100)} % of ticks hits:`.padEnd(53) + fmt(mix(hit, miss));
  console.log(
    refHit !== null && refMiss !== null
      ? `${line}  (reference ${fmt(mix(refHit, refMiss))}, ratio ${(mix(hit, miss) / mix(refHit, refMiss)).toFixed(2)})`
      : line,
  );
}
const fmtB = (x: { mean: number; max: number }) =>
  `mean ${Math.round(x.mean).toLocaleString('en')} bytes, largest ${x.max.toLocaleString('en')}`;
for (const [name, pick] of [
  ['series detector', (d: Checkout) => d.series],
  ['load detector', (d: Checkout) => d.detectorFor('requests', new Set(METRICS))],
] as const) {
  const b = stateBytes(ours, pick);
  const r = ref ? stateBytes(ref, pick) : null;
  console.log(
    `state as stored (JSON) per series, ${name.padEnd(16)} ${fmtB(b)}${r ? `  (reference ${fmtB(r)})` : ''}`,
  );
}
const ib = itemBytes(ours);
const rb = ref ? itemBytes(ref) : null;
console.log(
  `models item body as written                      ${fmtB(ib)}${rb ? `  (reference ${fmtB(rb)})` : ''}`,
);
