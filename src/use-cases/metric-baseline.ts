// GET /services/{id}/metrics/{metric}/baseline (read scope): what the detector has learned about
// one series — level, robust scale, expected value and alert band, the seasonal profiles in brief
// and the latest score — read from the model collect saved, so it is exactly what judges the next
// point.
import { baselineOf, type ProfileSummary, type SeriesState } from '../detection';
import { NotFoundError } from '../errors';
import type { ModelStore, ServiceRegistry } from '../ports';
import type { SeriesModel } from './collect-tick';

export interface MetricBaselineDeps {
  registry: Pick<ServiceRegistry, 'get'>;
  models: Pick<ModelStore, 'loadModels'>;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function profile(p: ProfileSummary, unit: 'hourUtc') {
  return {
    active: p.active,
    peak: { [unit]: p.peak.at, offset: p.peak.offset },
    trough: { [unit]: p.trough.at, offset: p.trough.offset },
  };
}

export async function metricBaseline(deps: MetricBaselineDeps, serviceId: string, metric: string) {
  if (!(await deps.registry.get(serviceId))) throw new NotFoundError(`service '${serviceId}'`);
  const record = (await deps.models.loadModels(serviceId)).find((m) => m.metric === metric);
  if (!record) throw new NotFoundError(`baseline of metric '${metric}' of service '${serviceId}'`);
  const model = record.state as SeriesModel<SeriesState>;
  const b = baselineOf(model.detector);
  return {
    serviceId,
    metric,
    points: b.points,
    warm: b.warm,
    lastAt: iso(b.lastAt),
    lastValue: b.lastValue,
    level: b.level,
    scale: b.scale,
    expected: b.expected,
    band: b.band,
    seasonal: {
      daily: profile(b.daily, 'hourUtc'),
      weekly: {
        active: b.weekly.active,
        weekday: profile(b.weekly.weekday, 'hourUtc'),
        weekend: profile(b.weekly.weekend, 'hourUtc'),
      },
    },
    latest: b.latest,
  };
}
