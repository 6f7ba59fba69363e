// The choice among allowed actions: learned (Thompson sampling) when AI_DECISIONS_ENABLED, else
// the highest-priority policy's first action — the plain runbook.
import type { ActionType } from '../model/decision';
import { chooseAction, type ActionStats } from './action-learning';
import type { GlobalSwitches } from './autopilot-guard';
import type { Random } from './seeded-random';

export interface ActionPick {
  action: ActionType;
  how: 'learned' | 'rule';
  samples: Array<{ action: ActionType; sample: number; expected: number }>;
}

/** `allowed` is in policy priority order, as matchPolicies returns it. */
export function pickAction(
  diagnosis: string,
  allowed: readonly ActionType[],
  learned: readonly ActionStats[],
  switches: Pick<GlobalSwitches, 'aiDecisionsEnabled'>,
  random: Random,
): ActionPick | null {
  if (allowed.length === 0) return null;
  if (!switches.aiDecisionsEnabled || allowed.length === 1) {
    return { action: allowed[0]!, how: 'rule', samples: [] };
  }
  const choice = chooseAction(diagnosis, allowed, learned, random);
  return choice && { action: choice.action, how: 'learned', samples: choice.samples };
}
