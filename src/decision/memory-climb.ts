// A memory leak's climb (SPEC X1, diagnosis.ts's memory_leak): memory rising in a straight line
// over the last 20 minutes while load is not, or, minutes in, memory's shape against its own
// baseline and noise climbing with requests not above theirs.
import {
  hasOpenAnomaly,
  isClimb,
  isRaised,
  SHAPE,
  shapeFor,
  type ShapeSource,
  type SymptomShape,
} from './symptom-shape';

/** A leak's fingerprint in the recent samples: memory rising in a straight line, load not. */
export const LEAK_TREND = {
  /** The window the climb is fitted on, minutes, and the samples it needs in it. */
  windowMinutes: 20,
  minSamples: 10,
  /** Slower than this is not a leak worth a restart (20 points in ~2 h). */
  minPerMinute: 0.15,
  /** The fit must explain this share of memory's variance: a steady climb, not noise. */
  minR2: 0.7,
  /** Requests rising more than this share over the window: memory may be following load. */
  maxLoadRise: 0.15,
  /** Memory at this level is out of room (the watch's forecast limit). */
  limitPercent: 95,
  /**
   * Once the detector finds memory unusually high, the minutes since the climb began are enough:
   * a shorter window and fewer samples, so a leak is named minutes in, before 20 minutes of it
   * make a straight line. The climb must be there without the anomalous sample as well — memory
   * was already rising before it — which a one-minute blip never is; the fit's straightness and the
   * time to the limit are not asked of so few minutes (a window half flat, half rising).
   */
  earlyWindowMinutes: 8,
  earlyMinSamples: 6,
};

export interface Climb {
  perMinute: number;
  minutes: number;
  minutesToLimit: number;
}

/** A steady climb over 20 minutes, or (once memory is unusual) the early one without a shape to read. */
export function memoryClimb(input: ShapeSource, leakHorizonMinutes: number): Climb | null {
  const full = climbOver(
    input,
    leakHorizonMinutes,
    LEAK_TREND.windowMinutes,
    LEAK_TREND.minSamples,
    false,
  );
  if (full || !hasOpenAnomaly(input, 'memory', 'up')) return full;
  // With a shape to read, the early climb is the shape's (memoryClimbing): a one-minute jump is no climb.
  if (shapeFor(input, 'memory')) return null;
  return climbOver(
    input,
    leakHorizonMinutes,
    LEAK_TREND.earlyWindowMinutes,
    LEAK_TREND.earlyMinSamples,
    true,
  );
}

/**
 * A leak minutes in, told by memory's shape against its own baseline and noise: the detector finds
 * memory unusually high, the last readings hold above usual and were on their way before the latest
 * (a climb: no one-minute jump past the noise, which a blip or a step is), and requests are not
 * above theirs (memory following load is not a leak).
 */
export function memoryClimbing(input: ShapeSource): SymptomShape | null {
  // Unusual now, by the detector's judgement of the last minutes: an anomaly of a quarter hour ago
  // says nothing of memory now.
  const nowMs = input.now.getTime();
  const judgedNow = input.openAnomalies.some(
    (a) =>
      a.metric === 'memory' &&
      a.direction === 'up' &&
      Date.parse(a.at) <= nowMs &&
      Date.parse(a.at) >= nowMs - SHAPE.judgedWithinMinutes * 60_000,
  );
  if (!judgedNow) return null;
  const memory = shapeFor(input, 'memory');
  if (!memory || !isClimb(memory)) return null;
  if (isRaised(shapeFor(input, 'requests'))) return null;
  return memory;
}

function climbOver(
  input: ShapeSource,
  leakHorizonMinutes: number,
  windowMinutes: number,
  minSamples: number,
  early: boolean,
): Climb | null {
  const nowMs = input.now.getTime();
  const from = nowMs - windowMinutes * 60_000;
  const window = [...(input.history ?? []), input.sample]
    .filter((s) => Date.parse(s.at) > from && Date.parse(s.at) <= nowMs)
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const points = new Map<number, { memory: number; requests: number | null }>();
  for (const s of window) {
    const memory = s.metrics.memory;
    if (memory == null || !Number.isFinite(memory)) continue;
    points.set(Date.parse(s.at), { memory, requests: s.metrics.requests ?? null });
  }
  if (points.size < minSamples) return null;
  const xs = [...points.keys()].map((ms) => (ms - from) / 60_000);
  const ys = [...points.values()].map((p) => p.memory);
  const fit = linearFit(xs, ys);
  if (fit.slope < LEAK_TREND.minPerMinute) return null;
  if (early) {
    if (linearFit(xs.slice(0, -1), ys.slice(0, -1)).slope < LEAK_TREND.minPerMinute) return null;
  } else if (fit.r2 < LEAK_TREND.minR2) return null;
  const requests = [...points.values()]
    .map((p) => p.requests)
    .filter((r): r is number => r != null);
  if (requests.length >= minSamples) {
    const load = linearFit(xs.slice(0, requests.length), requests);
    const mean = requests.reduce((a, b) => a + b, 0) / requests.length;
    const rise = mean > 0 ? (load.slope * windowMinutes) / mean : 0;
    if (rise > LEAK_TREND.maxLoadRise) return null;
  }
  const latest = ys.at(-1)!;
  const minutesToLimit = Math.max(0, (LEAK_TREND.limitPercent - latest) / fit.slope);
  if (!early && minutesToLimit > leakHorizonMinutes) return null;
  return {
    perMinute: fit.slope,
    minutes: Math.round(xs.at(-1)! - xs[0]!),
    minutesToLimit,
  };
}

/** Least squares y = a + b·x, with the share of variance it explains. */
function linearFit(xs: readonly number[], ys: readonly number[]): { slope: number; r2: number } {
  const n = Math.min(xs.length, ys.length);
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    sx += xs[i]!;
    sy += ys[i]!;
  }
  const mx = sx / n;
  const my = sy / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i]! - mx;
    const dy = ys[i]! - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (sxx === 0) return { slope: 0, r2: 0 };
  const slope = sxy / sxx;
  return { slope, r2: syy === 0 ? 0 : (sxy * sxy) / (sxx * syy) };
}
