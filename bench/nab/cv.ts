// Leave-one-category-out cross-validation on the NAB development subset (`npm run bench:nab -- --cv`).
// For each category, everything that is chosen — the detector setting from a grid, and NAB's
// per-profile threshold — is chosen on the other categories only, and the left-out category is
// scored with it. A gain that survives here is not a fit to the files it was measured on.
// Detector outputs are cached per file and parameter set (keyed by the detector's source too), so
// choosing among settings and thresholds never re-runs the detector.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { vigiaDetector, type DetectorParams } from '../../src/detection/vigia-detector';
import { listCsvFiles, readDataCsv, type NabWindows } from './csv';
import { detectSeries } from './run-detector';
import { NAB_PROFILES, type NabProfile, type ScoredFile } from './scorer';
import { calcScoreByThreshold, calcSweepScore, type AnomalyPoint } from './sweeper';

const PROFILES = Object.keys(NAB_PROFILES) as NabProfile[];
type PerProfile = Record<NabProfile, number>;

export interface CvFold {
  category: string;
  files: number;
  windows: number;
  /** The grid setting chosen on the other categories (index into `settings`). */
  setting: number;
  /** Scored as the development benchmark does: setting and thresholds chosen on all categories. */
  inSample: PerProfile;
  /** Scored with the setting and thresholds chosen on the other categories. */
  heldOut: PerProfile;
  /** The other categories' own score with that choice. */
  train: PerProfile;
  thresholds: PerProfile;
  /** False-positive points (after probation, standard profile) in sample and held out. */
  fpInSample: number;
  fpHeldOut: number;
  /** Raw held-out score and its null and perfect, for pooling (a category without windows has no
   *  normalised score of its own: detecting nothing is already perfect there). */
  raw: PerProfile;
  nullScore: PerProfile;
  perfect: PerProfile;
}

export interface CvResult {
  settings: Array<Partial<DetectorParams>>;
  chosenOnAll: number;
  /** The development score (all files, setting and thresholds chosen on them): `bench:nab`'s. */
  development: PerProfile;
  folds: CvFold[];
  /** Means over the categories that have windows. */
  meanInSample: PerProfile;
  meanHeldOut: PerProfile;
  /** All five held-out categories pooled into one normalised score (no-anomaly files' FPs count). */
  pooledHeldOut: PerProfile;
  fpTotalHeldOut: number;
}

/** The cartesian product of a grid such as `{"hourWiden":[0,1.5]}`; `{}` is the defaults alone. */
export function expandGrid(grid: Record<string, number[]>): Array<Partial<DetectorParams>> {
  let out: Array<Partial<DetectorParams>> = [{}];
  for (const [key, vals] of Object.entries(grid)) {
    out = out.flatMap((s) => vals.map((v) => ({ ...s, [key]: v })));
  }
  return out;
}

function detectorSourceHash(): string {
  const dir = resolve(import.meta.dirname, '../../src/detection');
  const h = createHash('sha1');
  for (const f of readdirSync(dir).sort()) h.update(f).update(readFileSync(resolve(dir, f)));
  return h.digest('hex').slice(0, 12);
}

/** Each file's scores for one setting, from the cache when the detector and data are unchanged. */
function scoredFiles(
  dataDir: string,
  windows: NabWindows,
  setting: Partial<DetectorParams>,
  cacheDir: string,
  source: string,
): ScoredFile[] {
  const key = createHash('sha1')
    .update(source)
    .update(JSON.stringify(setting))
    .update(dataDir)
    .digest('hex')
    .slice(0, 16);
  const path = resolve(cacheDir, `${key}.json`);
  const files = listCsvFiles(dataDir);
  let cached: Record<string, number[]> = {};
  if (existsSync(path)) cached = JSON.parse(readFileSync(path, 'utf8')) as typeof cached;
  const detector = vigiaDetector(setting);
  let dirty = false;
  const out = files.map((file) => {
    const rows = readDataCsv(resolve(dataDir, file));
    let scores = cached[file];
    if (!scores || scores.length !== rows.length) {
      scores = detectSeries(detector, rows);
      cached[file] = scores;
      dirty = true;
    }
    return {
      name: file,
      timestamps: rows.map((r) => r.timestamp),
      scores,
      windows: windows[file] ?? [],
    };
  });
  if (dirty) {
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(path, JSON.stringify(cached));
  }
  return out;
}

interface Scored {
  raw: number;
  nullScore: number;
  perfect: number;
  normalized: number;
  threshold: number;
  fp: number;
}

/** Scores a set of files at `threshold`, or at its own best threshold when none is given. */
function scoreSet(
  points: AnomalyPoint[][],
  windowCount: number,
  profile: NabProfile,
  threshold?: number,
): Scored {
  const cost = NAB_PROFILES[profile];
  const sweep = calcScoreByThreshold(points.flat(), cost);
  const nullScore = sweep[0]!.score;
  let row = sweep[0]!;
  if (threshold === undefined) {
    for (const r of sweep) if (r.score > row.score) row = r;
  } else {
    // Rows are "detect every point scoring at least `threshold`", highest threshold first.
    for (const r of sweep) if (r.threshold >= threshold) row = r;
  }
  const perfect = windowCount * cost.tpWeight;
  const normalized =
    perfect === nullScore ? NaN : (100 * (row.score - nullScore)) / (perfect - nullScore);
  return { raw: row.score, nullScore, perfect, normalized, threshold: row.threshold, fp: row.fp };
}

const perProfile = (f: (p: NabProfile) => number): PerProfile =>
  Object.fromEntries(PROFILES.map((p) => [p, f(p)])) as PerProfile;

export function crossValidate(
  dataDir: string,
  windows: NabWindows,
  settings: Array<Partial<DetectorParams>>,
  cacheDir: string,
): CvResult {
  const source = detectorSourceHash();
  // points[setting][profile][file]
  const runs = settings.map((s) => scoredFiles(dataDir, windows, s, cacheDir, source));
  const points = runs.map(
    (files): Record<NabProfile, AnomalyPoint[][]> =>
      Object.fromEntries(
        PROFILES.map((p) => [
          p,
          files.map((f) =>
            calcSweepScore(f.timestamps, f.scores, f.windows, f.name, NAB_PROFILES[p]),
          ),
        ]),
      ) as Record<NabProfile, AnomalyPoint[][]>,
  );
  const names = runs[0]!.map((f) => f.name);
  const categoryOf = (name: string): string => name.split('/')[0]!;
  const categories = [...new Set(names.map(categoryOf))];
  const windowsIn = (idx: number[]): number =>
    idx.reduce((sum, i) => sum + runs[0]![i]!.windows.length, 0);
  const pick = (s: number, p: NabProfile, idx: number[]): AnomalyPoint[][] =>
    idx.map((i) => points[s]![p][i]!);
  const all = names.map((_, i) => i);

  const chooseSetting = (idx: number[]): number => {
    let best = 0;
    let bestScore = -Infinity;
    settings.forEach((_, s) => {
      const score = scoreSet(pick(s, 'standard', idx), windowsIn(idx), 'standard').normalized;
      if (score > bestScore) [best, bestScore] = [s, score];
    });
    return best;
  };
  const chosenOnAll = chooseSetting(all);
  const allThresholds = perProfile(
    (p) => scoreSet(pick(chosenOnAll, p, all), windowsIn(all), p).threshold,
  );

  const folds = categories.map((category): CvFold => {
    const held = all.filter((i) => categoryOf(names[i]!) === category);
    const rest = all.filter((i) => categoryOf(names[i]!) !== category);
    const s = chooseSetting(rest);
    const train = perProfile((p) => scoreSet(pick(s, p, rest), windowsIn(rest), p).normalized);
    const thresholds = perProfile((p) => scoreSet(pick(s, p, rest), windowsIn(rest), p).threshold);
    const heldScores = PROFILES.map((p) =>
      scoreSet(pick(s, p, held), windowsIn(held), p, thresholds[p]),
    );
    const inSample = PROFILES.map((p) =>
      scoreSet(pick(chosenOnAll, p, held), windowsIn(held), p, allThresholds[p]),
    );
    const of = (xs: Scored[], k: keyof Scored): PerProfile =>
      perProfile((p) => xs[PROFILES.indexOf(p)]![k]);
    return {
      category,
      files: held.length,
      windows: windowsIn(held),
      setting: s,
      inSample: of(inSample, 'normalized'),
      heldOut: of(heldScores, 'normalized'),
      train,
      thresholds,
      fpInSample: inSample[0]!.fp,
      fpHeldOut: heldScores[0]!.fp,
      raw: of(heldScores, 'raw'),
      nullScore: of(heldScores, 'nullScore'),
      perfect: of(heldScores, 'perfect'),
    };
  });

  const scorable = folds.filter((f) => f.windows > 0);
  const mean = (k: 'inSample' | 'heldOut'): PerProfile =>
    perProfile((p) => scorable.reduce((sum, f) => sum + f[k][p], 0) / scorable.length);
  const sum = (f: (x: CvFold) => number): number => folds.reduce((a, x) => a + f(x), 0);
  const pooledHeldOut = perProfile((p) => {
    const raw = sum((f) => f.raw[p]);
    const nul = sum((f) => f.nullScore[p]);
    return (100 * (raw - nul)) / (sum((f) => f.perfect[p]) - nul);
  });
  return {
    settings,
    chosenOnAll,
    development: perProfile(
      (p) => scoreSet(pick(chosenOnAll, p, all), windowsIn(all), p).normalized,
    ),
    folds,
    meanInSample: mean('inSample'),
    meanHeldOut: mean('heldOut'),
    pooledHeldOut,
    fpTotalHeldOut: sum((f) => f.fpHeldOut),
  };
}

const fmt = (x: number): string => (Number.isFinite(x) ? x.toFixed(2) : 'n/a');
const triple = (x: PerProfile): string =>
  `${fmt(x.standard)} / ${fmt(x.reward_low_FP_rate)} / ${fmt(x.reward_low_FN_rate)}`;

/** A markdown table of the result, ready for docs/benchmarks/nab.md. */
export function formatCv(r: CvResult): string {
  const lines = [
    '| left out | files | windows | in-sample (std / low FP / low FN) | held-out (std / low FP / low FN) | FP in / held out | chosen setting |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const f of r.folds) {
    const heldOut =
      f.windows > 0 ? triple(f.heldOut) : `n/a (raw ${f.raw.standard.toFixed(2)} std)`;
    lines.push(
      `| ${f.category} | ${f.files} | ${f.windows} | ${f.windows > 0 ? triple(f.inSample) : 'n/a'} | ${heldOut} | ${f.fpInSample} / ${f.fpHeldOut} | ${JSON.stringify(r.settings[f.setting])} |`,
    );
  }
  const fpIn = r.folds.reduce((a, f) => a + f.fpInSample, 0);
  lines.push(
    `| **mean** (categories with windows) | | | ${triple(r.meanInSample)} | **${triple(r.meanHeldOut)}** | ${fpIn} / ${r.fpTotalHeldOut} | |`,
    `| pooled held-out (all 5) | | | | ${triple(r.pooledHeldOut)} | | |`,
    `| development subset (all 44, in sample) | | | ${triple(r.development)} | | | |`,
  );
  return lines.join('\n');
}
