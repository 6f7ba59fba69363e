// The alert pipeline's adapters, as notify and alert-timers use them: built once per container.
import type { AlertDeps } from '../../src/use-cases/alert-notifications';
import { adapters } from '../adapters';
import { systemClock } from '../clock';
import { alertingStore } from '../store/alerting-store';

export function alertDeps(): AlertDeps {
  const a = adapters();
  return {
    clock: systemClock,
    store: alertingStore(),
    observations: a.store,
    log: a.store,
    notifier: a.notifier(),
    config: a.config.alerting,
  };
}
