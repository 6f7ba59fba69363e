// A service's health score and forecasts as the API shows them (SPEC D4, D5): the health from the
// latest sample, recent anomalies, open incidents and the detector models; per series the next
// expected value, the trend, and the time to each line the watch forecasts it against (memory and
// disk reaching 95 %, every threshold policy's comparison: forecastLimits, the very lines that raise
// forecast warnings) and to the limit decide diagnoses a leak on (forecastsFrom).
import { forecastLimits, type ForecastLimit } from '../decision';
import {
  forecastAt,
  serviceHealthOf,
  timeToBreach,
  type SeriesState,
  type ServiceHealthView,
  type VigiaState,
} from '../detection';
import type { Anomaly, Sample, Service } from '../model';
import type { CollectorHeartbeat, ModelRecord } from '../ports';
import type { SeriesModel } from './collect-tick';
import { forecastsFrom } from './decide-on-anomaly';

export interface ForecastBreach {
  /** 0: the latest reading is already past the line. */
  inMinutes: number;
  at: string;
}

/** One line a series is forecast against, and when the forecast crosses it within the horizon. */
export interface ForecastLine {
  limit: number;
  side: 'above' | 'below';
  horizonMinutes: number;
  /** The threshold policy the line comes from; null for the built-in memory and disk lines. */
  policy: string | null;
  breach: ForecastBreach | null;
}

export interface SeriesForecast {
  metric: string;
  /** The series' last point and the next one the detector expects, at the series' own interval. */
  lastAt: string;
  next: { at: string; value: number };
  /** Level trend per hour (the seasonal profile aside); 0 on a flat series. */
  trendPerHour: number;
  /** The soonest breach of any line below (or of decide's leak limit); null when none is due. */
  breach: ForecastBreach | null;
  /** Every line the watch forecasts this series against, in the order forecastLimits gives. */
  lines: ForecastLine[];
}

export interface ServiceOutlookFacts {
  latest: Sample | null;
  anomalies: readonly Anomaly[];
  openIncidents: number;
  models: readonly Pick<ModelRecord, 'metric' | 'state'>[];
  /** Data time: the collector's latest tick (a replayed or delayed feed still reads right). */
  reference: Date;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Anomalies this recent weigh on the health score, as on /status. */
const OPEN_ANOMALY_WINDOW_MS = 15 * MINUTE;

export interface ServiceOutlookPorts {
  lastCollectorRun(): Promise<CollectorHeartbeat | null>;
  latestSample(serviceId: string): Promise<Sample | null>;
  anomaliesSince(serviceId: string, since: Date): Promise<Anomaly[]>;
  openIncidentCount(serviceId: string): Promise<number>;
  loadModels(serviceId: string): Promise<Pick<ModelRecord, 'metric' | 'state'>[]>;
}

export interface ServiceOutlook {
  health: ServiceHealthView;
  forecasts: SeriesForecast[];
}

/** GET /services/{id}'s health and forecasts: judged against data time, as /status does. */
export async function serviceOutlook(
  ports: ServiceOutlookPorts,
  service: Service,
  now: Date,
): Promise<ServiceOutlook> {
  const heartbeat = await ports.lastCollectorRun();
  const reference = heartbeat?.tickAt ? new Date(heartbeat.tickAt) : now;
  const [latest, anomalies, openIncidents, models] = await Promise.all([
    ports.latestSample(service.id),
    ports.anomaliesSince(service.id, new Date(reference.getTime() - OPEN_ANOMALY_WINDOW_MS)),
    ports.openIncidentCount(service.id),
    ports.loadModels(service.id),
  ]);
  return {
    health: healthOfService({ latest, anomalies, openIncidents, models, reference }),
    forecasts: serviceForecasts(service, models),
  };
}

/** Each series' detector state, or null for a model from another detector version. */
export function detectorsOf(
  models: readonly Pick<ModelRecord, 'metric' | 'state'>[],
): { metric: string; detector: VigiaState | null }[] {
  return models.map((m) => {
    const detector = (m.state as SeriesModel<SeriesState> | undefined)?.detector;
    const usable = detector && typeof detector === 'object' && 'hl' in detector;
    return { metric: m.metric, detector: usable ? (detector as VigiaState) : null };
  });
}

export function healthOfService(facts: ServiceOutlookFacts): ServiceHealthView {
  const ecs = facts.latest?.ecs ?? null;
  return serviceHealthOf({
    anomalies: facts.anomalies,
    models: detectorsOf(facts.models),
    tasks: ecs ? { desired: ecs.desiredCount, running: ecs.runningCount } : null,
    openIncidents: facts.openIncidents,
    reference: facts.reference.getTime(),
  });
}

/** The warm series' forecasts, in metric order; a series still warming up has none. */
export function serviceForecasts(
  service: Service,
  models: readonly Pick<ModelRecord, 'metric' | 'state'>[],
): SeriesForecast[] {
  const breaches = forecastsFrom(service, models).breaches;
  const limits = forecastLimits(service);
  const out: SeriesForecast[] = [];
  for (const { metric, detector } of detectorsOf(models)) {
    if (!detector || detector.t === null || !(detector.dt > 0)) continue;
    const nextAt = detector.t + detector.dt;
    let value: number | null;
    try {
      value = forecastAt(detector, nextAt);
    } catch {
      continue; // a model from another detector version: no forecast rather than no response
    }
    if (value === null) continue;
    const at = (minutes: number) => ({
      inMinutes: minutes,
      at: new Date(detector.t! + minutes * MINUTE).toISOString(),
    });
    const lines = limits.filter((l) => l.metric === metric).map((l) => lineOf(detector, l, at));
    const soonest = [
      ...lines.map((l) => l.breach?.inMinutes),
      breaches.find((b) => b.metric === metric)?.minutesToBreach,
    ].filter((m): m is number => m !== undefined && m !== null);
    out.push({
      metric,
      lastAt: new Date(detector.t).toISOString(),
      next: { at: new Date(nextAt).toISOString(), value: round(value) },
      trendPerHour: round(detector.tr * HOUR),
      breach: soonest.length > 0 ? at(Math.min(...soonest)) : null,
      lines,
    });
  }
  return out.sort((a, b) => (a.metric < b.metric ? -1 : 1));
}

function lineOf(
  detector: VigiaState,
  line: ForecastLimit,
  at: (minutes: number) => ForecastBreach,
): ForecastLine {
  let minutes: number | null = null;
  try {
    minutes = timeToBreach(detector, line.limit, line.side, line.horizonMinutes);
  } catch {
    minutes = null; // a model from another detector version: the line without a forecast
  }
  return {
    limit: line.limit,
    side: line.side,
    horizonMinutes: line.horizonMinutes,
    policy: line.policy ?? null,
    breach: minutes === null ? null : at(minutes),
  };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
