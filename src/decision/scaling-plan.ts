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
  const nowMs = now.getTime();
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
  const hold = (reason: string): ScalingPlan => ({
    desired: current,
    action: 'hold',
    reason,
    recommended,
    proposals,
    state: remembered,
  });

  // Outside min/max (changed limits, manual scaling): correct at once, whatever the cooldowns.
  if (current < config.minTasks || current > config.maxTasks) {
    const desired = clamp(current, config.minTasks, config.maxTasks);
    const action = desired > current ? 'scale-out' : 'scale-in';
    return {
      desired,
      action,
      reason: `${current} tasks is outside ${config.minTasks}..${config.maxTasks}`,
      recommended,
      proposals,
      state: stamp(remembered, action, nowMs),
    };
  }

  // Plans are timed by their data: an anomaly decision by its anomaly's minute, target scaling by
  // the end of its reading. An action already taken on newer data than this plan's stands.
  const lastActionAt = Math.max(
    state.lastScaleInAt ?? -Infinity,
    state.lastScaleOutAt ?? -Infinity,
  );
  if (recommended !== current && lastActionAt > nowMs) {
    return hold('an action on newer data was already taken');
  }

  if (recommended > current) {
    if (withinCooldown(state.lastScaleOutAt, config.scaleOutCooldownSeconds, nowMs)) {
      return hold(`scale-out to ${recommended} waits for the scale-out cooldown`);
    }
    const ceiling = current + Math.max(maxScaleOutStep(current, config), 1);
    const desired = Math.min(recommended, ceiling, config.maxTasks);
    return {
      desired,
      action: 'scale-out',
      reason: explain(winner, current, desired, recommended),
      recommended,
      proposals,
      state: stamp(remembered, 'scale-out', nowMs),
    };
  }

  if (recommended < current) {
    if (input.pendingCount > 0 || input.runningCount < current) {
      return hold('tasks are still starting: no scale-in during a rollout');
    }
    const stabilised = Math.max(stabilisedRecommendation(remembered) ?? recommended, recommended);
    if (stabilised >= current) {
      return hold(`scale-in to ${recommended} waits: a higher count was recommended recently`);
    }
    if (withinCooldown(lastActionAt, config.scaleInCooldownSeconds, nowMs)) {
      return hold(`scale-in to ${stabilised} waits for the scale-in cooldown`);
    }
    const floor = Math.ceil(current * (1 - config.maxScaleInPercent / 100) - 1e-9);
    const desired = Math.max(stabilised, floor, config.minTasks);
    if (desired >= current) return hold('scale-in step limit leaves the count unchanged');
    return {
      desired,
      action: 'scale-in',
      reason: explain(winner, current, desired, stabilised),
      recommended,
      proposals,
      state: stamp(remembered, 'scale-in', nowMs),
    };
  }

  return hold(winner ? `${winner.signal} within tolerance of its target` : 'no metric to scale on');
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
