// Target scaling on one reading (SPEC X3): the service's ECS state as it is now, the detector's
// load forecast and the autopilot state → planTargetScaling → a decision for scale to execute, or
// the held plan's recommendation saved for scale-in stabilisation. Decision and state are written
// together under the state's version, so a redelivered reading decides once and readings arriving
// together for one service take turns.
import { planTargetScaling, targetScalingSkip, type GlobalSwitches } from '../decision';
import { loadForecast, type CollectedSeriesState } from '../detection';
import { ConflictError, NotFoundError } from '../errors';
import type { Sample, ScalingReading, Service } from '../model';
import type { ActionStats } from '../decision';
import type {
  Clock,
  DecisionLedger,
  DecisionStore,
  EcsStateSource,
  LearningStore,
  ModelStore,
  ServiceRegistry,
} from '../ports';
import type { SeriesModel } from './collect-tick';

export interface AutoscaleDeps {
  clock: Clock;
  registry: ServiceRegistry;
  ledger: Pick<DecisionLedger, 'loadAutopilotState' | 'commitDecision' | 'saveScalingState'>;
  decisions: Pick<DecisionStore, 'decisionsSince'>;
  ecs: EcsStateSource;
  /** Detector state, for the load forecast; without it there is no pre-scaling. */
  models?: Pick<ModelStore, 'loadModels'>;
  /**
   * What verification learned of this service's target-scaling steps; read only when a reading
   * plans a step (most hold). Without it, nothing learned weighs on the next step.
   */
  learning?: Pick<LearningStore, 'loadStats'>;
}

export type AutoscaleOutcome =
  | { kind: 'ignored'; reason: string }
  | { kind: 'held'; reason: string }
  | { kind: 'decided'; decisionId: string; action: string; toCount: number | null }
  | { kind: 'already-decided'; decisionId: string };

const MAX_ATTEMPTS = 5;
const HOUR = 3_600_000;
const SAMPLE_PERIOD_MS = 60_000;
const MINUTE = 60_000;
/** A service silent for hours has no forecast worth sizing on. */
const MAX_FORECAST_STEPS = 120;

/**
 * The reading a collector sample gives: a sample covers the minute starting at its `at`, so its
 * reading is measured at the minute's end. A queue worker's sample carries its queue's backlog and
 * arrivals, and sizes it even with no task running (no CPU to measure).
 */
export function readingOfSample(sample: Sample): ScalingReading {
  return {
    serviceId: sample.serviceId,
    at: new Date(Date.parse(sample.at) + SAMPLE_PERIOD_MS).toISOString(),
    source: 'sample',
    cpu: sample.metrics.cpu ?? null,
    memory: sample.metrics.memory ?? null,
    requests: sample.metrics.requests ?? null,
    queue_backlog: sample.metrics.queue_backlog ?? null,
    queue_arrivals: sample.metrics.queue_arrivals ?? null,
    // ECS's count is from the collector's tick, a minute or two after the datapoint's minute: not
    // the tasks that produced it. Target scaling pairs the reading with the counts it saw then.
    tasks: null,
  };
}

/**
 * Width of the forecast's one-sided band in measured errors (95%): the upper edge pre-scaling sizes
 * at the ceiling. The errors themselves are each service's own, measured at each horizon. 1.65
 * rather than 1.28: chosen on bench:scaling's tuning traces (docs/benchmarks/scaling.md).
 */
export const LOAD_BAND_Z = 1.65;

/**
 * The requests per second expected from now until a task asked for now has started and been
 * measured once (preScaling.leadMinutes) or the scale-in stabilisation window has passed, from the load forecast kept beside the `requests`
 * detector (load-forecast.ts). The forecast starts after the last datapoint: the minutes between
 * it and now (CloudWatch's lag) are forecast too, so its band widens with the data's age. Null
 * without a warm forecast. The benchmark runs this same function.
 */
export function requestForecastFor(
  service: Service,
  models: ReadonlyArray<{ metric: string; state: unknown }>,
  now: Date,
): { expected: number[]; upper: number[] } | null {
  if (service.scaling.requestsPerTaskCapacity === undefined) return null;
  const record = models.find((m) => m.metric === 'requests');
  const lf = (record?.state as SeriesModel<CollectedSeriesState> | undefined)?.detector?.lf;
  if (!lf || lf.t === null || !(lf.dt > 0)) return null;
  // Scale-out looks leadMinutes ahead; scale-in looks over its stabilisation window, and holds
  // when the load is forecast to come back within it (scaling-plan.ts).
  const ahead = Math.max(
    service.scaling.preScaling.leadMinutes * MINUTE,
    service.scaling.scaleInStabilisationSeconds * 1000,
  );
  const steps = Math.min(MAX_FORECAST_STEPS, Math.ceil((now.getTime() + ahead - lf.t) / lf.dt));
  // Points whose interval has already ended are history by now, not the load to come.
  const points = loadForecast(lf, steps, LOAD_BAND_Z).filter(
    (p) => p.timestamp + lf.dt > now.getTime(),
  );
  if (points.length === 0) return null;
  return { expected: points.map((p) => p.value), upper: points.map((p) => p.upper) };
}

export async function autoscaleOnReading(
  deps: AutoscaleDeps,
  reading: ScalingReading,
  switches: GlobalSwitches,
): Promise<AutoscaleOutcome> {
  const service = await deps.registry.get(reading.serviceId);
  if (!service) throw new NotFoundError(`service '${reading.serviceId}' (from a scaling reading)`);
  // Decided before reading anything else: services not in auto mode, history being caught up.
  const skip = targetScalingSkip(service, reading, switches, deps.clock.now());
  if (skip) return { kind: 'ignored', reason: skip };
  // Detector models only matter for pre-scaling on requests; a reading arrives every few seconds.
  const forecasting =
    deps.models !== undefined &&
    service.scaling.preScaling.enabled &&
    service.scaling.requestsPerTaskCapacity !== undefined;
  const [ecsStates, models] = await Promise.all([
    deps.ecs.describe([service]),
    forecasting ? deps.models!.loadModels(service.id) : Promise.resolve([]),
  ]);
  const ecs = ecsStates.get(service.id) ?? null;
  const forecast = requestForecastFor(service, models, deps.clock.now());

  let learned: readonly ActionStats[] | undefined;
  for (let attempt = 1; ; attempt++) {
    const state = await deps.ledger.loadAutopilotState(service.id);
    const recent = await deps.decisions.decisionsSince(
      service.id,
      new Date(Date.parse(reading.at) - HOUR),
    );
    const plan = () =>
      planTargetScaling({
        service,
        reading,
        ecs,
        forecastRequestRate: forecast,
        scalingState: state.scaling,
        recentDecisions: recent,
        switches,
        now: deps.clock.now(),
        ...(learned ? { learned } : {}),
      });
    let result = plan();
    // A step is planned: what this service's earlier steps taught weighs on it (target-scaling.ts).
    if (result.kind === 'act' && deps.learning && learned === undefined) {
      learned = (await deps.learning.loadStats(service.id)).map((r) => r.stats);
      result = plan();
    }
    if (result.kind === 'ignored') return result;
    const now = deps.clock.now();
    if (result.kind === 'hold') {
      const saved = await deps.ledger.saveScalingState(
        service.id,
        result.scalingState,
        state.version,
        now,
      );
      if (saved === 'saved') return { kind: 'held', reason: result.reason };
    } else {
      const commit = await deps.ledger.commitDecision(
        result.decision,
        result.scalingState,
        state.version,
        now,
      );
      if (commit === 'created') {
        return {
          kind: 'decided',
          decisionId: result.decision.id,
          action: result.decision.action,
          toCount: result.decision.toCount,
        };
      }
      if (commit === 'exists') return { kind: 'already-decided', decisionId: result.decision.id };
    }
    if (attempt >= MAX_ATTEMPTS) {
      throw new ConflictError(
        `target scaling for ${reading.serviceId} at ${reading.at}: autopilot state kept changing`,
      );
    }
  }
}
