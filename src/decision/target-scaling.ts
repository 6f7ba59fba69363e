// Target scaling (SPEC X3): on every reading of a service — the collector's minute sample, or a
// reading the service pushed through POST /metrics — size it with planScaling, as AWS target
// tracking or the HPA would, without waiting for an anomaly. Pure: the same reading, state and
// decisions always give the same result, so the benchmark runs exactly this.
import { TARGET_SCALING_REQUESTER, type Decision, type DecisionTrigger } from '../model/decision';
import type { ScalingReading } from '../model/scaling-reading';
import type { Service } from '../model/service';
import { expectedSuccess, type ActionStats } from './action-learning';
import { actionCap, type GlobalSwitches } from './autopilot-guard';
import { scalingInputFrom, type MetricProposal } from './metric-proposals';
import { scalingConfigFor, type ScalingConfig } from './scaling-config';
import { maxScaleOutStep, planScaling, type ScalingPlan } from './scaling-plan';
import {
  EVIDENCE_Z,
  loadUpperBound,
  loadsOf,
  relativeNoise,
  rememberNoise,
  scaleOutEvidence,
  windowMean,
  type MeasuredSignal,
} from './scaling-evidence';
import {
  rememberReading,
  rememberTasksSeen,
  tasksDuring,
  type ScalingState,
} from './scaling-state';

export { TARGET_SCALING_REQUESTER } from '../model/decision';

export type { ScalingReading } from '../model/scaling-reading';

export interface TargetScalingInput {
  service: Service;
  reading: ScalingReading;
  /** ECS as described now; null when unknown. */
  ecs: { desiredCount: number; runningCount: number; pendingCount: number } | null;
  forecastRequestRate: { expected: number[]; upper: number[] } | null;
  scalingState: ScalingState;
  /** This service's decisions of the last hour at least: the hourly cap. */
  recentDecisions: readonly Decision[];
  switches: GlobalSwitches;
  now: Date;
  /**
   * What verification learned of this service's target-scaling steps (diagnosis `target`, see
   * action-learning.ts); absent: nothing learned yet. Only asked for when a step is planned.
   */
  learned?: readonly ActionStats[];
}

/** The diagnosis target-scaling decisions carry, and their learned outcomes are kept under. */
export const TARGET_DIAGNOSIS = 'target';

/**
 * Whether this service's verified target-scaling steps of this kind have more often failed than
 * held: their posterior (action-learning.ts, Beta(1, 1) before any) expects success below one half.
 * A scale-in judged worse counts twice; a scale-out that left utilisation over target once.
 */
export function learnedToDoubt(
  learned: readonly ActionStats[] | undefined,
  action: 'scale-out' | 'scale-in',
): ActionStats | null {
  const row = learned?.find((s) => s.diagnosis === TARGET_DIAGNOSIS && s.action === action);
  return row && expectedSuccess(row) < 0.5 ? row : null;
}

function learnedNote(row: ActionStats): string {
  const failed = row.notResolved + row.worse;
  return `${failed} of ${failed + row.resolved} verified ${row.action}s of this service did not hold`;
}

export type TargetScalingResult =
  /** Nothing to write: the reading is not used. */
  | { kind: 'ignored'; reason: string }
  /** Save the state (the recommendation joins the scale-in history); ECS is left alone. */
  | { kind: 'hold'; reason: string; scalingState: ScalingState; plan: ScalingPlan }
  /** Write the decision and the state together; scale executes the decision. */
  | { kind: 'act'; decision: Decision; scalingState: ScalingState; plan: ScalingPlan };

/** A reading this much older than now describes a service that has moved on. */
export const MAX_READING_AGE_MS = 3 * 60_000;
/** Clocks disagree a little; a reading further ahead than this is not trusted. */
export const MAX_READING_LEAD_MS = 60_000;
const HOUR = 3_600_000;
/** A collector sample covers one minute; a pushed reading without its task count, a short window. */
const SAMPLE_WINDOW_MS = 60_000;
const PUSHED_WINDOW_MS = 15_000;
/**
 * A scale-out on utilisation alone waits for a second reading over target within this long: one
 * noisy minute is not a load (CloudWatch samples come a minute apart; pushed readings seconds).
 */
export const CONFIRM_WINDOW_MS = 150_000;
/** Signals of the load itself, measured or forecast: at once when past the tasks' capacity. */
// Load measured or expected (the forecast's middle, not its band's upper edge, which is doubt, not
// load): each proposal's ratio is over the requests target.
const LOAD_SIGNALS = new Set(['requests', 'forecast']);
const ACTING = new Set(['approved', 'executing', 'executed']);
/**
 * The forecast band's upper edge acts on a sample at once when it is past the tasks' ceiling by at
 * least this share of the band's own width (the series' error at that horizon, measured); closer
 * to the ceiling than that, it is within the forecast's noise and waits for readings as a measured
 * need does. About half a standard error: the band is 1.65 × 1.25 mean absolute errors wide.
 */
export const BAND_SURE_SHARE = 0.25;

export function readingIdOf(reading: Pick<ScalingReading, 'serviceId' | 'at'>): string {
  return `${reading.serviceId}~${reading.at}~target`;
}

/** One decision per reading: a redelivered reading decides once. */
export function targetDecisionIdFor(reading: Pick<ScalingReading, 'serviceId' | 'at'>): string {
  return `${readingIdOf(reading)}~decision`;
}

/**
 * Why this reading is not for target scaling, from what is known before reading any state, or
 * null. Approve and dry-run modes ask a person, or only record: a decision every reading would
 * bury them; those modes still scale through anomaly decisions. A collector catching up on history
 * writes old samples: the service has moved on since. A pushed reading from ahead of the clock would
 * hold back every later one.
 */
export function targetScalingSkip(
  service: Pick<Service, 'mode'>,
  reading: Pick<ScalingReading, 'at' | 'source'>,
  switches: GlobalSwitches,
  now: Date,
): string | null {
  if (service.mode !== 'auto') return `target scaling runs in auto mode (mode is ${service.mode})`;
  if (!switches.autoScalingEnabled) return 'AUTO_SCALING_ENABLED is false';
  if (now.getTime() - Date.parse(reading.at) > MAX_READING_AGE_MS) {
    return `reading of ${reading.at} is too old to act on`;
  }
  // A service whose clock runs ahead would otherwise make every honest reading look old. Samples
  // carry the collector's own tick time (a replay or the demo may run it ahead on purpose).
  if (reading.source === 'pushed' && Date.parse(reading.at) - now.getTime() > MAX_READING_LEAD_MS) {
    return `reading of ${reading.at} is ahead of the clock`;
  }
  return null;
}

/** "outage: 0 of 3 desired tasks running": why nothing is sized while no task runs. */
export function outageReason(ecs: { desiredCount: number }): string {
  return `outage: 0 of ${ecs.desiredCount} desired tasks running`;
}

export function planTargetScaling(input: TargetScalingInput): TargetScalingResult {
  const { service, reading, ecs, scalingState } = input;
  const at = Date.parse(reading.at);
  const skip = targetScalingSkip(service, reading, input.switches, input.now);
  if (skip) return { kind: 'ignored', reason: skip };
  if (scalingState.lastReadingAt !== null && at <= scalingState.lastReadingAt) {
    return { kind: 'ignored', reason: 'not newer than the last reading used' };
  }
  if (!ecs) return { kind: 'ignored', reason: 'ECS state unknown' };

  // None running while some are desired is an outage (a crash loop, an image that will not pull):
  // there is no utilisation to size on, and more desired tasks would fail the same way. The watch
  // raises it as an anomaly; sizing holds.
  const nowMs = input.now.getTime();
  const tasksSeen = rememberTasksSeen(scalingState.tasksSeen, ecs.runningCount, nowMs);
  if (ecs.runningCount === 0 && ecs.desiredCount > 0) {
    const reason = outageReason(ecs);
    const plan: ScalingPlan = {
      desired: ecs.desiredCount,
      action: 'hold',
      reason,
      recommended: ecs.desiredCount,
      proposals: [],
      state: scalingState,
    };
    return {
      kind: 'hold',
      reason,
      scalingState: { ...scalingState, lastReadingAt: at, tasksSeen },
      plan,
    };
  }
  const running = ecs.runningCount;
  const producers = producersOf(reading, tasksSeen, running);
  const config = scalingConfigFor(service, service.scaling);
  const planWith = (forecast: TargetScalingInput['forecastRequestRate']) =>
    planScaling(
      scalingInputFrom(
        { desiredCount: ecs.desiredCount, runningCount: running, pendingCount: ecs.pendingCount },
        reading,
        producers,
        forecast,
      ),
      scalingState,
      config,
      new Date(at),
    );
  // forecast-only: the measured load decides; the forecast's plan is only recorded.
  const forecastOnly = config.preScaling.mode === 'forecast-only';
  let plan = planWith(forecastOnly ? null : input.forecastRequestRate);
  const wanted = plan.state.recommendations.at(-1)?.desired ?? ecs.desiredCount;
  // What each measured signal says the load is, in tasks at target; samples also teach the noise.
  const loads = loadsOf(plan.proposals, producers);
  const sampled = reading.source === 'sample';
  const state = {
    ...plan.state,
    lastReadingAt: at,
    tasksSeen,
    readings: rememberReading(scalingState.readings, at, wanted, loads),
    noise: sampled
      ? rememberNoise(scalingState.noise, loads, at, config.tolerance, CONFIRM_WINDOW_MS)
      : scalingState.noise,
  };
  const doubtOut = learnedToDoubt(input.learned, 'scale-out');
  const waits =
    plan.action === 'scale-out' &&
    reading.source === 'sample' &&
    ecs.desiredCount >= service.minTasks
      ? unconfirmedScaleOut(
          plan,
          scalingState,
          at,
          ecs.desiredCount,
          config,
          doubtOut ? 1 : 0,
          forecastOnly ? null : input.forecastRequestRate,
          producers,
        )
      : null;
  if (waits) {
    return {
      kind: 'hold',
      reason: `${waits} (${plan.reason}${doubtOut ? `; ${learnedNote(doubtOut)}` : ''})`,
      scalingState: { ...state, lastScaleOutAt: scalingState.lastScaleOutAt },
      plan,
    };
  }
  if (plan.action === 'scale-out') plan = withQueueDrain(plan, reading, producers, ecs, config);
  // A scale-in on samples keeps the tasks the load may surely need: the window's mean plus
  // EVIDENCE_Z standard errors of its noise. A service sized at its target whose minutes dip by
  // about the tolerance is not scaled in to a count its next minutes would overrun.
  const windowMs = config.scaleInStabilisationSeconds * 1000;
  const bound =
    plan.action === 'scale-in' && sampled
      ? loadUpperBound(
          loads,
          scalingState.readings,
          at,
          windowMs,
          scalingState.noise,
          config.tolerance,
        )
      : null;
  if (bound !== null) {
    const sure = Math.ceil(bound - 1e-9);
    if (sure >= ecs.desiredCount) {
      return {
        kind: 'hold',
        reason: `scale-in to ${plan.desired} held: the load may need ${bound.toFixed(1)} tasks (the window's mean plus ${EVIDENCE_Z} standard errors)`,
        scalingState: { ...state, lastScaleInAt: scalingState.lastScaleInAt },
        plan,
      };
    }
    if (sure > plan.desired) {
      plan = {
        ...plan,
        desired: sure,
        reason: `${plan.reason}, ${sure} kept: the load may need ${bound.toFixed(1)}`,
      };
    }
  }
  // Scale-ins this service had undone, or that did not hold, teach it to keep a task of headroom.
  const doubtIn = plan.action === 'scale-in' ? learnedToDoubt(input.learned, 'scale-in') : null;
  if (doubtIn && plan.desired + 1 >= ecs.desiredCount) {
    return {
      kind: 'hold',
      reason: `scale-in to ${plan.desired} held: ${learnedNote(doubtIn)}, one task of headroom is kept`,
      scalingState: { ...state, lastScaleInAt: scalingState.lastScaleInAt },
      plan,
    };
  }
  if (doubtIn) {
    plan = {
      ...plan,
      desired: plan.desired + 1,
      reason: `${plan.reason}, one task of headroom kept (${learnedNote(doubtIn)})`,
    };
  }
  if (plan.action === 'hold') {
    const trial = forecastOnly ? forecastOnlyRecord(input, planWith, at) : null;
    if (trial) return { kind: 'act', decision: trial, scalingState: state, plan };
    return { kind: 'hold', reason: plan.reason, scalingState: state, plan };
  }

  const taken = input.recentDecisions
    .filter(
      (d) =>
        d.requestedBy === TARGET_SCALING_REQUESTER &&
        ACTING.has(d.status) &&
        at - Date.parse(d.at) < HOUR,
    )
    .map((d) => new Date(d.at));
  if (!actionCap(taken, new Date(at), config.maxActionsPerHour).allowed) {
    // The plan is not carried out: keep its recommendation, not its cooldown stamp.
    return {
      kind: 'hold',
      reason: `action cap: ${config.maxActionsPerHour} target-scaling actions in the last hour`,
      scalingState: {
        ...state,
        lastScaleOutAt: scalingState.lastScaleOutAt,
        lastScaleInAt: scalingState.lastScaleInAt,
      },
      plan,
    };
  }

  const decision: Decision = {
    id: targetDecisionIdFor(reading),
    serviceId: service.id,
    anomalyId: readingIdOf(reading),
    at: reading.at,
    action: plan.action,
    fromCount: ecs.desiredCount,
    toCount: plan.desired,
    reason: `target scaling (${reading.source} reading): ${plan.reason}`,
    mode: service.mode,
    status: 'approved',
    requestedBy: TARGET_SCALING_REQUESTER,
    target: { ...service.ecs },
    result: null,
    diagnosis: TARGET_DIAGNOSIS,
    policies: [],
    allowedActions: [plan.action],
  };
  const trigger = targetTriggers(
    service,
    reading,
    plan.action === 'scale-in' && sampled
      ? {
          toCount: plan.desired,
          loads,
          readings: scalingState.readings,
          at,
          windowMs,
          noise: scalingState.noise,
        }
      : null,
  );
  if (trigger.length > 0) decision.trigger = trigger;
  // ECS stops the tasks a scale-in removes at once (a scale-out's start later, and are seen then):
  // the minute being measured now already has the smaller count.
  const afterAct =
    plan.action === 'scale-in'
      ? {
          ...state,
          tasksSeen: [
            ...tasksSeen,
            { at: nowMs + 1, running: Math.min(ecs.runningCount, plan.desired) },
          ],
        }
      : state;
  return { kind: 'act', decision, scalingState: afterAct, plan };
}

/**
 * The tasks that produced the reading's values. A pushed reading may say; a collector sample is a
 * CloudWatch datapoint a minute or two old, and ECS's count now includes tasks that started since:
 * sizing a stale per-task value on today's count would add those tasks' share again, each scale-out
 * compounding the last. The counts ECS reported over the reading's window are kept in the state.
 */
export function producersOf(
  reading: Pick<ScalingReading, 'at' | 'source' | 'tasks'>,
  tasksSeen: ScalingState['tasksSeen'],
  runningNow: number,
): number {
  if (reading.tasks != null && reading.tasks > 0) return reading.tasks;
  const end = Date.parse(reading.at);
  const window = reading.source === 'sample' ? SAMPLE_WINDOW_MS : PUSHED_WINDOW_MS;
  const during = tasksDuring(tasksSeen, end - window, end);
  return during !== null && during > 0 ? during : runningNow;
}

/**
 * Why a scale-out on sampled data waits, or null when it may go ahead (SPEC X3, issues 14 and 18).
 * A pushed reading is the service's own window, seconds old, as the HPA's: it acts alone (callers
 * skip this). On CloudWatch samples:
 * - at once when a queue worker's backlog asks, or the requests per task, measured or forecast
 *   (pre-scaling), are past the tasks' capacity (requestsPerTaskCapacity): they arrive faster than
 *   they are served, a queue grows and users wait;
 * - at once when the forecast band's upper edge is past the ceiling by BAND_SURE_SHARE of its width;
 * - otherwise on the evidence's strength (scaling-evidence.ts): the mean of the latest readings in a
 *   row past the tolerance must be past what the tasks carry by EVIDENCE_Z standard errors of the
 *   series' own noise. One minute cannot tell a step from an outlier, whatever its size (a minute
 *   of requests 38 % over, 4 σ of the series' noise, was gone the next), so every signal needs two
 *   readings in a row; CPU or memory three where the service measures requests and they do not
 *   show it (each request grew costlier, which holds, or noise). `more` readings where this
 *   service's scale-outs learned not to hold.
 * Readings are target scaling's own, of earlier samples (scalingState.readings): an anomaly
 * decision's plan on the same sample does not confirm it. The current sample's loads come from the
 * plan's proposals and the tasks that produced them (`producers`).
 */
export function unconfirmedScaleOut(
  plan: Pick<ScalingPlan, 'desired' | 'proposals'>,
  before: Pick<ScalingState, 'readings'> & Partial<Pick<ScalingState, 'noise'>>,
  at: number,
  desiredCount: number,
  config: Pick<
    ScalingConfig,
    'requestsTargetPercent' | 'requestsPerTaskCapacity' | 'preScaling' | 'tolerance'
  >,
  /** Readings more to wait for (this service's scale-outs learned not to hold). */
  more = 0,
  /** The load forecast the plan was made with: its band's width is the series' own error. */
  forecast: LoadForecastBand | null = null,
  /** The tasks that produced the sample's values. */
  producers = desiredCount,
): string | null {
  const asks = (p: { desired: number }) => p.desired > desiredCount;
  // A queue worker's backlog is measured work waiting: it is sized at once.
  if (plan.proposals.some((p) => p.signal === 'queue' && asks(p))) return null;
  // Requests past the tasks' capacity, measured or forecast, arrive faster than they are served:
  // a queue grows and users wait.
  const capacity = 100 / config.requestsTargetPercent;
  const past = (p: MetricProposal) => LOAD_SIGNALS.has(p.signal) && asks(p) && p.ratio >= capacity;
  if (plan.proposals.some(past)) return null;
  // The band's upper edge well past the ceiling: the series is volatile enough that its next
  // minutes may need the tasks, beyond the noise of this one reading.
  const band = plan.proposals.find((p) => p.signal === 'forecast-band' && asks(p));
  if (band && bandMargin(forecast, desiredCount, config) >= BAND_SURE_SHARE) return null;
  const requestsMeasured = plan.proposals.some((p) => p.signal === 'requests');
  const minReadings = (signal: MeasuredSignal) =>
    (signal !== 'requests' && requestsMeasured ? 3 : 2) + more;
  const evidence = scaleOutEvidence(
    loadsOf(plan.proposals, producers),
    before.readings,
    at,
    desiredCount,
    before.noise ?? {},
    config.tolerance,
    CONFIRM_WINDOW_MS,
    minReadings,
  );
  if (evidence && evidence.z >= EVIDENCE_Z) return null;
  if (!evidence) return `scale-out to ${plan.desired} waits: no measured load over target`;
  if (evidence.z === -Infinity) {
    const n = minReadings(evidence.signal);
    return n === 2
      ? `scale-out to ${plan.desired} waits for a second reading over target`
      : `scale-out to ${plan.desired} waits for ${n} readings in a row over target${requestsMeasured ? ', requests below capacity' : ''}`;
  }
  return `scale-out to ${plan.desired} waits: ${evidence.signal} ${pct(evidence.ratio)}% of the tasks' target over ${evidence.readings} reading${evidence.readings === 1 ? '' : 's'} is ${evidence.z.toFixed(1)} standard errors past it, ${EVIDENCE_Z} needed`;
}

function pct(ratio: number): string {
  return (ratio * 100).toFixed(0);
}

/** Expected requests per second for the coming minutes, and the upper edge of the forecast's band. */
export interface LoadForecastBand {
  expected: readonly number[];
  upper: readonly number[];
}

/**
 * How far the forecast band's upper edge over the lead is past the ceiling of `count` tasks, in
 * widths of the band at its first point (the series' own error at the data's age, measured by the
 * forecast): 0 at the ceiling, negative under it, -Infinity without a band.
 */
export function bandMargin(
  forecast: LoadForecastBand | null,
  count: number,
  config: Pick<ScalingConfig, 'requestsPerTaskCapacity' | 'preScaling'>,
): number {
  const capacity = config.requestsPerTaskCapacity;
  if (!forecast || capacity === undefined) return -Infinity;
  const top = Math.max(
    ...forecast.upper.slice(0, config.preScaling.leadMinutes).filter(Number.isFinite),
  );
  const width = (forecast.upper[0] ?? NaN) - (forecast.expected[0] ?? NaN);
  if (!Number.isFinite(top) || !(width > 0)) return -Infinity;
  const ceiling = (capacity * config.preScaling.ceilingPercent * count) / 100;
  return (top - ceiling) / width;
}

/**
 * Requests that arrived past the tasks' capacity over the reading's minute did not go away: they
 * wait in a queue that keeps growing until the new tasks serve. Sized at the requests target alone,
 * the new tasks drain it with the target's headroom only, and users wait minutes more. A scale-out
 * on such a reading adds the tasks that serve that minute's excess within a minute, within the
 * step limits (issue 14: load spikes).
 */
export function withQueueDrain(
  plan: ScalingPlan,
  reading: Pick<ScalingReading, 'requests'>,
  producers: number,
  ecs: { desiredCount: number },
  config: ScalingConfig,
): ScalingPlan {
  const capacity = config.requestsPerTaskCapacity;
  if (capacity === undefined || reading.requests == null || producers <= 0) return plan;
  const excess = reading.requests - producers * capacity;
  if (excess <= 0) return plan;
  const step = Math.max(maxScaleOutStep(ecs.desiredCount, config), 1);
  const ceiling = Math.min(config.maxTasks, ecs.desiredCount + step);
  const desired = Math.min(ceiling, plan.recommended + Math.ceil(excess / capacity - 1e-9));
  if (desired <= plan.desired) return plan;
  return {
    ...plan,
    desired,
    reason: `${plan.reason}, +${desired - plan.desired} to drain the ${Math.round(excess)} req/s queued past capacity`,
  };
}

/**
 * What verification checks after a target-scaling action: the objective it sizes for, i.e. CPU and
 * memory within target × (1 + tolerance), from the reading's values. Without either (a queue worker
 * sized on its backlog) there is nothing to hold it to, and it is not verified. A scale-in on
 * samples is held to what it was expected to give: the window's mean load on the new count, plus
 * EVIDENCE_Z of one reading's noise. One noisy minute over the tolerance after a scale-in that
 * landed where it meant to is not "worse" (it was undone on a raw limit and the service ping-ponged).
 */
export function targetTriggers(
  service: Pick<Service, 'targets' | 'scaling'>,
  reading: Pick<ScalingReading, 'cpu' | 'memory'>,
  scaleIn: {
    toCount: number;
    loads: ReturnType<typeof loadsOf>;
    readings: ScalingState['readings'];
    at: number;
    windowMs: number;
    noise: ScalingState['noise'];
  } | null = null,
): DecisionTrigger[] {
  const out: DecisionTrigger[] = [];
  const tolerance = service.scaling.tolerance;
  for (const metric of ['cpu', 'memory'] as const) {
    const value = reading[metric];
    if (value == null) continue;
    let limit = service.targets[metric] * (1 + tolerance);
    const w = scaleIn
      ? windowMean(scaleIn.loads, scaleIn.readings, scaleIn.at, scaleIn.windowMs, metric)
      : null;
    if (scaleIn && w && scaleIn.toCount > 0) {
      const sigma = relativeNoise(scaleIn.noise, metric, tolerance);
      const expected = (service.targets[metric] * w.mean) / scaleIn.toCount;
      limit = Math.max(limit, expected * (1 + EVIDENCE_Z * sigma));
    }
    out.push({ metric, value, limit: Math.round(limit * 10) / 10, bad: 'above' });
  }
  return out;
}

/** Marks the skipped decisions that record what pre-scaling would have done (forecast-only). */
export const FORECAST_ONLY_PREFIX = 'forecast-only: pre-scaling would';

/**
 * In forecast-only mode, when the measured load holds but the forecast's plan would act: a skipped
 * decision saying so, visible with the service's decisions and on its forecast. Not repeated while
 * the same count is still what it would ask for, so a rising forecast records once per step.
 */
function forecastOnlyRecord(
  input: TargetScalingInput,
  planWith: (forecast: TargetScalingInput['forecastRequestRate']) => ScalingPlan,
  at: number,
): Decision | null {
  const { service, reading, ecs } = input;
  if (!input.forecastRequestRate || !ecs) return null;
  const shadow = planWith(input.forecastRequestRate);
  if (shadow.action === 'hold') return null;
  const last = input.recentDecisions
    .filter(
      (d) =>
        d.requestedBy === TARGET_SCALING_REQUESTER && d.reason.startsWith(FORECAST_ONLY_PREFIX),
    )
    .sort((a, b) => Date.parse(b.at) - Date.parse(a.at))[0];
  if (last && last.toCount === shadow.desired && at - Date.parse(last.at) < HOUR) return null;
  const reason = `${FORECAST_ONLY_PREFIX} ${shadow.action}: ${shadow.reason}`;
  return {
    id: targetDecisionIdFor(reading),
    serviceId: service.id,
    anomalyId: readingIdOf(reading),
    at: reading.at,
    action: shadow.action,
    fromCount: ecs.desiredCount,
    toCount: shadow.desired,
    reason,
    mode: service.mode,
    status: 'skipped',
    requestedBy: TARGET_SCALING_REQUESTER,
    target: { ...service.ecs },
    result: 'forecast-only mode: recorded, not executed',
    diagnosis: 'target',
    policies: [],
    allowedActions: [shadow.action],
  };
}
