// The TypeScript NAB scorer must reproduce NAB's published scores for the two reference detectors.
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listCsvFiles, readResultsCsv, readWindows } from '../../../bench/nab/csv';
import { scoreCorpus, type ScoredFile } from '../../../bench/nab/scorer';
import { scaledSigmoid } from '../../../bench/nab/sweeper';

const repoRoot = resolve(import.meta.dirname, '../../..');
const nab = resolve(repoRoot, '../shared/nab');

function referenceFiles(detector: string): ScoredFile[] {
  const windows = readWindows(resolve(nab, 'labels/combined_windows.json'));
  return listCsvFiles(resolve(nab, 'data')).map((file) => {
    const [category, name] = file.split('/');
    const rows = readResultsCsv(
      resolve(nab, 'reference-results', detector, category!, `${detector}_${name}`),
    );
    return {
      name: file,
      timestamps: rows.map((r) => r.timestamp),
      scores: rows.map((r) => r.score),
      windows: windows[file] ?? [],
    };
  });
}

describe('NAB scorer', () => {
  it.each([
    ['numenta', 71.36, 65.37, 75.28],
    ['windowedGaussian', 41.51, 16.53, 51.37],
  ])('reproduces the published scores of %s', (detector, standard, lowFP, lowFN) => {
    // Prepare
    const files = referenceFiles(detector);

    // Act
    const result = scoreCorpus(files);

    // Assess
    expect(Math.abs(result.standard.normalized - standard)).toBeLessThan(0.01);
    expect(Math.abs(result.reward_low_FP_rate.normalized - lowFP)).toBeLessThan(0.01);
    expect(Math.abs(result.reward_low_FN_rate.normalized - lowFN)).toBeLessThan(0.01);
  });

  it('weights an early detection near 1, a late one near 0 and a far false positive at -1', () => {
    expect(scaledSigmoid(-1)).toBeCloseTo(0.9866, 4);
    expect(scaledSigmoid(0)).toBeCloseTo(0, 10);
    expect(scaledSigmoid(3.5)).toBe(-1);
  });

  it('scores a corpus with no detections as the null detector, 0 after normalisation', () => {
    // Prepare
    const files = referenceFiles('numenta').map((f) => ({ ...f, scores: f.scores.map(() => 0) }));

    // Act
    const result = scoreCorpus(files);

    // Assess
    expect(result.standard.normalized).toBeCloseTo(0, 6);
  });
});
