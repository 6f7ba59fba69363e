// What the wake function runs on: the collector's adapters (it reads the woken service as a worker
// would) and the sentinel's settings.
import type { AppConfig } from '../config';
import { collectServices } from '../../src/use-cases/collect-tick';
import type { WakeDeps, WakeSettings } from '../../src/use-cases/sentinel-wake';
import { collectDeps, collectOptions } from './collect';
import { perConfig } from './per-config';

export const wakeDeps = perConfig((c): WakeDeps => {
  const deps = collectDeps(c);
  return {
    clock: deps.clock,
    registry: deps.registry,
    models: deps.models,
    readNow: (service, at) => collectServices(deps, [service], at, collectOptions(c)),
  };
});

export function wakeSettings(c: AppConfig): WakeSettings {
  return {
    enabled: c.collect.sentinel.enabled,
    stage: c.stage,
    maxConflictRetries: collectOptions(c).maxConflictRetries,
  };
}
