// The three scalers of the benchmark, configured alike: the same CPU target, the same requests
// target (75% of a task's capacity, SPEC X2), the same min/max and the same metric delays.
import { serviceSchema, type Service } from '../../src/model';
import { hpaScaler } from './hpa-scaler';
import type { Scaler, SimSettings } from './service-sim';
import { targetTrackingScaler } from './target-tracking-scaler';
import { vigiaScaler } from './vigia-scaler';

/** vigia fed pushed readings, the references, and vigia fed CloudWatch's minutes only. */
export const scalerNames = ['vigia', 'hpa', 'targetTracking', 'vigiaCloudWatch'] as const;
export type ScalerName = (typeof scalerNames)[number];

export const cpuTarget = 70;
export const requestsTargetPercent = 75;

/** `preScaling` overrides vigia's defaults for a frontier point (`--band`, `--lead <minutes>`). */
export function makeScaler(
  name: ScalerName,
  sim: SimSettings,
  preScaling: { band?: boolean; leadMinutes?: number } = {},
): Scaler {
  const requestsTarget = (sim.capacityPerTask * requestsTargetPercent) / 100;
  switch (name) {
    case 'vigia':
    case 'vigiaCloudWatch':
      return vigiaScaler({
        service: benchService(sim, preScaling),
        feed: name === 'vigia' ? 'pushed' : 'cloudwatch',
        startMs: Date.UTC(2026, 0, 1),
      });
    case 'hpa':
      return hpaScaler({
        syncSeconds: 15,
        tolerance: 0.1,
        scaleDownStabilisationSeconds: 300,
        metricWindowSeconds: 30,
        metricDelaySeconds: 15,
        targetCpu: cpuTarget,
        targetRequestsPerPod: requestsTarget,
      });
    case 'targetTracking':
      return targetTrackingScaler({
        policies: [
          { metric: 'cpu', target: cpuTarget },
          { metric: 'requestsPerTask', target: requestsTarget },
        ],
        scaleOutCooldownSeconds: 300,
        scaleInCooldownSeconds: 300,
        datapointDelayMinutes: 1,
      });
  }
}

/** The simulated service as vigia's configuration: product defaults, the shared targets. */
export function benchService(
  sim: SimSettings,
  preScaling: { band?: boolean; leadMinutes?: number } = {},
): Service {
  return serviceSchema.parse({
    id: 'bench',
    name: 'Simulated service',
    ecs: { cluster: 'bench', service: 'bench' },
    minTasks: sim.minTasks,
    maxTasks: sim.maxTasks,
    targets: { cpu: cpuTarget, memory: 75 },
    scaling: { requestsPerTaskCapacity: sim.capacityPerTask, requestsTargetPercent, preScaling },
  });
}
