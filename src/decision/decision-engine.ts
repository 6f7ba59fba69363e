// From one anomaly to one decision (SPEC X1–X3, X5, X6): diagnosis → policies → allowed actions →
// learned choice → scaling math → mode, switches, cooldowns and the hourly cap. Pure: everything it
// needs is passed in, so the same inputs always give the same decision.
import type { Anomaly } from '../model/anomaly';
import type { Decision } from '../model/decision';
import { decisionIdFor, isSuspectedDiagnosis, TARGET_SCALING_REQUESTER } from '../model/decision';
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
  actionableDiagnosis,
  primaryDiagnosis,
  type Diagnosis,
  type DiagnosisForecast,
  type DiagnosisName,
} from './diagnosis';
import { matchPolicies, type PolicyMatch } from './policy-match';
import { scalingConfigFor } from './scaling-config';
import { scalingInputFrom } from './metric-proposals';
import { planScaling } from './scaling-plan';
import type { ScalingState } from './scaling-state';
import { seededRandom, seedFrom } from './seeded-random';
import { triggersFor } from './decision-triggers';
import { CONFIRM_WINDOW_MS, outageReason, unconfirmedScaleOut } from './target-scaling';
import { latestRelease, type Release } from './release';

export { triggersFor } from './decision-triggers';

export interface EngineInput {
  service: Service;
  anomaly: Anomaly;
  /** The service's latest sample (null when none was written yet). */
  sample: Sample | null;
  /** Anomalies of this service in the recent past (the triggering one may or may not be among them). */
  openAnomalies: readonly Anomaly[];
  /** The service's samples of the last half hour (any order; may be empty), for trends. */
  recentSamples?: readonly Sample[];
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
  const seen = observe(input);
  const diagnoses = diagnoseAnomaly(input, seen);
  // A suspicion is named in the record and told, but policies and learned choice act on 'unknown'.
  const diagnosis = actionableDiagnosis(diagnoses);
  const match = matchServicePolicies(input, seen, diagnosis);
  const record = recordOf(input, seen, diagnoses, match);
  const pick = pickAction(
    diagnosis,
    match.actions,
    input.learned,
    input.switches,
    seededRandom(seedFrom(record.id)),
  );
  if (!pick) {
    return {
      scalingState: input.scalingState,
      decision: { ...record, result: 'no policy matched: recorded only' },
    };
  }
  const chosen: Chosen = {
    decision: {
      ...record,
      action: pick.action,
      choice: { how: pick.how, samples: pick.samples },
      trigger: triggersFor(input.service, input.anomaly, seen.metrics, pick.action),
    },
    why: `${describeDiagnosis(diagnoses, diagnosis)}; policy ${match.matched[0]!.name}`,
  };
  if (isScaling(pick.action)) return decideScaling(input, seen, chosen);
  if (isRecovery(pick.action)) return decideRecovery(input, seen, chosen);
  const told = alreadyTold(input, chosen.decision, seen.now);
  if (told) {
    return {
      scalingState: input.scalingState,
      decision: {
        ...chosen.decision,
        reason: `${chosen.why}: ${input.anomaly.explanation}`,
        result: `already told: ${told.diagnosis ?? 'unknown'} at ${told.at}`,
      },
    };
  }
  return {
    scalingState: input.scalingState,
    decision: gateAndCap(
      { ...chosen.decision, reason: `${chosen.why}: ${input.anomaly.explanation}` },
      input,
      seen.now,
    ),
  };
}

function describeDiagnosis(diagnoses: readonly Diagnosis[], acted: string): string {
  if (acted !== 'unknown') return acted;
  const named = primaryDiagnosis(diagnoses);
  return named === 'unknown' ? 'no known signature' : `suspected ${named}, not yet acted on`;
}

/** What the engine knows of the service at the anomaly's moment. */
interface Observed {
  at: string;
  now: Date;
  ecs: Sample['ecs'];
  /** The latest sample's metrics with the anomalous value in place. */
  metrics: Record<string, number | null>;
  desiredCount: number | null;
  /** The latest release still running, vigia's own restarts and rollbacks aside. */
  release: Release | null;
}

/** The decision with its action picked, and the sentence its reason starts with. */
interface Chosen {
  decision: Decision;
  why: string;
}

function observe({ anomaly, sample, recentDecisions }: EngineInput): Observed {
  const ecs = sample?.ecs ?? null;
  return {
    release: latestRelease(ecs, recentDecisions),
    at: anomaly.at,
    now: new Date(anomaly.at),
    ecs,
    metrics: { ...(sample?.metrics ?? {}), [anomaly.metric]: anomaly.value },
    desiredCount: anomaly.desiredCount ?? ecs?.desiredCount ?? null,
  };
}

function diagnoseAnomaly(input: EngineInput, seen: Observed): Diagnosis[] {
  const { service, anomaly } = input;
  const open = input.openAnomalies.some((a) => a.id === anomaly.id)
    ? input.openAnomalies
    : [...input.openAnomalies, anomaly];
  return diagnose(
    {
      sample: { serviceId: service.id, at: seen.at, metrics: seen.metrics, ecs: seen.ecs },
      openAnomalies: open,
      forecasts: input.forecasts,
      now: seen.now,
      release: seen.release,
      history: input.recentSamples ?? [],
    },
    { ...defaultDiagnosisThresholds, deployWindowMinutes: service.deployWindowMinutes },
  );
}

function matchServicePolicies(
  input: EngineInput,
  seen: Observed,
  diagnosis: DiagnosisName | 'unknown',
): PolicyMatch {
  const { service, anomaly } = input;
  const soonest = input.forecasts.length
    ? Math.min(...input.forecasts.map((f) => f.minutesToBreach))
    : null;
  return matchPolicies(service.policies, {
    metrics: seen.metrics,
    anomalyScore: anomaly.score,
    diagnosis,
    minutesToBreach: soonest,
    requestsPerTaskCapacity: service.scaling.requestsPerTaskCapacity ?? null,
    runningCount: seen.ecs?.runningCount ?? seen.desiredCount,
    targets: service.targets,
    heldPolicy: anomaly.source === 'threshold' ? (anomaly.policy ?? null) : null,
    // Since the latest release: vigia's own restarts and rollbacks do not restart the clock.
    minutesSinceDeploy: seen.release
      ? (seen.now.getTime() - Date.parse(seen.release.at)) / MINUTE
      : null,
  });
}

/** The decision as recorded before any action is chosen: skipped, with everything that led to it. */
function recordOf(
  { service, anomaly }: EngineInput,
  seen: Observed,
  diagnoses: Diagnosis[],
  match: PolicyMatch,
): Decision {
  return {
    id: decisionIdFor(anomaly.id),
    serviceId: service.id,
    anomalyId: anomaly.id,
    at: seen.at,
    action: 'notify',
    fromCount: seen.desiredCount,
    toCount: seen.desiredCount,
    reason: anomaly.explanation,
    mode: service.mode,
    status: 'skipped',
    requestedBy: 'vigia:decide',
    target: { ...service.ecs },
    result: null,
    diagnosis: primaryDiagnosis(diagnoses),
    confidence: diagnoses[0]?.confidence ?? 0,
    evidence: diagnoses[0]?.evidence ?? [],
    diagnoses: diagnoses.map((d) => ({ ...d, evidence: [...d.evidence] })),
    policies: match.matched.map((m) => m.name),
    allowedActions: match.actions,
    taskDefinition: seen.ecs?.taskDefinition ?? null,
  };
}

/** Policies chose to scale: the scaling math sizes the step, and may disagree or hold. */
function decideScaling(
  input: EngineInput,
  seen: Observed,
  { decision, why }: Chosen,
): EngineResult {
  const { service } = input;
  const { ecs, desiredCount } = seen;
  if (desiredCount === null) {
    return {
      scalingState: input.scalingState,
      decision: { ...decision, result: 'ECS desired count unknown: cannot size a scaling step' },
    };
  }
  // None running while some are desired is an outage: no utilisation to size on (target scaling
  // holds the same way); the diagnosis names the crash loop.
  if (ecs && ecs.runningCount === 0 && ecs.desiredCount > 0) {
    const reason = outageReason(ecs);
    return {
      scalingState: input.scalingState,
      decision: { ...decision, reason: `${why}: ${reason}`, result: `hold: ${reason}` },
    };
  }
  const running = ecs ? ecs.runningCount : desiredCount;
  const config = scalingConfigFor(service, service.scaling);
  const plan = planScaling(
    scalingInputFrom(
      { desiredCount, runningCount: running, pendingCount: ecs?.pendingCount ?? 0 },
      seen.metrics,
      running,
      input.forecastRequestRate,
    ),
    input.scalingState,
    config,
    seen.now,
  );
  // Until an action is taken, the plan's memory is kept but not its cooldown clocks.
  const remembered = {
    ...plan.state,
    lastScaleOutAt: input.scalingState.lastScaleOutAt,
    lastScaleInAt: input.scalingState.lastScaleInAt,
  };
  // Where target scaling is sizing every sample (auto mode, and it read one within the last
  // minutes), an anomaly on one sample is no surer of a load than target scaling is: the scale-out
  // waits for the readings target scaling waits for (target-scaling.ts unconfirmedScaleOut). The
  // plan sizes on the latest sample, so "within the last minutes" is of that sample: an anomaly of
  // an older datapoint (a forecast judged on a backfilled sample) is not a reason to skip it.
  const lastReading = input.scalingState.lastReadingAt;
  const sizedAt = Math.max(seen.now.getTime(), input.sample ? Date.parse(input.sample.at) : 0);
  const targetScaling =
    service.mode === 'auto' &&
    input.switches.autoScalingEnabled &&
    lastReading !== null &&
    Math.abs(sizedAt - lastReading) <= CONFIRM_WINDOW_MS;
  const waits =
    plan.action === 'scale-out' && targetScaling && desiredCount >= service.minTasks
      ? unconfirmedScaleOut(
          plan,
          input.scalingState,
          seen.now.getTime(),
          desiredCount,
          config,
          0,
          input.forecastRequestRate ?? null,
        )
      : null;
  if (waits) {
    return {
      scalingState: remembered,
      decision: { ...decision, reason: `${why}: ${plan.reason}`, result: `hold: ${waits}` },
    };
  }
  if (plan.action !== decision.action) {
    const result =
      plan.action === 'hold'
        ? `hold: ${plan.reason}`
        : `policies allow ${decision.action}, the scaling math says ${plan.action}: ${plan.reason}`;
    return {
      scalingState: remembered,
      decision: { ...decision, reason: `${why}: ${plan.reason}`, result },
    };
  }
  const gated = gateAndCap(
    { ...decision, toCount: plan.desired, reason: `${why}: ${plan.reason}` },
    input,
    seen.now,
  );
  return {
    decision: gated,
    scalingState: ACTING.has(gated.status) || gated.status === 'proposed' ? plan.state : remembered,
  };
}

/** Policies chose a recovery (restart, rollback): at most one per cooldown, then mode and cap. */
function decideRecovery(input: EngineInput, seen: Observed, chosen: Chosen): EngineResult {
  const { ecs, now } = seen;
  const decision: Decision = {
    ...chosen.decision,
    reason: `${chosen.why}: ${chosen.decision.action}${ecs ? ` (running ${ecs.taskDefinition})` : ''}`,
  };
  const last = lastRecovery(input, decision.id, now);
  if (last) {
    return {
      scalingState: input.scalingState,
      decision: { ...decision, result: `cooldown: ${last.action} at ${last.at}` },
    };
  }
  return { scalingState: input.scalingState, decision: gateAndCap(decision, input, now) };
}

/** Within this long, a notify-only decision with the same diagnosis tells nobody anything new. */
const TOLD_WINDOW_MS = HOUR;

/**
 * People are told once (issue #14): while a fault lasts every minute brings an anomaly (the
 * watch's thresholds, the outage), and each notify-only decision was a note of its own and an
 * update message. A notify with the diagnosis already told within the hour is recorded, skipped; a
 * new diagnosis is news.
 */
function alreadyTold(input: EngineInput, decision: Decision, now: Date): Decision | undefined {
  return input.recentDecisions.find(
    (d) =>
      d.id !== decision.id &&
      d.action === 'notify' &&
      d.requestedBy === decision.requestedBy &&
      actedOn(d) === actedOn(decision) &&
      ACTING.has(d.status) &&
      Date.parse(d.at) <= now.getTime() &&
      now.getTime() - Date.parse(d.at) < TOLD_WINDOW_MS,
  );
}

/** The diagnosis a decision acted on: a suspicion was acted on as 'unknown' (and told as such). */
function actedOn(d: Decision): string | undefined {
  return isSuspectedDiagnosis(d) ? 'unknown' : d.diagnosis;
}

/** A recovery of this service taken, or proposed, within the recovery cooldown. */
function lastRecovery(input: EngineInput, decisionId: string, now: Date): Decision | undefined {
  const cooldownMs = Math.max(10, 2 * input.service.verifyAfterMinutes) * MINUTE;
  return input.recentDecisions.find(
    (d) =>
      d.id !== decisionId &&
      isRecovery(d.action) &&
      (ACTING.has(d.status) || d.status === 'proposed') &&
      Date.parse(d.at) <= now.getTime() &&
      now.getTime() - Date.parse(d.at) < cooldownMs,
  );
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
