// Which saved model carries a service's load forecast (`lf`, learned by collect's load detector):
// `requests`, or `cpu` on a service that has no `requests` series (isLoadSeries in src/detection).
// The forecast readers — GET /services/{id}/forecast, pre-scaling — read it through here, so they
// read the series collect actually learned it on.
import type { CollectedSeriesState } from '../detection';
import { isLoadForecastState, type LoadForecastState } from '../detection/load-forecast';
import type { SeriesModel } from './collect-tick';

export type LoadMetric = 'requests' | 'cpu';

/**
 * The load forecast state saved with the service's load series, and which series it is; null when
 * that series has none yet (or one saved in a format this code no longer reads).
 */
export function loadSeriesForecast(
  models: ReadonlyArray<{ metric: string; state: unknown }>,
): { metric: LoadMetric; lf: LoadForecastState & { t: number } } | null {
  const requests = models.find((m) => m.metric === 'requests');
  const record = requests ?? models.find((m) => m.metric === 'cpu');
  if (!record) return null;
  const lf = (record.state as SeriesModel<CollectedSeriesState> | undefined)?.detector?.lf;
  if (!isLoadForecastState(lf) || lf.t === null || !(lf.dt > 0)) return null;
  return { metric: record.metric as LoadMetric, lf: lf as LoadForecastState & { t: number } };
}
