// `npm run bench:nab`: runs vigia's detector over every NAB CSV, writes NAB's results layout and
// prints the normalised score of each profile from the TypeScript scorer; `--cv` cross-validates
// by leaving one category out (bench/nab/cv.ts).
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { seriesDetector } from '../../src/detection';
import { crossValidate, expandGrid, formatCv } from './cv';
import { labelRows, listCsvFiles, readDataCsv, readWindows, writeResultsCsv } from './csv';
import { detectSeries } from './run-detector';
import { scoreCorpus, type ScoredFile } from './scorer';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/nab/data' },
    windows: { type: 'string', default: '../shared/nab/labels/combined_windows.json' },
    out: { type: 'string', default: 'bench/results/nab' },
    json: { type: 'boolean', default: false },
    /** Leave-one-category-out cross-validation; `--grid '{"param":[a,b]}'` settings to choose among. */
    cv: { type: 'boolean', default: false },
    grid: { type: 'string', default: '{}' },
    cache: { type: 'string', default: 'bench/results/nab-cache' },
  },
});

if (values.cv) {
  const settings = expandGrid(JSON.parse(values.grid) as Record<string, number[]>);
  const cv = crossValidate(
    resolve(values.data),
    readWindows(resolve(values.windows)),
    settings,
    resolve(values.cache),
  );
  console.log(values.json ? JSON.stringify(cv, null, 2) : formatCv(cv));
  process.exit(0);
}

const dataDir = resolve(values.data);
const windows = readWindows(resolve(values.windows));
const started = performance.now();
const files: ScoredFile[] = [];
let points = 0;
for (const file of listCsvFiles(dataDir)) {
  const rows = readDataCsv(resolve(dataDir, file));
  const scores = detectSeries(seriesDetector, rows);
  const fileWindows = windows[file] ?? [];
  const labels = labelRows(rows, fileWindows);
  const [category, name] = file.split('/');
  writeResultsCsv(
    resolve(values.out, 'vigia', category!, `vigia_${name}`),
    rows.map((r, i) => ({ ...r, score: scores[i]!, label: labels[i]! })),
  );
  files.push({
    name: file,
    timestamps: rows.map((r) => r.timestamp),
    scores,
    windows: fileWindows,
  });
  points += rows.length;
}
const seconds = (performance.now() - started) / 1000;
const result = scoreCorpus(files);

if (values.json) {
  console.log(
    JSON.stringify(
      { detector: 'vigia', files: files.length, points, seconds, profiles: result },
      null,
      2,
    ),
  );
} else {
  console.log(`vigia on ${files.length} files, ${points} points, ${seconds.toFixed(1)} s`);
  for (const p of Object.values(result)) {
    console.log(
      `${p.profile.padEnd(20)} ${p.normalized.toFixed(2).padStart(6)}  (threshold ${p.threshold.toFixed(4)}, raw ${p.raw.toFixed(2)}, TP points ${p.tp}, FP points ${p.fp})`,
    );
  }
}
