// A service's health score and forecasts as the API shows them (SPEC D4, D5): the health from the
// latest sample, recent anomalies, open incidents and the detector models; per series the next
// expected value, the trend and — where the decision engine has a limit for it — the time to breach,
// from the very numbers decide uses (forecastsFrom).
import {
  forecastAt,
  serviceHealthOf,
  type SeriesState,
  type ServiceHealthView,
  type VigiaState,
} from '../detection';
import type { Anomaly, Sample, Service } from '../model';
import type { CollectorHeartbeat, ModelRecord } from '../ports';
import type { SeriesModel } from './collect-tick';
import { forecastsFrom } from './decide-on-anomaly';

export interface SeriesForecast {
  metric: string;
  /** The series' last point and the next one the detector expects, at the series' own interval. */
  lastAt: string;
  next: { at: string; value: number };
  /** Level trend per hour (the seasonal profile aside); 0 on a flat series. */
  trendPerHour: number;
  /** When the forecast crosses the limit decide watches for this series; null when it does not. */
  breach: { inMinutes: number; at: string } | null;
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
    const breach = breaches.find((b) => b.metric === metric);
    out.push({
      metric,
      lastAt: new Date(detector.t).toISOString(),
      next: { at: new Date(nextAt).toISOString(), value: round(value) },
      trendPerHour: round(detector.tr * HOUR),
      breach: breach
        ? {
            inMinutes: breach.minutesToBreach,
            at: new Date(detector.t + breach.minutesToBreach * MINUTE).toISOString(),
          }
        : null,
    });
  }
  return out.sort((a, b) => (a.metric < b.metric ? -1 : 1));
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
