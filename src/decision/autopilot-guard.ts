// Pure safety rules (SPEC X6): what status a new decision gets under the service's mode and the
// global switches, the per-service cap on actions per hour, and undoing an action that made
// things worse.
import type { AutopilotMode } from '../model/common';
import type { ActionType, Decision, DecisionStatus, ServiceSnapshot } from '../model/decision';
import { runbookNameOf } from '../model/runbook';
import type { Outcome } from './outcome-judgement';

/** Parsed once from AUTO_SCALING_ENABLED, AUTO_RECOVERY_ENABLED, AI_DECISIONS_ENABLED in lib/. */
export interface GlobalSwitches {
  autoScalingEnabled: boolean;
  autoRecoveryEnabled: boolean;
  aiDecisionsEnabled: boolean;
}

export const allSwitchesOn: GlobalSwitches = {
  autoScalingEnabled: true,
  autoRecoveryEnabled: true,
  aiDecisionsEnabled: true,
};

export interface DecisionGate {
  status: Extract<DecisionStatus, 'approved' | 'proposed' | 'skipped'>;
  /** Why, for the audit trail; empty when the decision simply goes ahead. */
  reason: string;
}

/**
 * off: nothing happens. dry-run: recorded as skipped, so people see what would have happened.
 * A disabled switch stops its kind of action in every mode. approve waits for an operator;
 * auto goes ahead. notify is harmless, so only off stops it.
 */
export function gateDecision(
  action: ActionType,
  mode: AutopilotMode,
  switches: GlobalSwitches,
): DecisionGate {
  if (mode === 'off') return { status: 'skipped', reason: 'autopilot is off for this service' };
  if (action === 'notify') return { status: 'approved', reason: '' };
  if (isScaling(action) && !switches.autoScalingEnabled) {
    return { status: 'skipped', reason: 'AUTO_SCALING_ENABLED is false' };
  }
  if (isRecovery(action) && !switches.autoRecoveryEnabled) {
    return { status: 'skipped', reason: 'AUTO_RECOVERY_ENABLED is false' };
  }
  if (mode === 'dry-run') return { status: 'skipped', reason: `dry-run: would ${action}` };
  if (mode === 'approve') return { status: 'proposed', reason: 'waiting for an operator' };
  return { status: 'approved', reason: '' };
}

export function isScaling(action: ActionType): boolean {
  return action === 'scale-out' || action === 'scale-in';
}

/** Restart, rollback and the team's runbooks: one cooldown, AUTO_RECOVERY_ENABLED governs them. */
export function isRecovery(action: ActionType): boolean {
  return action === 'restart' || action === 'rollback' || runbookNameOf(action) !== null;
}

export interface ActionCap {
  allowed: boolean;
  /** Actions still allowed in the current hour. */
  remaining: number;
}

/**
 * A sliding hour, not a calendar hour: a burst straddling :00 is still counted as one burst.
 * Notify-only decisions should not be passed in; they do not touch the service.
 */
export function actionCap(executedAt: readonly Date[], now: Date, maxPerHour: number): ActionCap {
  const since = now.getTime() - 3_600_000;
  const used = executedAt.filter((d) => d.getTime() > since && d.getTime() <= now.getTime()).length;
  const remaining = Math.max(0, maxPerHour - used);
  return { allowed: remaining > 0, remaining };
}

export interface ExecutedAction {
  action: ActionType;
  fromCount: number | null;
  toCount: number | null;
  /** Task definition before the action (restart keeps it, rollback changes it). */
  previousTaskDefinition?: string | null;
}

export type Compensation =
  | { action: 'scale-out' | 'scale-in'; toCount: number; reason: string }
  | { action: 'rollback'; taskDefinition: string; reason: string }
  | { action: 'notify'; reason: string };

/**
 * Made things worse → undo it when it can be undone: a count goes back to where it was, a
 * rolled-back service returns to the task definition it ran. A restart cannot be undone, so
 * people are told instead. Anything but 'worse' leaves the action in place.
 */
export function compensationFor(executed: ExecutedAction, outcome: Outcome): Compensation | null {
  if (outcome !== 'worse') return null;
  const why = `${executed.action} made things worse`;
  if (isScaling(executed.action) && executed.fromCount !== null) {
    const action = executed.fromCount > (executed.toCount ?? 0) ? 'scale-out' : 'scale-in';
    return {
      action,
      toCount: executed.fromCount,
      reason: `${why}: back to ${executed.fromCount} tasks`,
    };
  }
  if (executed.action === 'rollback' && executed.previousTaskDefinition) {
    return {
      action: 'rollback',
      taskDefinition: executed.previousTaskDefinition,
      reason: `${why}: back to ${executed.previousTaskDefinition}`,
    };
  }
  if (executed.action === 'notify') return null;
  return { action: 'notify', reason: `${why} and cannot be undone automatically` };
}

/**
 * The autopilot's scaling decisions are sized on a snapshot that may predate another action: one
 * that would now move the count the other way (a scale-out to fewer tasks than ECS already wants)
 * is skipped. An operator's explicit count is carried out as asked.
 */
export function overtakenBy(
  d: Pick<Decision, 'requestedBy' | 'toCount' | 'action'>,
  now: Pick<ServiceSnapshot, 'desiredCount'> | null,
): string | null {
  if (!d.requestedBy.startsWith('vigia:') || d.toCount === null) return null;
  const current = now?.desiredCount ?? null;
  if (current === null) return null;
  if (d.action === 'scale-out' && current >= d.toCount) {
    return `desired count is already ${current}, not below the ${d.toCount} this scale-out asked for`;
  }
  if (d.action === 'scale-in' && current <= d.toCount) {
    return `desired count is already ${current}, not above the ${d.toCount} this scale-in asked for`;
  }
  return null;
}
