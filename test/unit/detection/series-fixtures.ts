// Deterministic synthetic series for detector tests: seeded noise, 5-minute points.
import { seriesDetector, type DetectionOutput, type SeriesState } from '../../../src/detection';

export const FIVE_MINUTES = 300_000;
export const START = Date.UTC(2026, 0, 5);

import { seededRandom } from '../../../src/decision/seeded-random';

export { seededRandom };

export function gaussianNoise(seed: number): () => number {
  const random = seededRandom(seed);
  return () => {
    const u = Math.max(random(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
}

/** Feeds values (one every 5 minutes), round-tripping the state through JSON as collect does. */
export function run(
  values: Array<number | null>,
  state: SeriesState = seriesDetector.init(),
  start = START,
): { outputs: DetectionOutput[]; state: SeriesState } {
  const outputs: DetectionOutput[] = [];
  let s = state;
  values.forEach((value, i) => {
    const r = seriesDetector.update(s, { timestamp: start + i * FIVE_MINUTES, value });
    s = JSON.parse(JSON.stringify(r.state)) as SeriesState;
    outputs.push(r.output);
  });
  return { outputs, state: s };
}

export function noisy(n: number, mean: number, sd: number, seed = 1): number[] {
  const noise = gaussianNoise(seed);
  return Array.from({ length: n }, () => mean + sd * noise());
}

export function dailyCycle(days: number, seed = 2): number[] {
  const noise = gaussianNoise(seed);
  const perDay = 288;
  return Array.from(
    { length: days * perDay },
    (_, i) => 50 + 30 * Math.sin((2 * Math.PI * i) / perDay) + 2 * noise(),
  );
}
