// Verification of an executed decision (SPEC X5): when it is due, how it turned out from the metrics
// that triggered it, and — when it made things worse — the decision that undoes it.
import type { AutopilotMode } from '../model/common';
import {
  decisionIdFor,
  TARGET_SCALING_REQUESTER,
  type Decision,
  type DecisionOutcome,
} from '../model/decision';
import type { Sample } from '../model/sample';
import { compensationFor, gateDecision, type GlobalSwitches } from './autopilot-guard';
import { judgeOutcome } from './outcome-judgement';

const MINUTE = 60_000;

/** Executed, triggered by metrics, not yet judged: the decisions verification looks at. */
export function awaitsVerification(d: Decision): boolean {
  return d.status === 'executed' && d.outcome === undefined && (d.trigger?.length ?? 0) > 0;
}

/** The data time at which a decision's outcome may be judged. */
export function verificationDueAt(d: Decision, windowMinutes: number): number {
  return Date.parse(d.at) + windowMinutes * MINUTE;
}

/** A deployment still rolling out this long after the window is judged as it stands. */
export const ROLLOUT_WAIT_MINUTES = 20;

/**
 * When a deployment (restart, rollback) can be judged: not before its rollout completed. Judged
 * mid-rollout, the old tasks' errors count against it — a rollback of a bad release was judged
 * "worse" while the bad tasks were still draining, and undone: the bad release went out again. The
 * first sample at or after the window whose ECS state shows one deployment, COMPLETED; a rollout
 * still going ROLLOUT_WAIT_MINUTES after the window is judged then. Other actions: the window.
 */
export function settledDueAt(d: Decision, samples: readonly Sample[], dueAtMs: number): number {
  if (d.action !== 'restart' && d.action !== 'rollback') return dueAtMs;
  const settled = samples
    .filter((s) => Date.parse(s.at) >= dueAtMs && s.ecs)
    .sort((a, b) => a.at.localeCompare(b.at))
    .find((s) => s.ecs!.deployments <= 1 && (s.ecs!.rolloutState ?? 'COMPLETED') === 'COMPLETED');
  if (settled) return Date.parse(settled.at);
  const latest = Math.max(...samples.map((s) => Date.parse(s.at)), -Infinity);
  const limit = dueAtMs + ROLLOUT_WAIT_MINUTES * MINUTE;
  // Not settled yet: wait (no sample reaches the limit) or judge at the limit.
  return latest >= limit ? limit : Number.POSITIVE_INFINITY;
}

/**
 * The samples after the window: the first one at or after the due time carries the verdict; a
 * metric it lacks is taken from the next ones (a source can skip a minute).
 */
export function metricsAfter(
  samples: readonly Sample[],
  dueAtMs: number,
): Record<string, number> | null {
  const after = samples
    .filter((s) => Date.parse(s.at) >= dueAtMs)
    .sort((a, b) => a.at.localeCompare(b.at));
  if (after.length === 0) return null;
  const out: Record<string, number> = {};
  for (const s of after) {
    for (const [metric, value] of Object.entries(s.metrics)) {
      if (value !== null && out[metric] === undefined) out[metric] = value;
    }
  }
  return out;
}

export interface Verdict {
  outcome: DecisionOutcome;
  /** One line for the recovery note, e.g. "cpu 91 → 58 (limit 66)". */
  detail: string;
}

/**
 * Scale-in removed idle capacity: it is judged on whether utilisation stayed under its limits
 * (rising towards the target is the point). A target-scaling scale-out is judged on whether the
 * objective held afterwards; utilisation still rising means the load grew, not that added tasks
 * hurt, so it is never 'worse' (undoing it would take away capacity that is needed). Everything
 * else: judgeOutcome on the trigger metrics.
 */
export function judgeDecision(d: Decision, after: Readonly<Record<string, number>>): Verdict {
  const triggers = d.trigger ?? [];
  const detail = triggers
    .map(
      (t) =>
        `${t.metric} ${fmt(t.value)} → ${after[t.metric] === undefined ? '?' : fmt(after[t.metric]!)} (limit ${fmt(t.limit)})`,
    )
    .join(', ');
  if (d.action === 'scale-in') {
    const missing = triggers.some((t) => after[t.metric] === undefined);
    const over = triggers.some((t) => (after[t.metric] ?? -Infinity) > t.limit);
    return { outcome: over ? 'worse' : missing ? 'not-resolved' : 'resolved', detail };
  }
  const outcome = judgeOutcome(
    triggers.map((t) => ({
      metric: t.metric,
      before: t.value,
      after: after[t.metric] ?? null,
      limit: t.limit,
      bad: t.bad,
    })),
  );
  if (outcome === 'worse' && d.requestedBy === TARGET_SCALING_REQUESTER) {
    return { outcome: 'not-resolved', detail };
  }
  return { outcome, detail };
}

/**
 * The decision that undoes a worsening action, or null when there is nothing to undo. Never for a
 * compensation itself: undoing an undo would ping-pong.
 */
export function compensationDecision(
  d: Decision,
  verdict: Verdict,
  dueAtMs: number,
  mode: AutopilotMode,
  switches: GlobalSwitches,
): Decision | null {
  if (d.compensates !== undefined) return null;
  const comp = compensationFor(
    {
      action: d.action,
      fromCount: d.before?.desiredCount ?? d.fromCount,
      toCount: d.after?.desiredCount ?? d.toCount,
      previousTaskDefinition: d.before?.taskDefinition ?? d.taskDefinition ?? null,
    },
    verdict.outcome,
  );
  if (!comp) return null;
  const at = new Date(dueAtMs).toISOString();
  const anomalyId = `${d.serviceId}~${at}~undo-${d.anomalyId.split('~').slice(2).join('-') || 'action'}`;
  const gate = gateDecision(comp.action, mode, switches);
  const from = d.after?.desiredCount ?? d.toCount;
  return {
    id: decisionIdFor(anomalyId),
    serviceId: d.serviceId,
    anomalyId,
    at,
    action: comp.action,
    fromCount: from,
    toCount: 'toCount' in comp ? comp.toCount : from,
    reason: `${comp.reason} (${verdict.detail})`,
    mode,
    status: gate.status,
    requestedBy: 'vigia:verify',
    result: gate.reason || null,
    ...(d.diagnosis !== undefined ? { diagnosis: d.diagnosis } : {}),
    evidence: [`${d.action} at ${d.at} made things worse: ${verdict.detail}`],
    choice: { how: 'compensation', samples: [] },
    trigger: d.trigger ?? [],
    taskDefinition: d.after?.taskDefinition ?? null,
    targetTaskDefinition: 'taskDefinition' in comp ? comp.taskDefinition : null,
    compensates: d.id,
    ...(d.target ? { target: d.target } : {}),
  };
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}
