// The detector's one global parameter set (NAB's rules: no per-series settings). Overrides exist
// for experiments (bench/nab/tune.ts) and tests; production runs these defaults.
export const DETECTOR_PARAMS = {
  warmup: 30,
  levelAlpha: 0.01,
  scaleAlpha: 0.005,
  /** Residuals beyond this many sigmas move the baseline no further (resistance to outliers). */
  huber: 2.5,
  /** Surprise 1 (an alert) for each signal: point |z|, CUSUM units, rate of change |z|. */
  zAlert: 4,
  cusumAlert: 12,
  rocAlert: 6,
  /** Flat run (in points) that counts as an alert on a series that normally moves. */
  flatAlert: 24,
  /** Points after an alert during which the same incident is damped. */
  cooldown: 100,
  cooldownDamping: 0.1,
  /** Per-series high quantile of surprise that raises the bar for naturally spiky series. */
  calibrationQuantile: 0.99,
  calibrationRate: 0.01,
  /** Per-point decay of the memory of past surprises, and how much a record must beat it by. */
  memoryDecay: 0.9998,
  memoryWeight: 1,
  memoryGrowth: 1.5,
  /** Surprise below this is never an alert, however calm the series has been. */
  surpriseFloor: 0.75,
  /** During a cooldown only a surprise this many times the alert's own breaks through. */
  escape: 2,
  /** Points of rarity history needed before scoring: the detector stays quiet while it learns. */
  learn: 100,
  /** Rarity of surprise: memory (points), pseudo-count, Pareto tail, and the -log10 p of an alert. */
  rarityMemory: 4000,
  rarityPrior: 0.5,
  rarityTail: 2,
  rarityAlert: 3,
  /** Scales the fused score so that an alert sits at `alertScore`. */
  gain: 1.11,
  /** Leaving the range seen so far by this fraction of it: a surprise of 1. */
  rangeAlert: 0.05,
  /** ...and an alert on its own (Numenta's spatial anomaly) when the point is also ≥ 3 sigma out. */
  rangeTol: 0.05,
  rangeMinPoint: 0.75,
  /** Per-point fraction by which the range relaxes towards the baseline: one old spike fades. */
  rangeFade: 0.0001,
  /** A flat run of flatAlert × this is an alert on its own if the series never flat-lined so long. */
  flatOverride: 1,
  alertScore: 0.5,
  criticalScore: 0.75,
  /** A surprise its hour of day reached on both previous days must beat it this many times over. */
  hourWiden: 1.5,
  recent: 8,
  /** Distribution change: the recent window's length in points (0 switches it off). */
  distWindow: 32,
  /** Novelty memory: the window (points) over which the evidence of rare states adds up (0
   *  switches it off), and the count at which an hour's memory of its levels is halved (≤ 61). */
  noveltyWindow: 32,
  noveltyCap: 60,
  /** Horizon of the forecast returned with every output. */
  forecastMinutes: 30,
  holtAlpha: 0.1,
  holtBeta: 0.05,
} as const;

export type DetectorParams = { -readonly [K in keyof typeof DETECTOR_PARAMS]: number };
