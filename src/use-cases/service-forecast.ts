// GET /services/{id}/forecast (read scope): the load forecast pre-scaling sizes ahead for — the
// next hours of requests per second with the upper edge of the band it scales for — beside what
// happened over the past hours and what the forecast's seasonal baseline expected then. Read from
// the model collect saved, so it is exactly what the next scaling decision will use.
import { loadBaselineKind, loadForecast, type CollectedSeriesState } from '../detection';
import { NotFoundError } from '../errors';
import type { LearningStore, ModelStore, ServiceRegistry } from '../ports';
import { LOAD_BAND_Z } from './autoscale';
import type { SeriesModel } from './collect-tick';

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
  const record = models.find((m) => m.metric === 'requests');
  const lf = (record?.state as SeriesModel<CollectedSeriesState> | undefined)?.detector?.lf;
  if (!lf || lf.t === null || !(lf.dt > 0)) {
    throw new NotFoundError(`load forecast of service '${serviceId}' (no requests model yet)`);
  }
  const steps = Math.ceil((now.getTime() + hours.ahead * HOUR - lf.t) / lf.dt);
  const points = loadForecast(lf, Math.max(0, steps), LOAD_BAND_Z);
  return {
    serviceId,
    metric: 'requests',
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
      .filter((s) => s.metrics.requests != null)
      .map((s) => ({ at: s.at, requests: s.metrics.requests! })),
  };
}
