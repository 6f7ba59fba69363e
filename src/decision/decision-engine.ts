// From one anomaly to one decision (SPEC X1–X3, X5, X6): diagnosis → policies → allowed actions →
// learned choice → scaling math → mode, switches, cooldowns and the hourly cap. Pure: everything it
// needs is passed in, so the same inputs always give the same decision.
import type { Anomaly } from '../model/anomaly';
import type { Decision, DecisionTrigger } from '../model/decision';
import { decisionIdFor, TARGET_SCALING_REQUESTER } from '../model/decision';
import type { Sample } from '../model/sample';
import type { Service } from '../model/service';
import type { ActionStats } from './action-learning';
import { pickAction } from './action-pick';
import {
  actionCap,
  gateDecision,
  isRecovery,
  isScaling,
  type GlobalSwitches,
} from './autopilot-guard';
import {
  defaultDiagnosisThresholds,
  diagnose,
  primaryDiagnosis,
  type DiagnosisForecast,
} from './diagnosis';
import { matchPolicies } from './policy-match';
import { scalingConfigFor } from './scaling-config';
import { scalingInputFrom } from './metric-proposals';
import { planScaling, type ScalingPlan } from './scaling-plan';
import type { ScalingState } from './scaling-state';
import { seededRandom, seedFrom } from './seeded-random';

export interface EngineInput {
  service: Service;
  anomaly: Anomaly;
  /** The service's latest sample (null when none was written yet). */
  sample: Sample | null;
  /** Anomalies of this service in the recent past (the triggering one may or may not be among them). */
  openAnomalies: readonly Anomaly[];
  /** Detector forecasts: minutes until a metric reaches its limit. */
  forecasts: readonly DiagnosisForecast[];
  /** Expected request rate (and its band's upper edge) for the next minutes, for pre-scaling. */
  forecastRequestRate?: { expected: number[]; upper: number[] } | null;
  learned: readonly ActionStats[];
  scalingState: ScalingState;
  /** This service's decisions of the last hour at least: cooldowns and the hourly cap. */
  recentDecisions: readonly Decision[];
  switches: GlobalSwitches;
}

export interface EngineResult {
  decision: Decision;
  /** Persist with the decision (the scaling plan's memory: cooldowns, recommendations). */
  scalingState: ScalingState;
}

const HOUR = 3_600_000;
const MINUTE = 60_000;
/** Statuses of decisions that did, or are about to, touch the service. */
const ACTING = new Set(['approved', 'executing', 'executed']);

export function decideFromAnomaly(input: EngineInput): EngineResult {
  const { service, anomaly } = input;
  const at = anomaly.at;
  const now = new Date(at);
  const ecs = input.sample?.ecs ?? null;
  const metrics: Record<string, number | null> = {
    ...(input.sample?.metrics ?? {}),
    [anomaly.metric]: anomaly.value,
  };
  const desiredCount = anomaly.desiredCount ?? ecs?.desiredCount ?? null;
  const open = input.openAnomalies.some((a) => a.id === anomaly.id)
    ? input.openAnomalies
    : [...input.openAnomalies, anomaly];

  const diagnoses = diagnose(
    {
      sample: { serviceId: service.id, at, metrics, ecs },
      openAnomalies: open,
      forecasts: input.forecasts,
      now,
    },
    { ...defaultDiagnosisThresholds, deployWindowMinutes: service.deployWindowMinutes },
  );
  const diagnosis = primaryDiagnosis(diagnoses);
  const soonest = input.forecasts.length
    ? Math.min(...input.forecasts.map((f) => f.minutesToBreach))
    : null;
  const match = matchPolicies(service.policies, {
    metrics,
    anomalyScore: anomaly.score,
    diagnosis,
    minutesToBreach: soonest,
    requestsPerTaskCapacity: service.scaling.requestsPerTaskCapacity ?? null,
    runningCount: ecs?.runningCount ?? desiredCount,
    targets: service.targets,
  });

  const base: Decision = {
    id: decisionIdFor(anomaly.id),
    serviceId: service.id,
    anomalyId: anomaly.id,
    at,
    action: 'notify',
    fromCount: desiredCount,
    toCount: desiredCount,
    reason: anomaly.explanation,
    mode: service.mode,
    status: 'skipped',
    requestedBy: 'vigia:decide',
    result: null,
    diagnosis,
    confidence: diagnoses[0]?.confidence ?? 0,
    evidence: diagnoses[0]?.evidence ?? [],
    diagnoses: diagnoses.map((d) => ({ ...d, evidence: [...d.evidence] })),
    policies: match.matched.map((m) => m.name),
    allowedActions: match.actions,
    taskDefinition: ecs?.taskDefinition ?? null,
  };
  const unchanged = { scalingState: input.scalingState };

  const pick = pickAction(
    diagnosis,
    match.actions,
    input.learned,
    input.switches,
    seededRandom(seedFrom(base.id)),
  );
  if (!pick) {
    return { ...unchanged, decision: { ...base, result: 'no policy matched: recorded only' } };
  }
  let decision: Decision = {
    ...base,
    action: pick.action,
    choice: { how: pick.how, samples: pick.samples },
    trigger: triggersFor(service, anomaly, metrics, pick.action),
  };
  const why = `${diagnosis === 'unknown' ? 'no known signature' : diagnosis}; policy ${match.matched[0]!.name}`;

  let plan: ScalingPlan | null = null;
  if (isScaling(pick.action)) {
    if (desiredCount === null) {
      return {
        ...unchanged,
        decision: { ...decision, result: 'ECS desired count unknown: cannot size a scaling step' },
      };
    }
    // Utilisation is averaged over the tasks that produced it: if ECS reports none running while
    // metrics arrived, its snapshot lags the metrics, and the desired count is the better base.
    const running = ecs && ecs.runningCount > 0 ? ecs.runningCount : desiredCount;
    plan = planScaling(
      scalingInputFrom(
        { desiredCount, runningCount: running, pendingCount: ecs?.pendingCount ?? 0 },
        metrics,
        running,
        input.forecastRequestRate,
      ),
      input.scalingState,
      scalingConfigFor(service, service.scaling),
      now,
    );
    const remembered = {
      ...plan.state,
      lastScaleOutAt: input.scalingState.lastScaleOutAt,
      lastScaleInAt: input.scalingState.lastScaleInAt,
    };
    if (plan.action !== pick.action) {
      const result =
        plan.action === 'hold'
          ? `hold: ${plan.reason}`
          : `policies allow ${pick.action}, the scaling math says ${plan.action}: ${plan.reason}`;
      return {
        scalingState: remembered,
        decision: { ...decision, reason: `${why}: ${plan.reason}`, result },
      };
    }
    decision = { ...decision, toCount: plan.desired, reason: `${why}: ${plan.reason}` };
    const gated = gateAndCap(decision, input, now);
    return {
      decision: gated,
      scalingState:
        ACTING.has(gated.status) || gated.status === 'proposed' ? plan.state : remembered,
    };
  }

  if (isRecovery(pick.action)) {
    const cooldownMs = Math.max(10, 2 * service.verifyAfterMinutes) * MINUTE;
    const last = input.recentDecisions.find(
      (d) =>
        d.id !== decision.id &&
        isRecovery(d.action) &&
        (ACTING.has(d.status) || d.status === 'proposed') &&
        Date.parse(d.at) <= now.getTime() &&
        now.getTime() - Date.parse(d.at) < cooldownMs,
    );
    decision = {
      ...decision,
      reason: `${why}: ${pick.action}${ecs ? ` (running ${ecs.taskDefinition})` : ''}`,
    };
    if (last) {
      return {
        ...unchanged,
        decision: { ...decision, result: `cooldown: ${last.action} at ${last.at}` },
      };
    }
    return { ...unchanged, decision: gateAndCap(decision, input, now) };
  }

  return {
    ...unchanged,
    decision: gateAndCap({ ...decision, reason: `${why}: ${anomaly.explanation}` }, input, now),
  };
}

/** Mode and switches first, then the hourly cap on anything that touches the service. */
function gateAndCap(decision: Decision, input: EngineInput, now: Date): Decision {
  const gate = gateDecision(decision.action, input.service.mode, input.switches);
  if (gate.status === 'skipped') return { ...decision, status: 'skipped', result: gate.reason };
  if (decision.action !== 'notify') {
    const taken = input.recentDecisions
      .filter(
        (d) =>
          d.id !== decision.id &&
          d.action !== 'notify' &&
          d.requestedBy.startsWith('vigia:') &&
          d.requestedBy !== TARGET_SCALING_REQUESTER &&
          ACTING.has(d.status) &&
          now.getTime() - Date.parse(d.at) < HOUR,
      )
      .map((d) => new Date(d.at));
    const cap = actionCap(taken, now, input.service.maxActionsPerHour);
    if (!cap.allowed) {
      return {
        ...decision,
        status: 'skipped',
        result: `action cap: ${input.service.maxActionsPerHour} actions in the last hour`,
      };
    }
  }
  return { ...decision, status: gate.status, result: gate.reason || null };
}

/**
 * The metrics verification compares later: the anomalous one against its healthy limit, plus, for
 * scaling, the utilisation metrics the scaler sizes on.
 */
export function triggersFor(
  service: Service,
  anomaly: Anomaly,
  metrics: Readonly<Record<string, number | null | undefined>>,
  action: Decision['action'],
): DecisionTrigger[] {
  const tolerance = service.scaling.tolerance;
  const utilisation: Record<string, number> = {
    cpu: service.targets.cpu * (1 + tolerance),
    memory: service.targets.memory * (1 + tolerance),
  };
  const out: DecisionTrigger[] = [];
  const bad = anomaly.direction === 'down' ? 'below' : 'above';
  const limit =
    utilisation[anomaly.metric] ??
    (bad === 'above' ? anomaly.upper : anomaly.lower) ??
    anomaly.expected ??
    anomaly.value;
  if (action === 'scale-in') {
    // Idle capacity was the problem; the risk is removing too much. Judged against the targets.
    for (const [metric, cap] of Object.entries(utilisation)) {
      const value = metrics[metric];
      if (value != null) out.push({ metric, value, limit: cap, bad: 'above' });
    }
    return out;
  }
  out.push({ metric: anomaly.metric, value: anomaly.value, limit, bad });
  if (action === 'scale-out') {
    for (const [metric, cap] of Object.entries(utilisation)) {
      const value = metrics[metric];
      if (metric !== anomaly.metric && value != null && value > cap) {
        out.push({ metric, value, limit: cap, bad: 'above' });
      }
    }
  }
  return out;
}
