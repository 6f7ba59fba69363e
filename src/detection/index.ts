// The detector collect runs for every series. Swap the implementation here, nowhere else.
import { withLoadForecast } from './series-detector';
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
 * What collect runs on every series: the detector, with the load forecast pre-scaling uses learned
 * beside its state (load-forecast.ts; `lf` in the saved model, about 3 KB of JSON).
 */
export const collectDetector = withLoadForecast(seriesDetector);
export type CollectedSeriesState = ReturnType<typeof collectDetector.init>;
export { baselineOf, type BaselineSummary, type ProfileSummary } from './baseline';
