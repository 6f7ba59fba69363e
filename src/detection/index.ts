// The detector collect runs for every series. Swap the implementation here, nowhere else.
import { withLoadForecast, type SeriesDetector } from './series-detector';
import type { LoadForecastState } from './load-forecast';
import { vigiaDetector } from './vigia-detector';

export type { DetectionOutput, SeriesDetector, SeriesPoint } from './series-detector';
export type { VigiaState } from './vigia-detector';
export { forecastAt, forecastSeries, timeToBreach, type ForecastPoint } from './forecast';
export {
  HEALTH_WINDOW_MS,
  healthStatus,
  serviceHealth,
  serviceHealthOf,
  type HealthFacts,
  type HealthStatus,
  type ServiceHealthView,
} from './service-health';
export {
  errorAhead,
  loadBaselineKind,
  loadForecast,
  type LoadForecastPoint,
  type LoadForecastState,
} from './load-forecast';

export const seriesDetector = vigiaDetector();
export type SeriesState = ReturnType<typeof seriesDetector.init>;
/**
 * The detector of a load series: the series detector, with the load forecast pre-scaling reads
 * (load-forecast.ts) learned beside its state under `lf` (about 3–4 KB more JSON per series).
 */
export const loadDetector = withLoadForecast(seriesDetector);
/** A series' saved detector state: `lf` only on load series (states saved before may carry one). */
export type CollectedSeriesState = SeriesState & { lf?: LoadForecastState };
/**
 * The series whose load forecast pre-scaling and `GET /services/{id}/forecast` read: `requests`,
 * and `cpu` on a service that has no `requests` series (`metrics`: the service's series, read now
 * or modelled before).
 */
export function isLoadSeries(metric: string, metrics: ReadonlySet<string>): boolean {
  return metric === 'requests' || (metric === 'cpu' && !metrics.has('requests'));
}
/**
 * What collect runs on one series: the load detector on a load series, the series detector on
 * every other (which carries no `lf`; a state saved with one sheds it at its next point).
 */
export function collectDetectorFor(
  metric: string,
  metrics: ReadonlySet<string>,
): SeriesDetector<CollectedSeriesState> {
  return isLoadSeries(metric, metrics) ? loadDetector : seriesDetector;
}
/** The load detector under its former name: what collect ran on every series before (bench:scaling
 *  feeds `requests` through it). */
export const collectDetector = loadDetector;
export { baselineOf, type BaselineSummary, type ProfileSummary } from './baseline';
export { packState, unpackState } from './state-codec';
