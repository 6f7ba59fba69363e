// Experiment harness: runs the detector with parameter overrides (one global set, never per file)
// and prints the three NAB scores; `--files` adds each file's share at the standard threshold.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { vigiaDetector, type DetectorParams } from '../../src/detection/vigia-detector';
import { listCsvFiles, readDataCsv, readWindows } from './csv';
import { detectSeries } from './run-detector';
import { NAB_PROFILES, scoreCorpus, type ScoredFile } from './scorer';
import { calcSweepScore } from './sweeper';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/nab/data' },
    windows: { type: 'string', default: '../shared/nab/labels/combined_windows.json' },
    params: { type: 'string', default: '{}' },
    files: { type: 'boolean', default: false },
  },
});

const detector = vigiaDetector(JSON.parse(values.params) as Partial<DetectorParams>);
const windows = readWindows(resolve(values.windows));
const dataDir = resolve(values.data);
const files: ScoredFile[] = listCsvFiles(dataDir).map((file) => {
  const rows = readDataCsv(resolve(dataDir, file));
  return {
    name: file,
    timestamps: rows.map((r) => r.timestamp),
    scores: detectSeries(detector, rows, false),
    windows: windows[file] ?? [],
  };
});
const result = scoreCorpus(files);
console.log(
  `${values.params}  std ${result.standard.normalized.toFixed(2)}  lowFP ${result.reward_low_FP_rate.normalized.toFixed(2)}  lowFN ${result.reward_low_FN_rate.normalized.toFixed(2)}  (thr ${result.standard.threshold.toFixed(4)})`,
);

if (values.files) {
  const threshold = result.standard.threshold;
  for (const f of files) {
    const points = calcSweepScore(f.timestamps, f.scores, f.windows, f.name, NAB_PROFILES.standard);
    const hit = new Map<string, number>();
    let fp = 0;
    let fpCost = 0;
    for (const p of points) {
      if (p.windowName === 'probationary' || p.score < threshold) continue;
      if (p.windowName === null) {
        fp++;
        fpCost += p.sweepScore;
      } else hit.set(p.windowName, Math.max(hit.get(p.windowName) ?? -1, p.sweepScore));
    }
    const tp = [...hit.values()].reduce((a, b) => a + b, 0);
    const net = tp - (f.windows.length - hit.size) + fpCost;
    console.log(
      `${f.name.padEnd(60)} win ${hit.size}/${f.windows.length} tp ${tp.toFixed(2)} fp ${String(fp).padStart(4)} (${fpCost.toFixed(2)}) net ${net.toFixed(2)}`,
    );
  }
}
