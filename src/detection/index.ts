// The detector collect runs for every series. Swap the implementation here, nowhere else.
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

export const seriesDetector = vigiaDetector();
export type SeriesState = ReturnType<typeof seriesDetector.init>;
export { baselineOf, type BaselineSummary, type ProfileSummary } from './baseline';
