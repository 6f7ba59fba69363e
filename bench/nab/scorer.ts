// NAB's scoring of a whole corpus: sweep every file, pick the one global threshold per profile that
// maximises the corpus score, and normalise against the null (detect nothing) and perfect detectors.
import {
  calcScoreByThreshold,
  calcSweepScore,
  type AnomalyPoint,
  type CostMatrix,
} from './sweeper';

export const NAB_PROFILES = {
  standard: { tpWeight: 1, fpWeight: 0.11, fnWeight: 1 },
  reward_low_FP_rate: { tpWeight: 1, fpWeight: 0.22, fnWeight: 1 },
  reward_low_FN_rate: { tpWeight: 1, fpWeight: 0.11, fnWeight: 2 },
} as const satisfies Record<string, CostMatrix>;

export type NabProfile = keyof typeof NAB_PROFILES;

export interface ScoredFile {
  name: string;
  timestamps: number[];
  scores: number[];
  windows: Array<[number, number]>;
}

export interface ProfileResult {
  profile: NabProfile;
  threshold: number;
  raw: number;
  nullScore: number;
  perfect: number;
  normalized: number;
  tp: number;
  fp: number;
}

export function scoreProfile(files: ScoredFile[], profile: NabProfile): ProfileResult {
  const cost = NAB_PROFILES[profile];
  const all: AnomalyPoint[] = [];
  let windowCount = 0;
  for (const f of files) {
    windowCount += f.windows.length;
    for (const p of calcSweepScore(f.timestamps, f.scores, f.windows, f.name, cost)) all.push(p);
  }
  const sweep = calcScoreByThreshold(all, cost);
  // The first row is "detect nothing": the null detector's optimum, since any constant detects everything.
  const nullScore = sweep[0]!.score;
  let best = sweep[0]!;
  for (const row of sweep) if (row.score > best.score) best = row;
  const perfect = windowCount * cost.tpWeight;
  return {
    profile,
    threshold: best.threshold,
    raw: best.score,
    nullScore,
    perfect,
    normalized: (100 * (best.score - nullScore)) / (perfect - nullScore),
    tp: best.tp,
    fp: best.fp,
  };
}

export function scoreCorpus(files: ScoredFile[]): Record<NabProfile, ProfileResult> {
  return {
    standard: scoreProfile(files, 'standard'),
    reward_low_FP_rate: scoreProfile(files, 'reward_low_FP_rate'),
    reward_low_FN_rate: scoreProfile(files, 'reward_low_FN_rate'),
  };
}
