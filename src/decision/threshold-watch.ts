// Thresholds that hold (issue #14): a policy whose condition names only measurements (cpu > 80,
// error_rate >= 10%, …) is judged on every sample, not only when the detector raises an anomaly —
// the detector adapts to a new level, a threshold does not. With a `for` window the condition must
// hold on every sample of the window, as in Prometheus alerting rules.
import { anomalyId, anomalyKeyPart, type Anomaly } from '../model/anomaly';
import type { Condition } from '../model/condition';
import { policyHoldMs, type Policy } from '../model/policy';
import type { Sample } from '../model/sample';
import type { Service } from '../model/service';
import { evaluateCondition, type ConditionContext } from './condition-eval';
import { parseCondition } from './condition-parser';
import { policyContext } from './policy-match';

/** Subjects that are not measurements: a policy naming one waits for an anomaly to be judged. */
const JUDGED_SUBJECTS = new Set([
  'anomaly_score',
  'diagnosis',
  'minutes_to_breach',
  'deployed_minutes_ago',
]);
/** The collector's cadence: a `for` window needs a sample for each of its minutes. */
export const SAMPLE_INTERVAL_MS = 60_000;

export interface HeldThreshold {
  policy: Policy;
  /** The comparison that held on the latest sample (the first one, for a compound condition). */
  subject: string;
  value: number;
  threshold: number;
  operator: string;
  /** The `for` window, minutes (0 without one). */
  forMinutes: number;
}

export function conditionSubjects(condition: Condition): string[] {
  switch (condition.kind) {
    case 'and':
    case 'or':
      return [...conditionSubjects(condition.left), ...conditionSubjects(condition.right)];
    case 'not':
      return conditionSubjects(condition.operand);
    case 'compare':
      return [condition.subject];
  }
}

/**
 * Policies the watch judges on every sample: conditions over measurements only, and not those that
 * only scale in — sizing down on every sample is target scaling's job, and a calm service is no news.
 */
export function isThresholdPolicy(policy: Policy): boolean {
  if (policy.actions.every((a) => a === 'scale-in')) return false;
  return conditionSubjects(parseCondition(policy.when)).every((s) => !JUDGED_SUBJECTS.has(s));
}

/** What a condition can name on one sample of the service, derived values included. */
export function sampleContext(service: Service, sample: Sample): ConditionContext {
  return policyContext({
    metrics: sample.metrics,
    anomalyScore: null,
    diagnosis: 'unknown',
    requestsPerTaskCapacity: service.scaling.requestsPerTaskCapacity ?? null,
    runningCount: sample.ecs?.runningCount ?? null,
    targets: service.targets,
  });
}

/**
 * The service's threshold policies that hold at `latest`: on it alone, or, with a `for` window, on
 * every sample in (latest − for, latest] with none of the window's minutes missing.
 * `recent` is the service's samples up to `latest` (any order; `latest` may be among them).
 */
export function heldThresholds(
  service: Service,
  latest: Sample,
  recent: readonly Sample[],
): HeldThreshold[] {
  const at = Date.parse(latest.at);
  const byMinute = new Map<string, Sample>();
  for (const s of [...recent, latest]) if (Date.parse(s.at) <= at) byMinute.set(s.at, s);
  const held: HeldThreshold[] = [];
  for (const policy of service.policies) {
    if (!isThresholdPolicy(policy)) continue;
    const condition = parseCondition(policy.when);
    const holdMs = policyHoldMs(policy);
    const window = [...byMinute.values()].filter((s) => Date.parse(s.at) > at - holdMs);
    const needed = Math.max(1, Math.ceil(holdMs / SAMPLE_INTERVAL_MS));
    if (holdMs > 0 && window.length < needed) continue;
    const samples = holdMs > 0 ? window : [latest];
    if (!samples.every((s) => evaluateCondition(condition, sampleContext(service, s)))) continue;
    const compare = firstHolding(condition, sampleContext(service, latest));
    if (!compare) continue;
    held.push({ policy, ...compare, forMinutes: Math.round(holdMs / 60_000) });
  }
  return held;
}

type Comparison = Pick<HeldThreshold, 'subject' | 'value' | 'threshold' | 'operator'>;

/** The first numeric comparison that holds and makes the condition hold: what the alert names. */
function firstHolding(condition: Condition, context: ConditionContext): Comparison | null {
  switch (condition.kind) {
    case 'and':
    case 'or':
      return firstHolding(condition.left, context) ?? firstHolding(condition.right, context);
    case 'not':
      return null;
    case 'compare': {
      const value = context[condition.subject];
      if (typeof value !== 'number' || typeof condition.value !== 'number') return null;
      if (!evaluateCondition(condition, context)) return null;
      return {
        subject: condition.subject,
        value,
        threshold: condition.value,
        operator: condition.operator,
      };
    }
  }
}

const PERCENT = /^(cpu|memory|disk|error_rate|request_utilisation|cpu_of_target|memory_of_target)$/;

/** "85%", "2400 ms", "12": a value in the unit the policy language reads it in. */
export function formatValue(subject: string, value: number): string {
  const rounded = Math.abs(value) >= 100 ? Math.round(value) : Math.round(value * 10) / 10;
  if (PERCENT.test(subject)) return `${rounded}%`;
  if (subject.startsWith('latency')) return `${rounded} ms`;
  return String(rounded);
}

/**
 * The threshold anomaly: score 1, keyed by service, policy and minute, so a redelivered sample
 * writes the same item and the conditional put keeps one.
 */
export function thresholdAnomaly(sample: Sample, held: HeldThreshold): Anomaly {
  const { policy, subject, value, threshold, operator } = held;
  const above = operator === '>' || operator === '>=';
  const below = operator === '<' || operator === '<=';
  const side = above ? 'above' : below ? 'below' : 'at';
  const span = held.forMinutes > 0 ? ` for ${held.forMinutes} min` : '';
  const base = {
    metric: subject,
    source: 'threshold' as const,
    policy: policy.name,
  };
  return {
    id: anomalyId(sample.serviceId, anomalyKeyPart(base), sample.at),
    serviceId: sample.serviceId,
    at: sample.at,
    value,
    score: 1,
    direction: above ? 'up' : below ? 'down' : 'none',
    expected: null,
    // The threshold is the edge of what is acceptable: the incident resolves only back inside it.
    lower: below ? threshold : null,
    upper: above ? threshold : null,
    // Nothing to act on but a message (notify-only): still an incident of its own.
    severity: 'warning',
    explanation:
      `${subject} ${formatValue(subject, value)} ${side} the policy threshold ` +
      `${formatValue(subject, threshold)}${span} (policy ${policy.name})`,
    zScore: null,
    desiredCount: sample.ecs?.desiredCount ?? null,
    ...base,
  };
}

/** The metric an outage anomaly names: readings of it come from the sample's ECS state. */
export const RUNNING_TASKS_METRIC = 'running_tasks';

/**
 * 0 running while some are desired: a critical anomaly per minute it lasts, so the incident stays
 * open through it and decide diagnoses the crash loop. Healthy again from one running task.
 */
export function outageAnomaly(sample: Sample): Anomaly | null {
  const ecs = sample.ecs;
  if (!ecs || ecs.runningCount > 0 || ecs.desiredCount === 0) return null;
  const base = { metric: RUNNING_TASKS_METRIC, source: 'outage' as const };
  return {
    id: anomalyId(sample.serviceId, anomalyKeyPart(base), sample.at),
    serviceId: sample.serviceId,
    at: sample.at,
    value: 0,
    score: 1,
    direction: 'down',
    expected: ecs.desiredCount,
    lower: 1,
    upper: null,
    severity: 'critical',
    explanation:
      `0 of ${ecs.desiredCount} desired tasks running: an outage ` +
      `(tasks crash or fail to start${ecs.pendingCount > 0 ? `, ${ecs.pendingCount} pending` : ''})`,
    zScore: null,
    desiredCount: ecs.desiredCount,
    ...base,
  };
}

/** A line a series' forecast is watched against (issue #14: memory, disk, a user's threshold). */
export interface ForecastLimit {
  metric: string;
  limit: number;
  side: 'above' | 'below';
  /** How far ahead a breach is worth a warning, minutes. */
  horizonMinutes: number;
  /** The threshold policy the line comes from; absent for the built-in lines. */
  policy?: string;
}

/** Memory and disk (percent used) at this level are out of room. */
export const OUT_OF_ROOM_PERCENT = 95;
/** A week: memory and disk fill slowly, and that is the point of warning early. */
export const ROOM_HORIZON_MINUTES = 7 * 24 * 60;
/**
 * A user's threshold is warned about this long before the forecast reaches it: further ahead, the
 * daily profile alone would warn every day before the peak.
 */
export const THRESHOLD_HORIZON_MINUTES = 60;

/**
 * The lines the watch forecasts against: memory and disk (a series named `disk`, percent used, from
 * a custom or pushed metric) reaching 95 %, and every comparison of a threshold policy on a measured
 * series (`latency_p95 > 2s` → latency_p95 reaching 2000 ms within the hour). A series without a
 * detector model (derived values such as error_rate from counts) has no forecast and is skipped by
 * the caller.
 */
export function forecastLimits(service: Service): ForecastLimit[] {
  const limits: ForecastLimit[] = [
    {
      metric: 'memory',
      limit: OUT_OF_ROOM_PERCENT,
      side: 'above',
      horizonMinutes: ROOM_HORIZON_MINUTES,
    },
    {
      metric: 'disk',
      limit: OUT_OF_ROOM_PERCENT,
      side: 'above',
      horizonMinutes: ROOM_HORIZON_MINUTES,
    },
  ];
  for (const policy of service.policies) {
    if (!isThresholdPolicy(policy)) continue;
    for (const c of comparisons(parseCondition(policy.when))) {
      if (typeof c.value !== 'number' || DERIVED.has(c.subject)) continue;
      const side =
        c.operator === '>' || c.operator === '>='
          ? 'above'
          : c.operator === '<' || c.operator === '<='
            ? 'below'
            : null;
      if (side === null) continue;
      // The tightest line per series and side is the one reached first; the built-in lines stay.
      const same = limits.find((l) => l.metric === c.subject && l.side === side && l.policy);
      if (same && (side === 'above' ? same.limit <= c.value : same.limit >= c.value)) continue;
      if (same) limits.splice(limits.indexOf(same), 1);
      limits.push({
        metric: c.subject,
        limit: c.value,
        side,
        horizonMinutes: THRESHOLD_HORIZON_MINUTES,
        policy: policy.name,
      });
    }
  }
  return limits;
}

/** Values computed from others on each sample: no series of their own to forecast. */
const DERIVED = new Set(['request_utilisation', 'cpu_of_target', 'memory_of_target']);

type Compare = Extract<Condition, { kind: 'compare' }>;

/** The comparisons a condition asserts (those under a `not` assert the opposite: left out). */
function comparisons(condition: Condition): Compare[] {
  switch (condition.kind) {
    case 'and':
    case 'or':
      return [...comparisons(condition.left), ...comparisons(condition.right)];
    case 'not':
      return [];
    case 'compare':
      return [condition];
  }
}

/** The incident metric a forecast names: apart from the metric's own readings, which are fine now. */
export const forecastMetric = (metric: string) => `${metric}_forecast`;

/**
 * A forecast breach within the horizon: a warning with the time to breach, e.g. "memory of API
 * reaches 95% in about 40 minutes". Written once per breach episode (the caller checks).
 */
export function forecastAnomaly(
  sample: Sample,
  serviceName: string,
  breach: {
    metric: string;
    minutesToBreach: number;
    limit: number;
    value: number | null;
    side?: 'above' | 'below';
    policy?: string;
  },
): Anomaly {
  const base = { metric: forecastMetric(breach.metric), source: 'forecast' as const };
  const falling = breach.side === 'below';
  return {
    id: anomalyId(sample.serviceId, anomalyKeyPart(base), sample.at),
    serviceId: sample.serviceId,
    at: sample.at,
    value: breach.value ?? breach.limit,
    score: 0.8,
    direction: falling ? 'down' : 'up',
    expected: null,
    lower: null,
    upper: null,
    severity: 'warning',
    explanation:
      `${breach.metric} of ${serviceName} ${falling ? 'falls to' : 'reaches'} ` +
      `${formatValue(breach.metric, breach.limit)} in about ${breach.minutesToBreach} minutes` +
      (breach.policy ? ` (policy ${breach.policy})` : ''),
    zScore: null,
    desiredCount: sample.ecs?.desiredCount ?? null,
    minutesToBreach: breach.minutesToBreach,
    ...base,
  };
}
