// A symptom's shape against its own baseline and noise: a climb, a blip, a shift that holds.
import { describe, expect, it } from 'vitest';
import { isClimb, isRaised, shapeOf } from '../../../src/decision/symptom-shape';
import { anAnomaly, aSample } from '../../support/builders';

const t0 = Date.parse('2026-11-22T10:00:00.000Z');
const iso = (minute: number) => new Date(t0 + minute * 60_000).toISOString();
const wiggle = [0.3, -1.1, 0.6, -0.2, 1.2, -0.7, 0.1, -1.4, 0.9, 0.4, -0.5, 1.0, -0.9, 0.2, -0.3];

/** 30 readings of `metric`, newest (minute 0) last: usual 50, σ 1, plus `extra(minutesBack)`. */
function series(metric: string, extra: (minutesBack: number) => number) {
  return Array.from({ length: 30 }, (_, i) =>
    aSample({ at: iso(i - 29), metrics: { [metric]: 50 + wiggle[i % 15]! + extra(29 - i) } }),
  );
}

describe('shapeOf', () => {
  it("measures against the detector's baseline when it judged the metric this minute", () => {
    const samples = series('memory', (k) => (k === 0 ? 6 : 0));
    const judged = anAnomaly({ metric: 'memory', at: iso(0), value: 56, expected: 48, zScore: 4 });
    const shape = shapeOf('memory', samples, [judged], new Date(t0))!;
    expect(shape.from).toBe('detector');
    expect(shape.baseline).toBe(48);
    expect(shape.sigma).toBe(2);
  });

  it('measures against the older readings otherwise, and an old anomaly does not count', () => {
    const samples = series('memory', () => 0);
    const old = anAnomaly({ metric: 'memory', at: iso(-10), value: 56, expected: 48, zScore: 4 });
    const shape = shapeOf('memory', samples, [old], new Date(t0))!;
    expect(shape.from).toBe('recent samples');
    expect(shape.baseline).toBeCloseTo(50, 0);
    expect(shape.sigma).toBeGreaterThan(0.5);
    expect(shape.sigma).toBeLessThan(1.5);
  });

  it('needs enough readings to tell anything', () => {
    const few = series('memory', () => 0).slice(-6);
    expect(shapeOf('memory', few, [], new Date(t0))).toBeNull();
  });
});

describe('isClimb and isRaised', () => {
  const shape = (extra: (k: number) => number) =>
    shapeOf('memory', series('memory', extra), [], new Date(t0))!;

  it('a steady climb of 1 σ a minute for 5 minutes is a climb, and raised', () => {
    const climb = shape((k) => Math.max(0, 5 - k));
    expect(isClimb(climb)).toBe(true);
    expect(isRaised(climb)).toBe(true);
  });

  it('a one-minute blip far past the noise is no climb', () => {
    expect(isClimb(shape((k) => (k === 0 ? 12 : 0)))).toBe(false);
  });

  it('noise around the usual level is neither', () => {
    const flat = shape(() => 0);
    expect(isClimb(flat)).toBe(false);
    expect(isRaised(flat)).toBe(false);
  });

  it('a step that holds is raised but, having jumped, no climb', () => {
    const step = shape((k) => (k < 4 ? 8 : 0));
    expect(isRaised(step)).toBe(true);
    expect(isClimb(step)).toBe(false);
  });
});
