// Evaluates a parsed condition against what is known about a service right now.
import type { Condition } from './condition-parser';

/** Values a condition may name: metrics, anomaly_score, diagnosis, minutes_to_breach, … */
export type ConditionContext = Readonly<Record<string, number | string | null | undefined>>;

/**
 * A comparison over a value that is missing is false, whatever the operator: a policy never acts
 * on data it does not have. (So `not cpu > 80` is true when cpu is missing; write conditions with
 * that in mind.)
 */
export function evaluateCondition(condition: Condition, context: ConditionContext): boolean {
  switch (condition.kind) {
    case 'and':
      return (
        evaluateCondition(condition.left, context) && evaluateCondition(condition.right, context)
      );
    case 'or':
      return (
        evaluateCondition(condition.left, context) || evaluateCondition(condition.right, context)
      );
    case 'not':
      return !evaluateCondition(condition.operand, context);
    case 'compare': {
      const actual = context[condition.subject];
      if (actual === null || actual === undefined) return false;
      if (typeof actual !== typeof condition.value) return false;
      switch (condition.operator) {
        case '==':
          return actual === condition.value;
        case '!=':
          return actual !== condition.value;
        case '>':
          return actual > condition.value;
        case '>=':
          return actual >= condition.value;
        case '<':
          return actual < condition.value;
        case '<=':
          return actual <= condition.value;
      }
    }
  }
}
