// One forecast (issue 18): an anomaly decision pre-scales on the load forecast target scaling uses.
import { describe, expect, it } from 'vitest';
import { collectDetector, type CollectedSeriesState } from '../../../src/detection';
import { scalingConfigSchema } from '../../../src/model';
import { requestForecastFor } from '../../../src/use-cases/autoscale';
import { forecastsFrom } from '../../../src/use-cases/decide-on-anomaly';
import { aService } from '../../support/builders';

const MIN = 60_000;
const start = Date.parse('2026-11-22T00:00:00.000Z');

describe('forecastsFrom', () => {
  it('gives decide the requests forecast autoscale sizes on, from now', () => {
    // Three hours of a load rising by 2 rps a minute, each minute read two minutes late.
    let detector: CollectedSeriesState = collectDetector.init();
    for (let m = 0; m < 180; m++) {
      detector = collectDetector.update(detector, {
        timestamp: start + m * MIN,
        value: 100 + 2 * m,
      }).state;
    }
    const models = [{ metric: 'requests', state: { lastTimestamp: detector.t, detector } }];
    const service = aService({
      scaling: scalingConfigSchema.parse({ requestsPerTaskCapacity: 100 }),
    });
    const now = new Date(start + 181 * MIN + 5_000);

    const requests = forecastsFrom(service, models, now).requests;

    expect(requests).not.toBeNull();
    expect(requests).toEqual(requestForecastFor(service, models, now));
    // Without a time, only the breaches are asked for.
    expect(forecastsFrom(service, models).requests).toBeNull();
  });
});
