// Turns one anomaly into one decision with the real engine: the service's latest sample, its open
// anomalies, the detector's forecasts and ECS state → diagnosis → policies → learned choice →
// scaling math → mode, switches, cooldowns, hourly cap. The decision and the service's autopilot
// state are written in one transaction, so a redelivered anomaly decides once and two anomalies
// arriving together cannot both pass a cooldown.
import { decideFromAnomaly, type DiagnosisForecast, type GlobalSwitches } from '../decision';
import { timeToBreach, type SeriesState } from '../detection';
import { ConflictError, NotFoundError } from '../errors';
import { decisionIdFor, type Anomaly, type Decision, type Service } from '../model';
import type {
  Clock,
  DecisionLedger,
  DecisionStore,
  LearningStore,
  ModelStore,
  ObservationStore,
  ServiceRegistry,
  Telemetry,
} from '../ports';
import { requestForecastFor } from './autoscale';
import type { SeriesModel } from './collect-tick';
import { diagnoseWithLlm, withLlmDiagnosis, type LlmDiagnosisDeps } from './llm-diagnosis';

export interface DecideDeps {
  clock: Clock;
  registry: ServiceRegistry;
  decisions: Pick<DecisionStore, 'getDecision' | 'decisionsSince'>;
  ledger: Pick<DecisionLedger, 'loadAutopilotState' | 'commitDecision'>;
  observations: Pick<ObservationStore, 'latestSample' | 'anomaliesSince'>;
  learning: Pick<LearningStore, 'loadStats'>;
  /** The service's recent samples, for trends (a leak's steady climb); without them, none. */
  samples?: Pick<LearningStore, 'samplesBetween'>;
  /** Detector state, for forecasts; without it the engine decides without them. */
  models?: Pick<ModelStore, 'loadModels'>;
  /** The optional LLM diagnosis (LLM_DIAGNOSIS_ENABLED): advice on the decision, asked once. */
  llm?: LlmDiagnosisDeps;
  telemetry?: Telemetry;
}

const MINUTE = 60_000;
/** Anomalies this recent count as open for the diagnosis. */
const OPEN_ANOMALY_MINUTES = 15;
/** Samples this recent are the diagnosis's trends (src/decision/diagnosis.ts LEAK_TREND). */
const HISTORY_MINUTES = 30;
/** Memory at this level is out of room: the limit a leak is forecast to reach. */
export const MEMORY_LIMIT_PERCENT = 95;
const MAX_ATTEMPTS = 5;

export async function decideOnAnomaly(
  deps: DecideDeps,
  anomaly: Anomaly,
  switches: GlobalSwitches,
): Promise<{ decision: Decision; created: boolean }> {
  const service = await deps.registry.get(anomaly.serviceId);
  if (!service)
    throw new NotFoundError(`service '${anomaly.serviceId}' (from anomaly ${anomaly.id})`);
  const id = decisionIdFor(anomaly.id);
  const existing = await deps.decisions.getDecision(service.id, id);
  if (existing) return { decision: existing, created: false };

  const at = Date.parse(anomaly.at);
  const [sample, open, learned, models, history] = await Promise.all([
    deps.observations.latestSample(service.id),
    deps.observations.anomaliesSince(service.id, new Date(at - OPEN_ANOMALY_MINUTES * MINUTE)),
    deps.learning.loadStats(service.id),
    deps.models ? deps.models.loadModels(service.id) : Promise.resolve([]),
    deps.samples
      ? deps.samples.samplesBetween(
          service.id,
          new Date(at - HISTORY_MINUTES * MINUTE),
          new Date(at),
        )
      : Promise.resolve([]),
  ]);
  const forecast = forecastsFrom(service, models, deps.clock.now());
  let advice: Awaited<ReturnType<typeof diagnoseWithLlm>> | undefined;

  for (let attempt = 1; ; attempt++) {
    const state = await deps.ledger.loadAutopilotState(service.id);
    const recent = await deps.decisions.decisionsSince(service.id, new Date(at - 60 * MINUTE));
    const { decision: ruled, scalingState } = decideFromAnomaly({
      service,
      anomaly,
      sample,
      openAnomalies: open.filter((a) => a.at <= anomaly.at),
      recentSamples: history,
      forecasts: forecast.breaches,
      forecastRequestRate: forecast.requests,
      learned: learned.map((r) => r.stats),
      scalingState: state.scaling,
      recentDecisions: recent,
      switches,
    });
    if (deps.llm) {
      advice ??= await diagnoseWithLlm(deps.llm, {
        anomaly,
        openAnomalies: open.filter((a) => a.at <= anomaly.at),
        decision: ruled,
        recentDecisions: recent,
      });
    }
    const decision = advice ? withLlmDiagnosis(ruled, advice) : ruled;
    const commit = await deps.ledger.commitDecision(
      decision,
      scalingState,
      state.version,
      deps.clock.now(),
    );
    if (commit === 'created') deps.telemetry?.count('Decisions', 1, { outcome: decision.status });
    if (commit === 'created') return { decision, created: true };
    if (commit === 'exists') {
      const stored = await deps.decisions.getDecision(service.id, id);
      return { decision: stored ?? decision, created: false };
    }
    if (attempt >= MAX_ATTEMPTS) {
      throw new ConflictError(`decision for ${anomaly.id}: autopilot state kept changing`);
    }
  }
}

interface Forecasts {
  breaches: DiagnosisForecast[];
  requests: { expected: number[]; upper: number[] } | null;
}

/**
 * Memory's time to its limit, and (given `now`) the load forecast of requests that autoscale sizes on
 * (requestForecastFor: the seasonal forecast kept beside the detector, from now to the lead), so an
 * anomaly decision and target scaling pre-scale on one forecast. Callers after breaches only omit now.
 */
export function forecastsFrom(
  service: Service,
  models: ReadonlyArray<{ metric: string; state: unknown }>,
  now: Date | null = null,
): Forecasts {
  const detectorOf = (metric: string): SeriesState | null => {
    const record = models.find((m) => m.metric === metric);
    return (record?.state as SeriesModel<SeriesState> | undefined)?.detector ?? null;
  };
  const breaches: DiagnosisForecast[] = [];
  let requests: Forecasts['requests'] = null;
  try {
    const memory = detectorOf('memory');
    const minutes = memory ? timeToBreach(memory, MEMORY_LIMIT_PERCENT, 'above') : null;
    if (minutes !== null) breaches.push({ metric: 'memory', minutesToBreach: minutes });
    if (now) requests = requestForecastFor(service, models, now);
  } catch {
    // A model from another detector version: decide without forecasts rather than not at all.
  }
  return { breaches, requests };
}
