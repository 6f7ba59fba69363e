// GET /services/{id}/forecast reads the load forecast where collect learned it: on `requests`, or
// on `cpu` for a service without requests (issue 18). Before, a CPU-only service got a 404 though
// collect kept a forecast for it.
import { describe, expect, it } from 'vitest';
import { loadDetector, type CollectedSeriesState } from '../../../src/detection';
import { NotFoundError } from '../../../src/errors';
import type { Sample } from '../../../src/model';
import { loadSeriesForecast } from '../../../src/use-cases/load-series';
import { serviceForecast, type ServiceForecastDeps } from '../../../src/use-cases/service-forecast';
import { aService } from '../../support/builders';

const MIN = 60_000;
const start = Date.parse('2026-11-23T00:00:00.000Z');

function learned(value: (m: number) => number, minutes = 180): CollectedSeriesState {
  let detector = loadDetector.init();
  for (let m = 0; m < minutes; m++) {
    detector = loadDetector.update(detector, { timestamp: start + m * MIN, value: value(m) }).state;
  }
  return detector;
}

const model = (metric: string, detector: CollectedSeriesState) => ({
  metric,
  state: { lastTimestamp: detector.lf!.t, detector },
});

function deps(
  models: { metric: string; state: unknown }[],
  samples: Sample[],
): ServiceForecastDeps {
  const service = aService({ id: 'worker' });
  return {
    registry: { get: async (id: string) => (id === service.id ? service : null) },
    models: { loadModels: async () => models as never },
    learning: { samplesBetween: async () => samples },
  };
}

describe('the load series a forecast is read from', () => {
  it('forecasts cpu for a service without requests, beside its cpu samples', async () => {
    const cpu = learned((m) => 40 + (m % 2));
    const now = new Date(start + 181 * MIN);
    const samples: Sample[] = [
      {
        serviceId: 'worker',
        at: new Date(start + 179 * MIN).toISOString(),
        metrics: { cpu: 41 },
        ecs: null,
      },
    ];

    const body = await serviceForecast(
      deps(
        [
          model('cpu', cpu),
          model(
            'memory',
            learned(() => 60),
          ),
        ],
        samples,
      ),
      'worker',
      { ahead: 1, past: 1 },
      now,
    );

    expect(body.metric).toBe('cpu');
    expect(body.forecast.length).toBeGreaterThanOrEqual(60);
    expect(body.forecast[0]!.expected).toBeCloseTo(40.5, 0);
    expect(body.past).toEqual([{ at: samples[0]!.at, cpu: 41 }]);
  });

  it('reads requests when the service has them, and nothing from a series without a forecast', async () => {
    const requests = model(
      'requests',
      learned(() => 300),
    );
    const cpu = model(
      'cpu',
      learned(() => 40),
    );

    expect(loadSeriesForecast([cpu, requests])?.metric).toBe('requests');
    // A requests model saved before it carried a forecast: cpu is not a stand-in for it.
    const bare = { metric: 'requests', state: { lastTimestamp: start, detector: {} } };
    expect(loadSeriesForecast([cpu, bare])).toBeNull();
    await expect(
      serviceForecast(
        deps(
          [
            model(
              'memory',
              learned(() => 60),
            ),
          ],
          [],
        ),
        'worker',
        { ahead: 1, past: 1 },
        new Date(start + 181 * MIN),
      ),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});
