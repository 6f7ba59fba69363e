// Weekly seasonality: a service busy on weekdays and quiet at weekends. Once the detector has seen
// the pattern for a few weeks, the usual Monday morning ramp is not news, but a Monday that looks
// like a Sunday is.
import { describe, expect, it } from 'vitest';
import { baselineOf } from '../../../src/detection';
import { gaussianNoise, run, START } from './series-fixtures';

const PER_DAY = 288;
const noise = gaussianNoise(7);

/** Requests on a weekday: 20 at night, ramping up 06–09 UTC to 100 until 17, down by 20. */
function weekday(i: number): number {
  const h = (i % PER_DAY) / 12;
  const busy = h < 6 || h >= 20 ? 0 : h < 9 ? (h - 6) / 3 : h < 17 ? 1 : (20 - h) / 3;
  return 20 + 80 * busy + 2 * noise();
}

/** A weekend day: quiet, with a small midday bump. */
function weekend(i: number): number {
  const h = (i % PER_DAY) / 12;
  return 22 + (h >= 11 && h < 16 ? 8 : 0) + 2 * noise();
}

/** `weeks` weeks from Monday START (UTC), weekdays first. */
function weeks(count: number): number[] {
  const out: number[] = [];
  for (let d = 0; d < 7 * count; d++) {
    const day = d % 7 < 5 ? weekday : weekend;
    for (let i = 0; i < PER_DAY; i++) out.push(day(i));
  }
  return out;
}

describe('weekly seasonality', () => {
  const history = weeks(4);
  const learned = run(history);
  const monday = START + history.length * 300_000;

  it('learns the weekday/weekend pattern within the state limit', () => {
    expect(baselineOf(learned.state).weekly.active).toBe(true);
    expect(JSON.stringify(learned.state).length).toBeLessThan(4096);
  });

  it('does not alert on the usual Monday ramp', () => {
    const usual = Array.from({ length: PER_DAY }, (_, i) => weekday(i));
    const { outputs } = run(usual, learned.state, monday);

    expect(outputs.filter((o) => o.anomalous).map((o) => o.explanation)).toEqual([]);
  });

  it('alerts when a Monday looks like a Sunday, during business hours', () => {
    const sundayLike = Array.from({ length: PER_DAY }, (_, i) => weekend(i));
    const { outputs } = run(sundayLike, learned.state, monday);
    const alerts = outputs.filter((o) => o.anomalous);

    expect(alerts.length).toBeGreaterThan(0);
    const firstHour = (alerts[0]!.timestamp - monday) / 3_600_000;
    expect(firstHour).toBeGreaterThanOrEqual(6);
    expect(firstHour).toBeLessThan(10);
    expect(alerts[0]!.explanation).toMatch(/below/);
  });
});
