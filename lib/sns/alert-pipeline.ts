// The alert pipeline's adapters, as notify and alert-timers use them: built once per container.
import type { AlertDeps } from '../../src/use-cases/alert-notifications';
import { appConfig, notifier, store } from '../adapters';
import { systemClock } from '../clock';
import { alertingStore } from '../store/alerting-store';

export function alertDeps(): AlertDeps {
  return {
    clock: systemClock,
    store: alertingStore(),
    observations: store(),
    log: store(),
    notifier: notifier(),
    config: appConfig().alerting,
  };
}
