// One collector tick: fetch every service's new datapoints and ECS state, run each series' detector
// over the points it has not seen, write samples and anomalies, then save the models.
//
// Outputs are written before the model (both idempotent creates keyed by time), and the model is
// saved with an optimistic lock; when two ticks overlap, the loser re-runs on the winner's model.
import type { SeriesDetector } from '../detection/series-detector';
import { ConflictError } from '../errors';
import { anomalyId, type Anomaly, type EcsState, type Sample, type Service } from '../model';
import type {
  Clock,
  EcsStateSource,
  HeartbeatStore,
  MetricBatch,
  MetricPoint,
  MetricSource,
  ModelRecord,
  ModelStore,
  ObservationStore,
  ServiceRegistry,
  SourceFailure,
  Telemetry,
} from '../ports';
import { mapBounded } from '../bounded-map';

/** Model queries in flight at once per tick. */
const MODEL_LOADS_IN_FLIGHT = 16;

export interface CollectDeps<S> {
  clock: Clock;
  registry: ServiceRegistry;
  metrics: MetricSource;
  ecs: EcsStateSource;
  models: ModelStore;
  observations: ObservationStore;
  heartbeat: HeartbeatStore;
  detector: SeriesDetector<S>;
  telemetry?: Telemetry;
}

export interface CollectOptions {
  /** How far back a new series' model learns from history, so it is warm from its first tick. */
  backfillMinutes: number;
  /** Only points this recent raise anomalies; older ones (history, catch-up) only teach the model. */
  liveWindowMinutes: number;
  detectionEnabled: boolean;
  maxConflictRetries: number;
  /** Datapoint period: a point stamped t covers [t, t + period) and is used once that has passed. */
  periodMs: number;
}

export const defaultCollectOptions: CollectOptions = {
  backfillMinutes: 180,
  liveWindowMinutes: 5,
  detectionEnabled: true,
  maxConflictRetries: 3,
  periodMs: 60_000,
};

/** What the model item holds: the detector's own state and the last point it consumed. */
export interface SeriesModel<S> {
  lastTimestamp: number | null;
  detector: S;
}

export interface CollectResult {
  tickAt: string;
  services: number;
  series: number;
  samples: number;
  anomalies: Anomaly[];
  failures: { serviceId: string; error: string }[];
  /** A source that could not read a service's series; the service was collected without them. */
  sourceFailures: SourceFailure[];
}

const MINUTE = 60_000;

export async function collectTick<S>(
  deps: CollectDeps<S>,
  tickAt: Date,
  options: CollectOptions = defaultCollectOptions,
): Promise<CollectResult> {
  const startedAt = deps.clock.now();
  const services = await deps.registry.list();
  const failures: CollectResult['failures'] = [];
  const ecsStates = await deps.ecs.describe(services).catch((err: Error) => {
    failures.push({ serviceId: '*', error: err.message });
    return new Map<string, EcsState | null>();
  });

  const models = new Map<string, ModelRecord[]>();
  // Bounded: a fleet of hundreds must not open hundreds of table queries at once.
  await mapBounded(services, MODEL_LOADS_IN_FLIGHT, async (s) =>
    models.set(s.id, await deps.models.loadModels(s.id)),
  );

  const earliest = tickAt.getTime() - options.backfillMinutes * MINUTE;
  const from = Math.max(earliest, oldestUnseen(models, earliest));
  // A tick older than what every model has seen (a late or replayed schedule) has nothing to fetch.
  const sourceFailures: SourceFailure[] = [];
  const batch: MetricBatch =
    from < tickAt.getTime()
      ? await deps.metrics.fetch(services, new Date(from), tickAt, (f) => sourceFailures.push(f))
      : new Map();

  const anomalies: Anomaly[] = [];
  let samples = 0;
  let series = 0;
  for (const service of services) {
    try {
      const out = await withConflictRetry(options.maxConflictRetries, async (attempt) => {
        const records =
          attempt === 0 ? models.get(service.id)! : await deps.models.loadModels(service.id);
        return processService(
          deps,
          service,
          records,
          batch,
          ecsStates.get(service.id) ?? null,
          tickAt,
          options,
        );
      });
      anomalies.push(...out.anomalies);
      samples += out.samples;
      series += out.series;
    } catch (err) {
      failures.push({ serviceId: service.id, error: (err as Error).message });
    }
  }

  const finishedAt = deps.clock.now();
  countTick(deps.telemetry, services.length, failures, anomalies.length);
  await deps.heartbeat.recordCollectorRun({
    ranAt: finishedAt.toISOString(),
    tickAt: tickAt.toISOString(),
    services: services.length,
    series,
    anomalies: anomalies.length,
    failures: failures.length,
    durationMs: finishedAt.getTime() - startedAt.getTime(),
  });
  return {
    tickAt: tickAt.toISOString(),
    services: services.length,
    series,
    samples,
    anomalies,
    failures,
    sourceFailures,
  };
}

function oldestUnseen(models: Map<string, ModelRecord[]>, fallback: number): number {
  let oldest = Infinity;
  for (const records of models.values()) {
    if (records.length === 0) return fallback;
    for (const r of records) {
      const last = (r.state as SeriesModel<unknown>).lastTimestamp;
      oldest = Math.min(oldest, last === null ? fallback : last + 1);
    }
  }
  return Number.isFinite(oldest) ? oldest : fallback;
}

async function withConflictRetry<T>(
  retries: number,
  run: (attempt: number) => Promise<T>,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await run(attempt);
    } catch (err) {
      if (!(err instanceof ConflictError) || attempt >= retries) throw err;
    }
  }
}

async function processService<S>(
  deps: CollectDeps<S>,
  service: Service,
  records: ModelRecord[],
  batch: MetricBatch,
  ecs: EcsState | null,
  tickAt: Date,
  options: CollectOptions,
) {
  const liveFrom = tickAt.getTime() - options.liveWindowMinutes * MINUTE;
  const seriesOfService = batch.get(service.id) ?? new Map<string, MetricPoint[]>();
  const updatedModels: { metric: string; model: SeriesModel<S>; version: number }[] = [];
  const anomalies: Anomaly[] = [];
  const liveValues = new Map<number, Record<string, number | null>>();

  for (const [metric, points] of seriesOfService) {
    const record = records.find((r) => r.metric === metric);
    let model: SeriesModel<S> = record
      ? (record.state as SeriesModel<S>)
      : { lastTimestamp: null, detector: deps.detector.init() };
    const complete = tickAt.getTime() - options.periodMs;
    const fresh = points.filter(
      (p) =>
        p.timestamp <= complete &&
        (model.lastTimestamp === null || p.timestamp > model.lastTimestamp),
    );
    if (fresh.length === 0) continue;
    for (const point of fresh) {
      const { state, output } = deps.detector.update(model.detector, point);
      model = { lastTimestamp: point.timestamp, detector: state };
      if (point.timestamp < liveFrom) continue;
      const minute = liveValues.get(point.timestamp) ?? {};
      minute[metric] = point.value;
      liveValues.set(point.timestamp, minute);
      if (options.detectionEnabled && output.anomalous) {
        const at = new Date(point.timestamp).toISOString();
        anomalies.push({
          id: anomalyId(service.id, metric, at),
          serviceId: service.id,
          metric,
          at,
          value: point.value,
          score: output.score,
          direction: output.direction,
          expected: output.expected,
          lower: output.lower,
          upper: output.upper,
          zScore: output.zScore,
          severity: output.severity,
          explanation: `${metric} ${output.explanation}`,
          desiredCount: ecs?.desiredCount ?? null,
        });
      }
    }
    updatedModels.push({ metric, model, version: record?.version ?? 0 });
  }

  const metricIds = [...seriesOfService.keys()];
  const samples: Sample[] = [...liveValues.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([timestamp, values]) => ({
      serviceId: service.id,
      at: new Date(timestamp).toISOString(),
      metrics: Object.fromEntries(metricIds.map((m) => [m, values[m] ?? null])),
      ecs,
    }));

  const recordedAt = deps.clock.now();
  for (const sample of samples) await deps.observations.putSample(sample, recordedAt);
  for (const anomaly of anomalies) await deps.observations.putAnomaly(anomaly, recordedAt);
  for (const m of updatedModels)
    await deps.models.saveModel(service.id, m.metric, m.model, m.version);
  return { anomalies, samples: samples.length, series: updatedModels.length };
}

/** The tick's own metrics: one tick, the services it collected (not failed), the anomalies found. */
function countTick(
  telemetry: Telemetry | undefined,
  services: number,
  failures: CollectResult['failures'],
  anomalies: number,
): void {
  telemetry?.count('Ticks');
  // A failure named '*' (ECS unreadable) spoils no single service's collection.
  telemetry?.count(
    'ServicesCollected',
    services - failures.filter((f) => f.serviceId !== '*').length,
  );
  telemetry?.count('Anomalies', anomalies);
}
