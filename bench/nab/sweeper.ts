// NAB's sweeper, step for step: each row gets the weight it would earn if detected (scaled sigmoid
// of its position relative to the windows), then a sweep over every distinct anomaly score gives the
// score the corpus would get with that score as the threshold.

export interface CostMatrix {
  tpWeight: number;
  fpWeight: number;
  fnWeight: number;
}

export interface AnomalyPoint {
  score: number;
  sweepScore: number;
  /** null outside windows; 'probationary' in the probationary period; else a corpus-unique window id. */
  windowName: string | null;
}

export interface ThresholdScore {
  threshold: number;
  score: number;
  tp: number;
  fp: number;
}

export const PROBATION_PERCENT = 0.15;

export function scaledSigmoid(relativePosition: number): number {
  // NAB clamps false positives far behind a window to exactly -1.
  if (relativePosition > 3) return -1;
  return 2 / (1 + Math.exp(5 * relativePosition)) - 1;
}

export function probationaryLength(rows: number): number {
  return Math.min(Math.floor(PROBATION_PERCENT * rows), PROBATION_PERCENT * 5000);
}

export function calcSweepScore(
  timestamps: number[],
  scores: number[],
  windows: Array<[number, number]>,
  dataSetName: string,
  cost: CostMatrix,
): AnomalyPoint[] {
  const maxTP = scaledSigmoid(-1);
  const probation = probationaryLength(timestamps.length);
  const pending = [...windows];
  const list: AnomalyPoint[] = [];
  let cur: [number, number] | null = null;
  let curName: string | null = null;
  let curRight = 0;
  let curWidth = 0;
  let prevRight: number | null = null;
  let prevWidth = 0;

  for (let i = 0; i < timestamps.length; i++) {
    const t = timestamps[i]!;
    const next = pending[0];
    if (next && t === next[0]) {
      cur = pending.shift()!;
      curName = `${dataSetName}|${cur[0]}`;
      curRight = rightIndex(timestamps, cur[1], i);
      curWidth = curRight - i + 1;
    }
    let weighted: number;
    if (cur !== null) {
      weighted = (scaledSigmoid(-(curRight - i + 1) / curWidth) * cost.tpWeight) / maxTP;
    } else {
      const unweighted =
        prevRight === null ? -1 : scaledSigmoid(Math.abs(prevRight - i) / (prevWidth - 1));
      weighted = unweighted * cost.fpWeight;
    }
    list.push({
      score: scores[i]!,
      sweepScore: weighted,
      windowName: i >= probation ? curName : 'probationary',
    });
    if (cur !== null && t === cur[1]) {
      prevRight = i;
      prevWidth = curWidth;
      cur = null;
      curName = null;
    }
  }
  return list;
}

function rightIndex(timestamps: number[], end: number, from: number): number {
  const exact = timestamps.indexOf(end, from);
  if (exact >= 0) return exact;
  let i = from;
  while (i + 1 < timestamps.length && timestamps[i + 1]! <= end) i++;
  return i;
}

/** Scores by threshold, highest threshold first; the first row (threshold 1.1) detects nothing. */
export function calcScoreByThreshold(
  anomalyList: AnomalyPoint[],
  cost: CostMatrix,
): ThresholdScore[] {
  const scorable = anomalyList
    .filter((p) => p.windowName !== 'probationary')
    .sort((a, b) => b.score - a.score);
  const windowParts = new Map<string, number>();
  for (const p of scorable)
    if (p.windowName !== null) windowParts.set(p.windowName, -cost.fnWeight);
  let windowSum = windowParts.size * -cost.fnWeight;
  let fpSum = 0;
  let tp = 0;
  let fp = 0;
  let threshold = 1.1;
  const out: ThresholdScore[] = [];
  for (const p of scorable) {
    if (p.score !== threshold) {
      out.push({ threshold, score: windowSum + fpSum, tp, fp });
      threshold = p.score;
    }
    if (p.windowName === null) {
      fp++;
      fpSum += p.sweepScore;
    } else {
      tp++;
      const before = windowParts.get(p.windowName)!;
      if (p.sweepScore > before) {
        windowParts.set(p.windowName, p.sweepScore);
        windowSum += p.sweepScore - before;
      }
    }
  }
  out.push({ threshold, score: windowSum + fpSum, tp, fp });
  return out;
}
