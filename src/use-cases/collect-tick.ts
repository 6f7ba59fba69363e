// One collector tick over a list of services (the whole fleet inline, or one shard in a worker):
// ECS state, every service's models in one batched read, the read cadence's verdict per service,
// the due services' new datapoints in batched calls, each series' detector over the points it has
// not seen, samples and anomalies written, then one models item saved per service.
//
// Outputs are written before the models (both idempotent creates keyed by time), and the models are
// saved with an optimistic lock; when two ticks overlap, the loser re-runs on the winner's models.
// Services run a few at a time, each within a time budget, so one slow service cannot hold the rest.
import {
  defaultCadence,
  nextMemory,
  readVerdict,
  type CadenceSettings,
} from '../collection/read-cadence';
import type { SeriesDetector } from '../detection/series-detector';
import { anomalyId, type Anomaly, type EcsState, type Sample, type Service } from '../model';
import type {
  Clock,
  EcsStateSource,
  HeartbeatStore,
  MetricBatch,
  MetricPoint,
  MetricSource,
  ModelStore,
  ObservationStore,
  ServiceModels,
  ServiceRegistry,
  SourceFailure,
  Telemetry,
} from '../ports';
import { mapBounded } from '../bounded-map';
import { withConflictRetry, withinBudget } from '../collection/run-limits';

/** Services processed at once (detector, writes): bounded, so a shard's writes do not all land at once. */
const SERVICES_IN_FLIGHT = 8;

export interface CollectDeps<S> {
  clock: Clock;
  registry: ServiceRegistry;
  metrics: MetricSource;
  ecs: EcsStateSource;
  models: ModelStore;
  observations: ObservationStore;
  heartbeat: HeartbeatStore;
  /** One detector for every series, or the detector of each series by its metric and the
   *  service's metrics (collect's: the load forecast only on load series). */
  detector: SeriesDetector<S> | DetectorFor<S>;
  telemetry?: Telemetry;
}

/** Chooses a series' detector from its metric and the service's metrics (read now or modelled). */
export type DetectorFor<S> = (metric: string, metrics: ReadonlySet<string>) => SeriesDetector<S>;

export interface CollectOptions {
  /**
   * How far back a new series' model learns from history (CloudWatch keeps one-minute data for 15
   * days): the daily and weekly profiles are there from its first day.
   */
  backfillMinutes: number;
  /**
   * Most points one series learns in one tick. A series further behind (a new one warming up from
   * its history, or one back after an outage) learns its oldest points first and resumes where it
   * stopped at the next tick (its `lastTimestamp` is the cursor), so each tick stays within its
   * time budget; it judges live points once it has caught up.
   */
  warmUpPointsPerTick: number;
  /** Only points this recent raise anomalies; older ones (history, catch-up) only teach the model. */
  liveWindowMinutes: number;
  detectionEnabled: boolean;
  maxConflictRetries: number;
  /** Datapoint period: a point stamped t covers [t, t + period) and is used once that has passed. */
  periodMs: number;
  /** When each service's CloudWatch series are read (calm every few minutes, hot every minute). */
  cadence: CadenceSettings;
  /** Longest one service may take (detector and writes) before the tick moves on without it. */
  serviceBudgetMs: number;
}

export const defaultCollectOptions: CollectOptions = {
  backfillMinutes: 14 * 1440,
  warmUpPointsPerTick: 2880,
  liveWindowMinutes: 5,
  detectionEnabled: true,
  maxConflictRetries: 3,
  periodMs: 60_000,
  cadence: defaultCadence,
  serviceBudgetMs: 20_000,
};

/** What the model item holds: the detector's own state and the last point it consumed. */
export interface SeriesModel<S> {
  lastTimestamp: number | null;
  detector: S;
}

export interface CollectResult {
  tickAt: string;
  services: number;
  /** Services whose series were not due this tick (read cadence): nothing read, nothing written. */
  notDue: number;
  series: number;
  samples: number;
  anomalies: Anomaly[];
  failures: { serviceId: string; error: string }[];
  /** A source that could not read a service's series; the service was collected without them. */
  sourceFailures: SourceFailure[];
}

const MINUTE = 60_000;

/** The whole fleet in one invocation, heartbeat included: small fleets, tests and the demo. */
export async function collectTick<S>(
  deps: CollectDeps<S>,
  tickAt: Date,
  options: CollectOptions = defaultCollectOptions,
): Promise<CollectResult> {
  return collectListed(deps, await deps.registry.list(), tickAt, options);
}

/** A tick over services already listed (the dispatcher's inline fleet), with its heartbeat. */
export async function collectListed<S>(
  deps: Omit<CollectDeps<S>, 'registry'>,
  services: readonly Service[],
  tickAt: Date,
  options: CollectOptions = defaultCollectOptions,
): Promise<CollectResult> {
  const startedAt = deps.clock.now();
  const result = await collectServices(deps, services, tickAt, options);
  const finishedAt = deps.clock.now();
  await deps.heartbeat.recordCollectorRun({
    ranAt: finishedAt.toISOString(),
    tickAt: tickAt.toISOString(),
    services: result.services,
    series: result.series,
    anomalies: result.anomalies.length,
    failures: result.failures.length,
    durationMs: finishedAt.getTime() - startedAt.getTime(),
  });
  return result;
}

/** One tick over the given services (a shard, or the fleet): no heartbeat, the caller records it. */
export async function collectServices<S>(
  deps: Omit<CollectDeps<S>, 'registry' | 'heartbeat'>,
  services: readonly Service[],
  tickAt: Date,
  options: CollectOptions = defaultCollectOptions,
): Promise<CollectResult> {
  const failures: CollectResult['failures'] = [];
  const ecsStates = await deps.ecs.describe(services).catch((err: Error) => {
    failures.push({ serviceId: '*', error: err.message });
    return new Map<string, EcsState | null>();
  });
  const models = await deps.models.loadServiceModels(services.map((s) => s.id));

  const verdicts = new Map(
    services.map((s) => [
      s.id,
      readVerdict(
        s,
        models.get(s.id)?.cadence ?? null,
        ecsStates.get(s.id) ?? null,
        tickAt.getTime(),
        options.cadence,
      ),
    ]),
  );
  // A service more than one tick's points behind (new, or back after an outage) is warming up:
  // read from its own cursor, apart from the fleet so the fleet's read stays short, and every tick
  // once it has series (whatever its cadence) until it has caught up.
  const catchUpFrom = tickAt.getTime() - options.warmUpPointsPerTick * options.periodMs;
  const earliest = tickAt.getTime() - options.backfillMinutes * MINUTE;
  const behind = new Set(
    services.filter((s) => oldestUnseen([s], models, earliest) < catchUpFrom).map((s) => s.id),
  );
  const due = services.filter(
    (s) =>
      verdicts.get(s.id)!.due || (behind.has(s.id) && (models.get(s.id)?.series.length ?? 0) > 0),
  );
  const warming = due.filter((s) => behind.has(s.id));
  const caughtUp = due.filter((s) => !behind.has(s.id));

  const sourceFailures: SourceFailure[] = [];
  const read = (group: readonly Service[], from: number, to: number): Promise<MetricBatch> =>
    deps.metrics.fetch(
      group,
      new Date(from),
      new Date(to),
      (f) => sourceFailures.push(f),
      to < tickAt.getTime(),
    );
  const fleetFrom = Math.max(earliest, oldestUnseen(caughtUp, models, earliest));
  // A tick older than what every model has seen (a late or replayed schedule) has nothing to fetch.
  const fleet =
    caughtUp.length > 0 && fleetFrom < tickAt.getTime()
      ? read(caughtUp, fleetFrom, tickAt.getTime())
      : Promise.resolve<MetricBatch>(new Map());
  // The warming services' history one chunk at a time from their oldest cursor: the first chunk
  // with any datapoint is this tick's (empty days before a service existed cost no tick).
  const warm = (async (): Promise<MetricBatch> => {
    const span = options.warmUpPointsPerTick * options.periodMs;
    for (
      let from = Math.max(earliest, oldestUnseen(warming, models, earliest));
      warming.length > 0 && from < tickAt.getTime();
      from += span
    ) {
      const chunk = await read(warming, from, Math.min(tickAt.getTime(), from + span));
      if ([...chunk.values()].some((m) => [...m.values()].some((p) => p.length > 0))) return chunk;
    }
    return new Map();
  })();
  const [fleetBatch, warmBatch] = await Promise.all([fleet, warm]);
  const batch: MetricBatch = new Map([...fleetBatch, ...warmBatch]);

  const anomalies: Anomaly[] = [];
  let samples = 0;
  let series = 0;
  await mapBounded(due, SERVICES_IN_FLIGHT, async (service) => {
    try {
      const out = await withinBudget(
        options.serviceBudgetMs,
        `${service.id} took over its ${options.serviceBudgetMs} ms budget`,
        () =>
          withConflictRetry(options.maxConflictRetries, async (attempt) => {
            const current =
              attempt === 0
                ? models.get(service.id)!
                : (await deps.models.loadServiceModels([service.id])).get(service.id)!;
            return processService(
              deps,
              service,
              current,
              batch,
              ecsStates.get(service.id) ?? null,
              tickAt,
              options,
            );
          }),
      );
      anomalies.push(...out.anomalies);
      samples += out.samples;
      series += out.series;
    } catch (err) {
      failures.push({ serviceId: service.id, error: (err as Error).message });
    }
  });

  countTick(deps.telemetry, services.length, failures, anomalies.length);
  return {
    tickAt: tickAt.toISOString(),
    services: services.length,
    notDue: services.length - due.length,
    series,
    samples,
    anomalies,
    failures,
    sourceFailures,
  };
}

/** The oldest point any due service's series has not seen: where the one metric read starts. */
function oldestUnseen(
  due: readonly Service[],
  models: Map<string, ServiceModels>,
  fallback: number,
): number {
  let oldest = Infinity;
  for (const service of due) {
    const records = models.get(service.id)?.series ?? [];
    if (records.length === 0) return fallback;
    for (const r of records) {
      const last = (r.state as SeriesModel<unknown>).lastTimestamp;
      oldest = Math.min(oldest, last === null ? fallback : last + 1);
    }
  }
  return Number.isFinite(oldest) ? oldest : fallback;
}

async function processService<S>(
  deps: Omit<CollectDeps<S>, 'registry' | 'heartbeat'>,
  service: Service,
  current: ServiceModels,
  batch: MetricBatch,
  ecs: EcsState | null,
  tickAt: Date,
  options: CollectOptions,
) {
  const liveFrom = tickAt.getTime() - options.liveWindowMinutes * MINUTE;
  // A calm read brings every minute since the service's last read: anomalies on all of them are
  // raised (late, but not lost), while samples stay the newest minutes'. A first read or a long
  // catch-up raises nothing older than the live window or one calm period.
  const lastReadAt = current.cadence?.lastReadAt ?? null;
  const anomalyFrom =
    lastReadAt === null
      ? liveFrom
      : Math.min(
          liveFrom,
          Math.max(
            lastReadAt - options.periodMs,
            tickAt.getTime() - (options.cadence.calmEveryMinutes + 1) * MINUTE,
          ),
        );
  const seriesOfService = batch.get(service.id) ?? new Map<string, MetricPoint[]>();
  const records = current.series;
  const updatedModels: { metric: string; model: SeriesModel<S>; version: number }[] = [];
  const latest: Record<string, number> = {};
  let anomalyAt: number | null = null;
  const anomalies: Anomaly[] = [];
  const liveValues = new Map<number, Record<string, number | null>>();
  const choose = deps.detector;
  const metricsOfService = new Set([...seriesOfService.keys(), ...records.map((r) => r.metric)]);

  for (const [metric, points] of seriesOfService) {
    const record = records.find((r) => r.metric === metric);
    const detector = typeof choose === 'function' ? choose(metric, metricsOfService) : choose;
    let model: SeriesModel<S> = record
      ? (record.state as SeriesModel<S>)
      : { lastTimestamp: null, detector: detector.init() };
    const complete = tickAt.getTime() - options.periodMs;
    const fresh = points
      .filter(
        (p) =>
          p.timestamp <= complete &&
          (model.lastTimestamp === null || p.timestamp > model.lastTimestamp),
      )
      .slice(0, options.warmUpPointsPerTick);
    if (fresh.length === 0) continue;
    latest[metric] = fresh[fresh.length - 1]!.value;
    for (const point of fresh) {
      const { state, output } = detector.update(model.detector, point);
      model = { lastTimestamp: point.timestamp, detector: state };
      if (point.timestamp < anomalyFrom) continue;
      if (point.timestamp >= liveFrom) {
        const minute = liveValues.get(point.timestamp) ?? {};
        minute[metric] = point.value;
        liveValues.set(point.timestamp, minute);
      }
      if (options.detectionEnabled && output.anomalous) {
        const at = new Date(point.timestamp).toISOString();
        anomalyAt = Math.max(anomalyAt ?? 0, point.timestamp);
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
  // One write for every series of the service; nothing to write when no series learned anything.
  if (updatedModels.length > 0) {
    const saved = new Set(updatedModels.map((m) => m.metric));
    await deps.models.saveServiceModels(
      service.id,
      {
        series: [
          ...records.filter((r) => !saved.has(r.metric)),
          ...updatedModels.map((m) => ({
            metric: m.metric,
            state: m.model,
            version: m.version + 1,
          })),
        ],
        cadence: nextMemory(current.cadence, {
          nowMs: tickAt.getTime(),
          read: true,
          ecs,
          latest,
          anomalyAt,
        }),
      },
      current.version,
    );
  }
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
