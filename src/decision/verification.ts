// Verification of an executed decision (SPEC X5): when it is due, how it turned out from the metrics
// that triggered it, and — when it made things worse — the decision that undoes it.
import type { AutopilotMode } from '../model/common';
import {
  decisionIdFor,
  TARGET_SCALING_REQUESTER,
  type Decision,
  type DecisionOutcome,
  type DecisionTrigger,
} from '../model/decision';
import type { Sample } from '../model/sample';
import type { Service } from '../model/service';
import { compensationFor, gateDecision, type GlobalSwitches } from './autopilot-guard';
import { defaultDiagnosisThresholds, errorRate } from './diagnosis';
import { judgeOutcome } from './outcome-judgement';
import { RUNNING_TASKS_METRIC } from './threshold-watch';

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
 * What a sample says about each metric verification may judge: its readings, the error rate in %
 * (derived from counts when no source gives it ready-made) and the running tasks ECS reported.
 */
export function sampleReadings(s: Sample): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [metric, value] of Object.entries(s.metrics)) if (value !== null) out[metric] = value;
  const rate = errorRate(s.metrics);
  if (out.error_rate === undefined && rate !== null) out.error_rate = rate * 100;
  if (s.ecs) out[RUNNING_TASKS_METRIC] = s.ecs.runningCount;
  return out;
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
  return after.length === 0 ? null : firstReadingOfEach(after);
}

/** A reading older than this before the decision does not describe the service it acted on. */
export const READING_MAX_AGE_MINUTES = 5;

/**
 * The service as it was when the decision was made: the latest sample at or before it (no older
 * than READING_MAX_AGE_MINUTES), a metric it lacks taken from the ones before; null when none.
 */
export function metricsAt(samples: readonly Sample[], atMs: number): Record<string, number> | null {
  const before = samples
    .filter((s) => {
      const t = Date.parse(s.at);
      return t <= atMs && t >= atMs - READING_MAX_AGE_MINUTES * MINUTE;
    })
    .sort((a, b) => b.at.localeCompare(a.at));
  return before.length === 0 ? null : firstReadingOfEach(before);
}

/** Each metric's reading from the first of `ordered` samples that has one. */
function firstReadingOfEach(ordered: readonly Sample[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of ordered) {
    for (const [metric, value] of Object.entries(sampleReadings(s))) {
      if (out[metric] === undefined) out[metric] = value;
    }
  }
  return out;
}

/**
 * Where each diagnosis shows, and so what a restart or rollback for it is judged on: a bad release
 * by its errors, latency and running tasks, a leak by memory, a crash loop by running tasks. The
 * anomaly that happened to carry the decision may be another metric (a bad release's rollback
 * carried by a CPU dip was judged on CPU, called "worse" and undone).
 */
export const diagnosisSymptoms: Readonly<Record<string, readonly string[]>> = {
  bad_deploy: ['error_rate', 'latency_p95', RUNNING_TASKS_METRIC],
  error_burst: ['error_rate'],
  memory_leak: ['memory'],
  crash_loop: [RUNNING_TASKS_METRIC],
  failing_dependency: ['error_rate', 'probe_failures'],
  latency_regression: ['latency_p95'],
  overload: ['cpu', 'latency_p95'],
  saturation: ['cpu', 'latency_p95'],
};

/**
 * The healthy line of a symptom no trigger named: the utilisation limits scaling sizes on for CPU and
 * memory, one running task, and the lines the diagnosis itself calls high for the rest.
 */
function symptomLine(service: Service, metric: string): Omit<DecisionTrigger, 'value'> | null {
  const t = defaultDiagnosisThresholds;
  const tolerance = 1 + service.scaling.tolerance;
  switch (metric) {
    case 'cpu':
      return { metric, limit: service.targets.cpu * tolerance, bad: 'above' };
    case 'memory':
      return { metric, limit: service.targets.memory * tolerance, bad: 'above' };
    case RUNNING_TASKS_METRIC:
      return { metric, limit: 1, bad: 'below' };
    case 'error_rate':
      return { metric, limit: t.errorRateHigh * 100, bad: 'above' };
    case 'latency_p95':
      return { metric, limit: t.latencyP95HighMs, bad: 'above' };
    case 'probe_failures':
      return { metric, limit: t.probeFailuresHigh, bad: 'above' };
    default:
      return null;
  }
}

/**
 * What verification compares for a decision. A restart or rollback with a diagnosis is judged on
 * that diagnosis's symptoms, each as the service showed it when the decision was made (a trigger on
 * the same metric keeps its value and limit); the other triggers are left out. Without a reading of
 * any symptom at the decision, or for any other action, the decision's own triggers.
 */
export function judgedTriggers(
  d: Decision,
  service: Service,
  atDecision: Readonly<Record<string, number>> | null,
): DecisionTrigger[] {
  const triggers = d.trigger ?? [];
  if (d.action !== 'restart' && d.action !== 'rollback') return triggers;
  const symptoms = diagnosisSymptoms[d.diagnosis ?? ''] ?? [];
  const judged: DecisionTrigger[] = [];
  for (const metric of symptoms) {
    const own = triggers.find((t) => t.metric === metric);
    if (own) {
      judged.push(own);
      continue;
    }
    const value = atDecision?.[metric];
    const line = symptomLine(service, metric);
    if (value !== undefined && line) judged.push({ ...line, value });
  }
  return judged.length > 0 ? judged : triggers;
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
 * else: judgeOutcome on `triggers` (judgedTriggers: the decision's, or its diagnosis's symptoms).
 */
export function judgeDecision(
  d: Decision,
  after: Readonly<Record<string, number>>,
  triggers: readonly DecisionTrigger[] = d.trigger ?? [],
): Verdict {
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
