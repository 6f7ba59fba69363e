// What planScaling needs: a service's scaling settings (schema in the model) with its limits and targets.
import {
  scalingConfigSchema,
  type ScalingSettings,
  type ScalingSettingsInput,
} from '../model/scaling-settings';

export * from '../model/scaling-settings';

/** What planScaling needs: the service's limits and targets beside its scaling settings. */
export interface ScalingConfig extends ScalingSettings {
  minTasks: number;
  maxTasks: number;
  /** Utilisation targets in percent, as on Service.targets. */
  targets: { cpu: number; memory: number };
}

export function scalingConfigFor(
  service: { minTasks: number; maxTasks: number; targets: { cpu: number; memory: number } },
  settings: ScalingSettingsInput = {},
): ScalingConfig {
  return {
    ...scalingConfigSchema.parse(settings),
    minTasks: service.minTasks,
    maxTasks: service.maxTasks,
    targets: { ...service.targets },
  };
}
