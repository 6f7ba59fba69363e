// The watch consumer's use case (issue #14): each new sample is judged against the service's
// threshold policies (with their `for` windows), for an outage (0 tasks running) and for a forecast
// breach. What holds becomes an anomaly item — keyed by service, policy and minute, written with a
// conditional put — that decide and notify then take exactly like the detector's. A redelivered
// sample writes nothing new.
import {
  forecastAnomaly,
  forecastLimits,
  forecastMetric,
  type ForecastLimit,
  heldThresholds,
  isThresholdPolicy,
  outageAnomaly,
  policyHoldMs,
  thresholdAnomaly,
} from '../decision';
import type { Anomaly, Sample, Service } from '../model';
import type {
  Clock,
  LearningStore,
  ModelStore,
  ObservationStore,
  ServiceRegistry,
  Telemetry,
} from '../ports';
import { timeToBreach, type SeriesState } from '../detection';
import type { SeriesModel } from './collect-tick';

export interface WatchDeps {
  clock: Clock;
  registry: Pick<ServiceRegistry, 'get'>;
  observations: Pick<ObservationStore, 'putAnomaly' | 'anomaliesSince'>;
  /** The detectors' state, for forecast breaches; without it no forecast is judged. */
  models?: Pick<ModelStore, 'loadModels'>;
  /** The service's recent samples, for `for` windows. */
  samples: Pick<LearningStore, 'samplesBetween'>;
  telemetry?: Telemetry;
}

export interface WatchResult {
  serviceId: string;
  /** Anomalies the sample raised (threshold, forecast, outage), written now or before. */
  raised: string[];
  /** Of those, the ones this call wrote (the rest were already there: a redelivery). */
  written: string[];
}

export async function watchSample(deps: WatchDeps, sample: Sample): Promise<WatchResult> {
  const result: WatchResult = { serviceId: sample.serviceId, raised: [], written: [] };
  const service = await deps.registry.get(sample.serviceId);
  // A sample of a service no longer declared: nobody to judge it for.
  if (!service) return result;

  const anomalies: Anomaly[] = [];
  const outage = outageAnomaly(sample);
  if (outage) anomalies.push(outage);
  const thresholds = service.policies.filter(isThresholdPolicy);
  if (thresholds.length > 0) {
    const longest = Math.max(...thresholds.map(policyHoldMs));
    const at = Date.parse(sample.at);
    // The window (at − for, at]; the sample itself is passed too, so a lagging read cannot drop it.
    const recent =
      longest > 0
        ? await deps.samples.samplesBetween(service.id, new Date(at - longest + 1), new Date(at))
        : [];
    for (const held of heldThresholds(service, sample, recent)) {
      anomalies.push(thresholdAnomaly(sample, held));
    }
  }

  if (deps.models) anomalies.push(...(await forecastBreaches(deps, service, sample)));

  const now = deps.clock.now();
  for (const anomaly of anomalies) {
    result.raised.push(anomaly.id);
    if (await deps.observations.putAnomaly(anomaly, now)) {
      result.written.push(anomaly.id);
      deps.telemetry?.count('WatchAnomalies', 1, { source: anomaly.source ?? 'detector' });
    }
  }
  return result;
}

/** A forecast anomaly of the same series this recent belongs to the same breach episode. */
const EPISODE_MS = 60 * 60_000;

/**
 * Forecast breaches not yet told in this episode: memory or disk running out of room, a user's
 * threshold reached within the hour (threshold-watch.ts forecastLimits).
 */
async function forecastBreaches(
  deps: WatchDeps,
  service: Service,
  sample: Sample,
): Promise<Anomaly[]> {
  const models = await deps.models!.loadModels(service.id);
  const breaches: Array<ForecastLimit & { minutesToBreach: number }> = [];
  for (const line of forecastLimits(service)) {
    const detector = detectorOf(models, line.metric);
    if (!detector) continue;
    let minutes: number | null;
    try {
      minutes = timeToBreach(detector, line.limit, line.side, line.horizonMinutes);
    } catch {
      continue; // a model from another detector version: no forecast rather than no watch
    }
    // 0 means already past the line: the thresholds speak for that. One warning per series: the
    // line it reaches first.
    if (minutes === null || minutes <= 0) continue;
    const other = breaches.findIndex((b) => b.metric === line.metric);
    if (other >= 0 && breaches[other]!.minutesToBreach <= minutes) continue;
    if (other >= 0) breaches.splice(other, 1);
    breaches.push({ ...line, minutesToBreach: minutes });
  }
  if (breaches.length === 0) return [];
  const at = Date.parse(sample.at);
  const recent = await deps.observations.anomaliesSince(service.id, new Date(at - EPISODE_MS));
  return breaches
    .filter(
      (b) =>
        !recent.some(
          (a) =>
            a.source === 'forecast' && a.metric === forecastMetric(b.metric) && a.at !== sample.at,
        ),
    )
    .map((b) =>
      forecastAnomaly(sample, service.name, { ...b, value: sample.metrics[b.metric] ?? null }),
    );
}

function detectorOf(
  models: ReadonlyArray<{ metric: string; state: unknown }>,
  metric: string,
): SeriesState | null {
  const record = models.find((m) => m.metric === metric);
  return (record?.state as SeriesModel<SeriesState> | undefined)?.detector ?? null;
}
