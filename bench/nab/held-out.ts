// Held-out check: leave one NAB category out, choose a parameter's value on the other categories
// only, and score the left-out category with that choice. A gain that survives is not a fit to files.
// `npx tsx bench/nab/held-out.ts --param rangeFade --values 0,0.00005,0.0001,0.0002,0.0005`
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { vigiaDetector, type DetectorParams } from '../../src/detection/vigia-detector';
import { listCsvFiles, readDataCsv, readWindows } from './csv';
import { detectSeries } from './run-detector';
import { scoreCorpus, type ScoredFile } from './scorer';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/nab/data' },
    windows: { type: 'string', default: '../shared/nab/labels/combined_windows.json' },
    param: { type: 'string', default: 'rangeFade' },
    values: { type: 'string', default: '0,0.00005,0.0001,0.0002,0.0005' },
  },
});

const windows = readWindows(resolve(values.windows));
const dataDir = resolve(values.data);
const series = listCsvFiles(dataDir).map((file) => ({
  file,
  rows: readDataCsv(resolve(dataDir, file)),
}));
// The files without anomalies have no windows to score alone: they go with the other artificial ones.
const groupOf = (file: string): string =>
  file.split('/')[0]!.replace(/^artificial.*/, 'artificial');
const categories = [...new Set(series.map((s) => groupOf(s.file)))];
const grid = values.values.split(',').map(Number);

const runs = grid.map((v) => {
  const detector = vigiaDetector({ [values.param]: v } as Partial<DetectorParams>);
  return series.map(({ file, rows }): ScoredFile => ({
    name: file,
    timestamps: rows.map((r) => r.timestamp),
    scores: detectSeries(detector, rows, false),
    windows: windows[file] ?? [],
  }));
});
const standard = (files: ScoredFile[]): number => scoreCorpus(files).standard.normalized;

for (const held of categories) {
  const isHeld = (f: ScoredFile): boolean => groupOf(f.name) === held;
  const train = runs.map((files) => standard(files.filter((f) => !isHeld(f))));
  const best = train.indexOf(Math.max(...train));
  const test = runs.map((files) => standard(files.filter(isHeld)));
  console.log(
    `${held.padEnd(22)} chosen on the others: ${values.param}=${grid[best]}  held-out std ${test[best]!.toFixed(2)}  ` +
      `(held-out at each value: ${grid.map((v, i) => `${v}→${test[i]!.toFixed(2)}`).join(', ')}; ` +
      `the others at each value: ${grid.map((v, i) => `${v}→${train[i]!.toFixed(2)}`).join(', ')})`,
  );
}
