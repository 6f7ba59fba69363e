// Target scaling on one reading (SPEC X3): the service's ECS state as it is now, the detector's
// load forecast and the autopilot state → planTargetScaling → a decision for scale to execute, or
// the held plan's recommendation saved for scale-in stabilisation. Decision and state are written
// together under the state's version, so a redelivered reading decides once and readings arriving
// together for one service take turns.
import { planTargetScaling, targetScalingSkip, type GlobalSwitches } from '../decision';
import { ConflictError, NotFoundError } from '../errors';
import type { Sample, ScalingReading } from '../model';
import type {
  Clock,
  DecisionLedger,
  DecisionStore,
  EcsStateSource,
  ModelStore,
  ServiceRegistry,
} from '../ports';
import { forecastsFrom } from './decide-on-anomaly';

export interface AutoscaleDeps {
  clock: Clock;
  registry: ServiceRegistry;
  ledger: Pick<DecisionLedger, 'loadAutopilotState' | 'commitDecision' | 'saveScalingState'>;
  decisions: Pick<DecisionStore, 'decisionsSince'>;
  ecs: EcsStateSource;
  /** Detector state, for the load forecast; without it there is no pre-scaling. */
  models?: Pick<ModelStore, 'loadModels'>;
}

export type AutoscaleOutcome =
  | { kind: 'ignored'; reason: string }
  | { kind: 'held'; reason: string }
  | { kind: 'decided'; decisionId: string; action: string; toCount: number | null }
  | { kind: 'already-decided'; decisionId: string };

const MAX_ATTEMPTS = 5;
const HOUR = 3_600_000;
const SAMPLE_PERIOD_MS = 60_000;

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
    tasks: sample.ecs?.runningCount ?? null,
  };
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
  const forecast = forecastsFrom(service, models).requests;

  for (let attempt = 1; ; attempt++) {
    const state = await deps.ledger.loadAutopilotState(service.id);
    const recent = await deps.decisions.decisionsSince(
      service.id,
      new Date(Date.parse(reading.at) - HOUR),
    );
    const result = planTargetScaling({
      service,
      reading,
      ecs,
      forecastRequestRate: forecast,
      scalingState: state.scaling,
      recentDecisions: recent,
      switches,
      now: deps.clock.now(),
    });
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
