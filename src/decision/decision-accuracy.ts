// Decision accuracy (SPEC X5): the share of verified actions that resolved what triggered them.
import type { Outcome } from './outcome-judgement';

export interface DecisionAccuracy {
  verified: number;
  resolved: number;
  notResolved: number;
  worse: number;
  /** resolved ÷ verified; null before anything was verified. */
  accuracy: number | null;
}

export function decisionAccuracy(outcomes: Iterable<Outcome | null | undefined>): DecisionAccuracy {
  const tally = { resolved: 0, notResolved: 0, worse: 0 };
  for (const o of outcomes) {
    if (o === 'resolved') tally.resolved++;
    else if (o === 'not-resolved') tally.notResolved++;
    else if (o === 'worse') tally.worse++;
  }
  const verified = tally.resolved + tally.notResolved + tally.worse;
  return { verified, ...tally, accuracy: verified === 0 ? null : tally.resolved / verified };
}
