// The scaler's one entry point (SPEC X3): from the latest sample to a desired task count, with
// tolerance, step limits, separate cooldowns, scale-in stabilisation and min/max.
import type { ScalingConfig } from './scaling-config';
import { metricProposals, type MetricProposal, type ScalingInput } from './metric-proposals';
import {
  rememberRecommendation,
  stabilisedRecommendation,
  type ScalingState,
} from './scaling-state';

export type { ScalingInput } from './metric-proposals';

export type ScalingAction = 'scale-out' | 'scale-in' | 'hold';

export interface ScalingPlan {
  /** The desired count to set; equals input.desiredCount when action is 'hold'. */
  desired: number;
  action: ScalingAction;
  /** One line a person reads in the audit trail. */
  reason: string;
  /** The recommendation before step limits, cooldowns and stabilisation. */
  recommended: number;
  proposals: MetricProposal[];
  /** Persist this and pass it back on the next tick. */
  state: ScalingState;
}

export function planScaling(
  input: ScalingInput,
  state: ScalingState,
  config: ScalingConfig,
  now: Date,
): ScalingPlan {
  const p = recommend(input, state, config, now.getTime());
  const { current, recommended } = p;
  // Outside min/max (changed limits, manual scaling): correct at once, whatever the cooldowns.
  if (current < config.minTasks || current > config.maxTasks) return intoLimits(p);
  // Plans are timed by their data: an anomaly decision by its anomaly's minute, target scaling by
  // the end of its reading. An action already taken on newer data than this plan's stands.
  if (recommended !== current && p.lastActionAt > p.nowMs) {
    return hold(p, 'an action on newer data was already taken');
  }
  if (recommended > current) return scaleOutPlan(p);
  if (recommended < current) return scaleInPlan(p);
  return hold(
    p,
    p.winner ? `${p.winner.signal} within tolerance of its target` : 'no metric to scale on',
  );
}

/** What the metrics recommend, and what the plan remembers of it, before any limit applies. */
interface Recommendation {
  input: ScalingInput;
  state: ScalingState;
  config: ScalingConfig;
  nowMs: number;
  current: number;
  proposals: MetricProposal[];
  winner: MetricProposal | undefined;
  recommended: number;
  remembered: ScalingState;
  /** The later of the last scale-out and scale-in (-Infinity when neither happened). */
  lastActionAt: number;
}

function recommend(
  input: ScalingInput,
  state: ScalingState,
  config: ScalingConfig,
  nowMs: number,
): Recommendation {
  const current = input.desiredCount;
  const proposals = metricProposals(input, config);
  const winner = strongest(proposals);
  const recommended = clamp(winner ? winner.desired : current, config.minTasks, config.maxTasks);
  // The forecast band is insurance for the next minutes, not a measured need: it may hold the
  // count now, but it does not enter the history that scale-in is stabilised on, or one noisy
  // minute's wide band would pin a larger fleet for the whole window.
  const measured = strongest(proposals.filter((p) => p.signal !== 'forecast-band'));
  const remembered = rememberRecommendation(
    state,
    clamp(measured ? measured.desired : current, config.minTasks, config.maxTasks),
    nowMs,
    config.scaleInStabilisationSeconds,
  );
  const lastActionAt = Math.max(
    state.lastScaleInAt ?? -Infinity,
    state.lastScaleOutAt ?? -Infinity,
  );
  return {
    input,
    state,
    config,
    nowMs,
    current,
    proposals,
    winner,
    recommended,
    remembered,
    lastActionAt,
  };
}

function hold(p: Recommendation, reason: string): ScalingPlan {
  return {
    desired: p.current,
    action: 'hold',
    reason,
    recommended: p.recommended,
    proposals: p.proposals,
    state: p.remembered,
  };
}

function act(
  p: Recommendation,
  action: 'scale-out' | 'scale-in',
  desired: number,
  reason: string,
): ScalingPlan {
  return {
    desired,
    action,
    reason,
    recommended: p.recommended,
    proposals: p.proposals,
    state: stamp(p.remembered, action, p.nowMs),
  };
}

function intoLimits(p: Recommendation): ScalingPlan {
  const { current, config } = p;
  const desired = clamp(current, config.minTasks, config.maxTasks);
  return act(
    p,
    desired > current ? 'scale-out' : 'scale-in',
    desired,
    `${current} tasks is outside ${config.minTasks}..${config.maxTasks}`,
  );
}

function scaleOutPlan(p: Recommendation): ScalingPlan {
  const { current, recommended, config } = p;
  if (withinCooldown(p.state.lastScaleOutAt, config.scaleOutCooldownSeconds, p.nowMs)) {
    return hold(p, `scale-out to ${recommended} waits for the scale-out cooldown`);
  }
  const ceiling = current + Math.max(maxScaleOutStep(current, config), 1);
  const desired = Math.min(recommended, ceiling, config.maxTasks);
  return act(p, 'scale-out', desired, explain(p.winner, current, desired, recommended));
}

/** Scale-in waits for a settled rollout, the stabilisation window and the cooldown. */
function scaleInPlan(p: Recommendation): ScalingPlan {
  const { input, current, recommended, config } = p;
  if (input.pendingCount > 0 || input.runningCount < current) {
    return hold(p, 'tasks are still starting: no scale-in during a rollout');
  }
  const stabilised = Math.max(stabilisedRecommendation(p.remembered) ?? recommended, recommended);
  if (stabilised >= current) {
    return hold(p, `scale-in to ${recommended} waits: a higher count was recommended recently`);
  }
  // A dip the forecast sees ending within the window is ridden out: scaling in and straight back
  // out costs two actions and a start-up's worth of violations for a few minutes of tasks.
  const returning = returningLoad(p);
  if (returning !== null && returning >= current) {
    return hold(p, `scale-in waits: load is forecast back to ${returning} tasks within the window`);
  }
  if (withinCooldown(p.lastActionAt, config.scaleInCooldownSeconds, p.nowMs)) {
    return hold(p, `scale-in to ${stabilised} waits for the scale-in cooldown`);
  }
  const floor = Math.ceil(current * (1 - config.maxScaleInPercent / 100) - 1e-9);
  const desired = Math.max(stabilised, returning ?? 0, floor, config.minTasks);
  if (desired >= current) return hold(p, 'scale-in step limit leaves the count unchanged');
  return act(p, 'scale-in', desired, explain(p.winner, current, desired, stabilised));
}

/**
 * Tasks the highest expected load of the whole forecast (which covers the scale-in stabilisation
 * window) needs at the requests target, or null without a forecast to act on.
 */
function returningLoad(p: Recommendation): number | null {
  const { config, input } = p;
  const expected = (input.forecastRequestRate ?? []).filter(Number.isFinite);
  if (!config.preScaling.enabled || config.requestsPerTaskCapacity === undefined) return null;
  if (expected.length === 0) return null;
  const target = (config.requestsPerTaskCapacity * config.requestsTargetPercent) / 100;
  return Math.ceil(Math.max(...expected) / target - 1e-9);
}

/** Scale out by at most max(+maxScaleOutPercent%, +maxScaleOutTasks) in one action. */
export function maxScaleOutStep(current: number, config: ScalingConfig): number {
  return Math.max(
    Math.ceil((current * config.maxScaleOutPercent) / 100 - 1e-9),
    config.maxScaleOutTasks,
  );
}

function strongest(proposals: MetricProposal[]): MetricProposal | undefined {
  let best: MetricProposal | undefined;
  for (const p of proposals) if (!best || p.desired > best.desired) best = p;
  return best;
}

function withinCooldown(lastAt: number | null, cooldownSeconds: number, nowMs: number): boolean {
  return lastAt !== null && Number.isFinite(lastAt) && nowMs - lastAt < cooldownSeconds * 1000;
}

function stamp(state: ScalingState, action: 'scale-out' | 'scale-in', nowMs: number) {
  return action === 'scale-out'
    ? { ...state, lastScaleOutAt: nowMs }
    : { ...state, lastScaleInAt: nowMs };
}

function clamp(n: number, min: number, max: number): number {
  return Math.min(Math.max(n, min), max);
}

function explain(
  winner: MetricProposal | undefined,
  from: number,
  to: number,
  recommended: number,
): string {
  const why = winner
    ? `${winner.signal} at ${(winner.ratio * 100).toFixed(0)}% of target`
    : 'limits changed';
  const limited = to !== recommended ? ` (recommended ${recommended}, step-limited)` : '';
  return `${why}: ${from} → ${to} tasks${limited}`;
}
