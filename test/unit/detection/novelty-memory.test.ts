// The novelty memory: each hour of the day's usual levels, counted; a run of points at a level their
// hour rarely shows is news, one odd point is weak evidence, and the usual states are none.
import { describe, expect, it } from 'vitest';
import {
  initNovelty,
  learnNovelty,
  noveltyOf,
  noveltyP,
  readNovelty,
  stateCode,
  type NoveltyState,
} from '../../../src/detection/novelty-memory';
import { gaussianNoise, run } from './series-fixtures';

const HOUR = 3_600_000;
const STEP = 5 * 60_000;
const RARITY = { memory: 4000, prior: 0.5, tail: 2 };

/** Feeds a point and returns the probability the memory gave it, and the memory after it. */
function feed(memory: NoveltyState, t: number, x: number): { p: number; memory: NoveltyState } {
  const reading = readNovelty(memory, stateCode(t, x, 40, 30), 32);
  const p = noveltyP(memory, reading, RARITY);
  return { p, memory: learnNovelty(memory, reading, 60, true, RARITY) };
}

/** Three weeks of 5-minute points: low all day, high from 08:00 to 10:00, a little noise. */
function threeWeeks(): { memory: NoveltyState; t: number } {
  let memory = initNovelty();
  let t = 0;
  for (let i = 0; i < 21 * 288; i++, t += STEP) {
    const h = Math.floor((t % (24 * HOUR)) / HOUR);
    const high = h >= 8 && h < 10;
    memory = feed(memory, t, (high ? 85 : 10) + ((i * 7) % 5)).memory;
  }
  return { memory, t };
}

describe('novelty memory', () => {
  it('finds no evidence in the usual day and strong evidence when the daily jump does not come', () => {
    // Prepare
    const { memory: learned, t: start } = threeWeeks();

    // Act: the next day as usual up to 08:00, then it stays low for an hour.
    let memory = learned;
    let t = start;
    let usualMin = 1;
    for (; t < start + 8 * HOUR; t += STEP) {
      const step = feed(memory, t, 12);
      usualMin = Math.min(usualMin, step.p);
      memory = step.memory;
    }
    const missing: number[] = [];
    for (; t < start + 9 * HOUR; t += STEP) {
      const step = feed(memory, t, 12);
      missing.push(step.p);
      memory = step.memory;
    }

    // Assess: nothing at the usual states; a level this hour never showed in three weeks is news
    // from its first point, and stays news while it lasts.
    expect(usualMin).toBe(1);
    expect(missing[0]).toBeLessThan(1e-4);
    expect(Math.max(...missing)).toBeLessThan(1e-2);
  });

  it('does not call a level news at an hour that often shows it', () => {
    // Prepare: three weeks in which 08:00–10:00 is high on odd days and low on even ones.
    let memory = initNovelty();
    let t = 0;
    for (let i = 0; i < 21 * 288; i++, t += STEP) {
      const h = Math.floor((t % (24 * HOUR)) / HOUR);
      const day = Math.floor(t / (24 * HOUR));
      const high = h >= 8 && h < 10 && day % 2 === 1;
      memory = feed(memory, t, (high ? 85 : 10) + ((i * 7) % 5)).memory;
    }

    // Act: the next day (odd) stays low through 08:00.
    const ps: number[] = [];
    for (const end = t + 9 * HOUR; t < end; t += STEP) {
      const step = feed(memory, t, 12);
      ps.push(step.p);
      memory = step.memory;
    }

    // Assess
    expect(Math.min(...ps)).toBeGreaterThan(0.05);
  });

  it('keeps a small memory, and starts afresh from a state saved in the old form', () => {
    const { memory } = threeWeeks();

    expect(JSON.stringify(memory).length).toBeLessThan(400);
    const old = { k: [1, 2, 3], r: 0.01 } as unknown as NoveltyState;
    expect(noveltyOf(old)).toEqual(initNovelty());
    expect(noveltyOf(memory)).toBe(memory);
  });
});

describe('the detector with its novelty memory', () => {
  it('flags a working day whose daily jump does not come, and says so', () => {
    // Prepare: 12 days of 5-minute points, 20 overnight and 80 from 09:00 to 18:00 (UTC), noisy;
    // on day 11 the values stay at the night level all day.
    const noise = gaussianNoise(7);
    const values: number[] = [];
    for (let day = 0; day < 12; day++) {
      for (let k = 0; k < 288; k++) {
        const hour = Math.floor(k / 12);
        const working = hour >= 9 && hour < 18 && day !== 10;
        values.push(working ? 80 + 5 * noise() : 20 + 1 * noise());
      }
    }

    // Act
    const { outputs } = run(values);

    // Assess: an anomaly in that day's working hours, with a one-line explanation, and no anomaly
    // at all on the ordinary days after the first two.
    const missingDay = outputs.slice(10 * 288 + 9 * 12, 10 * 288 + 18 * 12);
    const found = missingDay.filter((o) => o.anomalous);
    expect(found.length).toBeGreaterThan(0);
    expect(found[0]!.direction).toBe('down');
    expect(found[0]!.explanation).toMatch(/^20\.\d: .*below its usual/);
    expect(found[0]!.explanation).not.toContain('\n');
    const ordinary = outputs.slice(2 * 288, 10 * 288).filter((o) => o.anomalous);
    expect(ordinary).toEqual([]);
  });
});
