// The headroom pre-scaling buys with the band (issue 18): the upper edge requestForecastFor hands
// target scaling is wider when the data is older (CloudWatch's minute or two) and after the
// forecast missed, and narrower once it has been right again — measured per service, not set.
import { describe, expect, it } from 'vitest';
import { loadDetector, type CollectedSeriesState } from '../../../src/detection';
import { scalingConfigSchema } from '../../../src/model';
import { requestForecastFor } from '../../../src/use-cases/autoscale';
import { seededRandom, standardNormal } from '../../../src/decision/seeded-random';
import { aService } from '../../support/builders';

const MIN = 60_000;
const start = Date.parse('2026-11-23T00:00:00.000Z');
const service = aService({
  scaling: scalingConfigSchema.parse({ requestsPerTaskCapacity: 50, preScaling: { band: true } }),
});

function learn(
  from: number,
  minutes: number,
  load: (m: number) => number,
  state?: CollectedSeriesState,
) {
  const random = seededRandom(5);
  let detector = state ?? loadDetector.init();
  for (let m = 0; m < minutes; m++) {
    const value = load(m) + 8 * standardNormal(random);
    detector = loadDetector.update(detector, { timestamp: from + m * MIN, value }).state;
  }
  return detector;
}

/** Upper edge over expected, for the minute starting at `now`. */
function headroom(detector: CollectedSeriesState, now: number): number {
  const models = [{ metric: 'requests', state: { lastTimestamp: detector.lf!.t, detector } }];
  const f = requestForecastFor(service, models, new Date(now))!;
  return f.upper[0]! - f.expected[0]!;
}

describe('the forecast band as headroom', () => {
  const calm = learn(start, 6 * 60, () => 400);
  const last = calm.lf!.t!;

  it('is wider when the last datapoint is older', () => {
    expect(headroom(calm, last + 4 * MIN)).toBeGreaterThan(headroom(calm, last + 2 * MIN));
  });

  it('widens after misses and narrows again once the forecast has been right', () => {
    // Half an hour of load jumping between 250 and 550 every five minutes, then three calm hours.
    const jumpy = learn(last + MIN, 30, (m) => (Math.floor(m / 5) % 2 ? 550 : 250), calm);
    const settled = learn(jumpy.lf!.t! + MIN, 180, () => 400, jumpy);

    const before = headroom(calm, last + 2 * MIN);
    const after = headroom(jumpy, jumpy.lf!.t! + 2 * MIN);
    expect(after).toBeGreaterThan(3 * before);
    expect(headroom(settled, settled.lf!.t! + 2 * MIN)).toBeLessThan(after / 2);
  });
});
