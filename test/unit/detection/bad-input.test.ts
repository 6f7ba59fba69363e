// Whatever the sources send, the detector neither crashes nor emits a NaN score, and its state stays small.
import { describe, expect, it } from 'vitest';
import { seriesDetector, type DetectionOutput, type SeriesState } from '../../../src/detection';
import { FIVE_MINUTES, noisy, run, START } from './series-fixtures';

function sane(outputs: DetectionOutput[]): void {
  for (const o of outputs) {
    expect(Number.isNaN(o.score)).toBe(false);
    expect(o.score).toBeGreaterThanOrEqual(0);
    expect(o.score).toBeLessThanOrEqual(1);
    expect(typeof o.explanation).toBe('string');
  }
}

function stateIsFinite(state: SeriesState): void {
  expect(JSON.stringify(state)).not.toMatch(/null,null|NaN|Infinity/);
}

describe('vigia detector on bad input', () => {
  it('treats NaN and null as gaps without touching the baseline', () => {
    const { outputs, state } = run([...noisy(100, 10, 1), NaN, null, 10, Number.NaN, 11]);

    sane(outputs);
    expect(outputs[100]!.explanation).toMatch(/no datapoint/);
    expect(outputs[102]!.anomalous).toBe(false);
    stateIsFinite(state);
  });

  it('reports a long run of missing data', () => {
    const { state } = run(noisy(100, 10, 1));

    const r = seriesDetector.update(state, { timestamp: START + 130 * FIVE_MINUTES, value: null });

    expect(r.output.score).toBeGreaterThan(0.5);
    expect(r.output.explanation).toMatch(/no datapoint for 155 min/);
  });

  it('does not cry wolf after a long time gap', () => {
    const { state } = run(noisy(300, 10, 1));

    const r = seriesDetector.update(state, { timestamp: START + 5000 * FIVE_MINUTES, value: 13 });

    expect(r.output.anomalous).toBe(false);
  });

  it('ignores out-of-order and duplicate timestamps', () => {
    const { state } = run(noisy(100, 10, 1));
    const last = START + 99 * FIVE_MINUTES;

    const dup = seriesDetector.update(state, { timestamp: last, value: 1000 });
    const old = seriesDetector.update(state, { timestamp: last - FIVE_MINUTES * 10, value: 1000 });

    expect(dup.state).toBe(state);
    expect(old.state).toBe(state);
    expect(dup.output.anomalous).toBe(false);
    expect(old.output.explanation).toMatch(/ignored/);
  });

  it('stays calm on a constant series and flags its first change', () => {
    const { outputs } = run([...new Array<number>(200).fill(5), 6]);

    sane(outputs);
    expect(outputs.slice(0, 200).some((o) => o.anomalous)).toBe(false);
    expect(outputs[200]!.anomalous).toBe(true);
  });

  it.each([1e300, -1e300, 1e-300])('survives extreme values such as %s', (extreme) => {
    const values = [...noisy(100, 10, 1), extreme, ...noisy(50, 10, 1, 9)];

    const { outputs, state } = run(values);

    sane(outputs);
    stateIsFinite(state);
    expect(outputs.at(-1)!.anomalous).toBe(false);
  });

  it('handles a series living at 1e300 and one at 1e-300', () => {
    const huge = run(noisy(200, 5, 1).map((v) => v * 1e299));
    const tiny = run(noisy(200, 5, 1).map((v) => v * 1e-301));

    sane(huge.outputs);
    sane(tiny.outputs);
    stateIsFinite(huge.state);
    stateIsFinite(tiny.state);
  });

  it('keeps the state of a long, seasonal series under 4 KB of JSON', () => {
    const values = noisy(4000, 100, 20).map((v, i) => v + 50 * Math.sin((2 * Math.PI * i) / 288));

    const { state } = run(values);

    expect(JSON.stringify(state).length).toBeLessThan(4096);
  });
});
