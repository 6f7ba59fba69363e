// GET /services/{id}/forecast (read scope): the load forecast pre-scaling sizes ahead for — the
// next hours of requests per second (or of CPU, on a service without requests) with the upper edge
// of the band it scales for — beside what happened over the past hours. Read from the model collect
// saved, so it is exactly what the next scaling decision will use.
import { loadBaselineKind, loadForecast } from '../detection';
import { NotFoundError } from '../errors';
import type { LearningStore, ModelStore, ServiceRegistry } from '../ports';
import { LOAD_BAND_Z } from './autoscale';
import { loadSeriesForecast } from './load-series';

export interface ServiceForecastDeps {
  registry: Pick<ServiceRegistry, 'get'>;
  models: Pick<ModelStore, 'loadModels'>;
  /** The collector's samples: what happened. */
  learning: Pick<LearningStore, 'samplesBetween'>;
}

const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

export async function serviceForecast(
  deps: ServiceForecastDeps,
  serviceId: string,
  hours: { ahead: number; past: number },
  now: Date,
) {
  const service = await deps.registry.get(serviceId);
  if (!service) throw new NotFoundError(`service '${serviceId}'`);
  const [models, samples] = await Promise.all([
    deps.models.loadModels(serviceId),
    deps.learning.samplesBetween(serviceId, new Date(now.getTime() - hours.past * HOUR), now),
  ]);
  const load = loadSeriesForecast(models);
  if (!load) {
    throw new NotFoundError(
      `load forecast of service '${serviceId}' (no requests or cpu model yet)`,
    );
  }
  const { metric, lf } = load;
  const steps = Math.ceil((now.getTime() + hours.ahead * HOUR - lf.t) / lf.dt);
  const points = loadForecast(lf, Math.max(0, steps), LOAD_BAND_Z);
  return {
    serviceId,
    /** The series forecast: `requests`, or `cpu` (percent) on a service without requests. */
    metric,
    /** The seasonal baseline in use: 'weekly', 'daily' or 'level' (not enough history yet). */
    baseline: loadBaselineKind(lf),
    lastDatapointAt: iso(lf.t),
    intervalSeconds: Math.round(lf.dt / 1000),
    preScaling: {
      enabled: service.scaling.preScaling.enabled,
      mode: service.scaling.preScaling.mode,
      leadMinutes: service.scaling.preScaling.leadMinutes,
    },
    forecast: points.map((p) => ({ at: iso(p.timestamp), expected: p.value, upper: p.upper })),
    past: samples
      .filter((s) => s.metrics[metric] != null)
      .map((s) => ({ at: s.at, [metric]: s.metrics[metric]! })),
  };
}
