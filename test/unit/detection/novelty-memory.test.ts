// The novelty memory: a state (hour of day, level in the known range) the series has not shown
// recently is news in proportion to how rarely this series shows new states.
import { describe, expect, it } from 'vitest';
import {
  initNovelty,
  learnNovelty,
  noveltyP,
  stateCode,
} from '../../../src/detection/novelty-memory';

const HOUR = 3_600_000;

describe('novelty memory', () => {
  it('calls a state it has not seen novel, with the series’ own rate of novel states as its probability', () => {
    // Prepare: three weeks of a series that sits low all day and high from 08:00 to 10:00.
    let memory = initNovelty();
    let n = 0;
    for (let day = 0; day < 21; day++) {
      for (let h = 0; h < 24; h++) {
        const high = h >= 8 && h < 10;
        memory = learnNovelty(
          memory,
          stateCode(day * 24 * HOUR + h * HOUR, high ? 90 : 10, 0, 100),
          48,
          4000,
          ++n,
        );
      }
    }

    // Act: the usual jump at 08:00, and a day on which it does not come.
    const usual = noveltyP(memory, stateCode(21 * 24 * HOUR + 8 * HOUR, 90, 0, 100));
    const missing = noveltyP(memory, stateCode(21 * 24 * HOUR + 8 * HOUR, 10, 0, 100));

    // Assess
    expect(usual).toBe(1);
    // 24 states were new on the first day, none since: 24 novel states in 504 points.
    expect(missing).toBeCloseTo(24 / 504, 3);
  });

  it('keeps a bounded memory, so the state stays small', () => {
    let memory = initNovelty();
    for (let i = 0; i < 1000; i++) memory = learnNovelty(memory, i % 144, 48, 4000, i + 1);

    expect(memory.k.length).toBe(48);
    expect(JSON.stringify(memory).length).toBeLessThan(250);
  });
});
