// One notify batch in one call: fold the events into the state, then flush what is due.
import { applyEvent, type AlertEvent, type AlertingState } from './alert-state';
import type { AlertingConfig } from './config';
import { flush, type FlushResult } from './flush';

export function step(
  state: AlertingState,
  events: readonly AlertEvent[],
  now: Date,
  config: AlertingConfig,
): FlushResult {
  const folded = events.reduce((s, e) => applyEvent(s, e, now, config), state);
  return flush(folded, now, config);
}
