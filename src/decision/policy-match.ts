// Which actions the service's policies allow right now, in priority order.
import type { ActionType } from '../model/decision';
import type { DiagnosisName } from './diagnosis';
import { errorRate } from './diagnosis';
import { evaluateCondition, type ConditionContext } from './condition-eval';
import { parseCondition, type Condition } from './condition-parser';
import type { Policy } from './policy-schema';

export interface PolicyFacts {
  metrics: Readonly<Record<string, number | null | undefined>>;
  anomalyScore: number | null;
  diagnosis: DiagnosisName | 'unknown';
  /** Minutes since ECS's last deployment of the service (null: none known). */
  minutesSinceDeploy?: number | null;
  /** Soonest forecast breach, minutes. */
  minutesToBreach?: number | null;
  /** Requests per second one task serves, to express requests as % of capacity. */
  requestsPerTaskCapacity?: number | null;
  runningCount?: number | null;
  /** The service's utilisation targets (%), to express cpu and memory as % of target. */
  targets?: { cpu: number; memory: number } | null;
  /**
   * The policy whose `for` window the watch consumer saw hold (a threshold anomaly's policy). A
   * policy with a `for` window matches only then: one sample says nothing about a window.
   */
  heldPolicy?: string | null;
}

export interface PolicyMatch {
  /** Allowed actions, each once, from the highest-priority policy that allows it. */
  actions: ActionType[];
  matched: Array<{ name: string; priority: number; actions: ActionType[] }>;
}

/** Derived values (error_rate, request_utilisation) join the raw metrics. */
export function policyContext(facts: PolicyFacts): ConditionContext {
  const rate = errorRate(facts.metrics);
  const perTask =
    facts.metrics.requests != null && facts.runningCount
      ? facts.metrics.requests / facts.runningCount
      : null;
  return {
    ...facts.metrics,
    error_rate: rate === null ? null : rate * 100,
    request_utilisation:
      perTask !== null && facts.requestsPerTaskCapacity
        ? (perTask / facts.requestsPerTaskCapacity) * 100
        : null,
    cpu_of_target: ofTarget(facts.metrics.cpu, facts.targets?.cpu),
    memory_of_target: ofTarget(facts.metrics.memory, facts.targets?.memory),
    anomaly_score: facts.anomalyScore,
    diagnosis: facts.diagnosis,
    minutes_to_breach: facts.minutesToBreach ?? null,
    deployed_minutes_ago: facts.minutesSinceDeploy ?? null,
  };
}

function ofTarget(value: number | null | undefined, target: number | undefined): number | null {
  return value == null || !target ? null : (value / target) * 100;
}

const parsed = new WeakMap<Policy, Condition>();

export function matchPolicies(policies: readonly Policy[], facts: PolicyFacts): PolicyMatch {
  const context = policyContext(facts);
  const matched = policies
    .filter((p) => {
      if (p.for && p.name !== facts.heldPolicy) return false;
      let condition = parsed.get(p);
      if (!condition) {
        condition = parseCondition(p.when);
        parsed.set(p, condition);
      }
      return evaluateCondition(condition, context);
    })
    .sort((a, b) => b.priority - a.priority || a.name.localeCompare(b.name))
    .map((p) => ({ name: p.name, priority: p.priority, actions: [...p.actions] }));
  const actions: ActionType[] = [];
  for (const m of matched) for (const a of m.actions) if (!actions.includes(a)) actions.push(a);
  return { actions, matched };
}
