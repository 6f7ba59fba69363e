// Realistic metrics for the demo fleet: a daily load curve with noise, CPU that follows load per task
// (so scaling out visibly helps), steady memory, and an injectable load spike.
import {
  PutMetricDataCommand,
  CloudWatchClient,
  type MetricDatum,
} from '@aws-sdk/client-cloudwatch';
import type { Service } from '../../src/model';
import { localClientConfig } from './local-stack';

export interface LoadSpike {
  serviceId: string;
  fromMinute: number;
  toMinute: number;
  /** Load multiplier during the spike. */
  factor: number;
}

/** Deterministic noise in [-1, 1] from a service and a minute (no Math.random: replayable). */
function noise(seed: string, minute: number): number {
  let h = 2166136261 ^ minute;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619);
  h = Math.imul(h ^ (h >>> 15), 2246822507);
  h = Math.imul(h ^ (h >>> 13), 3266489909);
  return (((h ^ (h >>> 16)) >>> 0) / 4294967295) * 2 - 1;
}

/** CPU % a service shows at a minute, given its task count: load is shared by the tasks. */
export function demoCpu(
  service: Service,
  epochMinute: number,
  tasks: number,
  spikes: LoadSpike[],
): number {
  const dayPhase = ((epochMinute % 1440) / 1440) * 2 * Math.PI;
  const baseLoad = 70 * (1 + 0.15 * Math.sin(dayPhase)); // "task-percent" of work, ~35% on 2 tasks
  const spike = spikes.find(
    (s) => s.serviceId === service.id && epochMinute >= s.fromMinute && epochMinute <= s.toMinute,
  );
  const load = baseLoad * (spike?.factor ?? 1) * (1 + 0.04 * noise(service.id, epochMinute));
  return Math.min(100, Math.max(1, load / Math.max(1, tasks)));
}

export function demoMemory(service: Service, epochMinute: number): number {
  return 48 + 3 * noise(`${service.id}-mem`, epochMinute);
}

export class DemoMetricsFeeder {
  private readonly cloudwatch: CloudWatchClient;
  readonly spikes: LoadSpike[] = [];

  constructor(
    endpoint: string,
    private readonly services: readonly Service[],
  ) {
    // moto cannot read the gzip bodies the SDK sends for large PutMetricData requests.
    this.cloudwatch = new CloudWatchClient({
      ...localClientConfig(endpoint),
      disableRequestCompression: true,
    });
  }

  datums(epochMinute: number, tasks: Map<string, number>): MetricDatum[] {
    const timestamp = new Date(epochMinute * 60_000);
    return this.services.flatMap((s) => {
      const dims = [
        { Name: 'ClusterName', Value: s.ecs.cluster },
        { Name: 'ServiceName', Value: s.ecs.service },
      ];
      return [
        {
          MetricName: 'CPUUtilization',
          Dimensions: dims,
          Timestamp: timestamp,
          Unit: 'Percent',
          Value: demoCpu(s, epochMinute, tasks.get(s.id) ?? 2, this.spikes),
        },
        {
          MetricName: 'MemoryUtilization',
          Dimensions: dims,
          Timestamp: timestamp,
          Unit: 'Percent',
          Value: demoMemory(s, epochMinute),
        },
      ] satisfies MetricDatum[];
    });
  }

  async put(datums: MetricDatum[]) {
    for (let i = 0; i < datums.length; i += 500) {
      await this.cloudwatch.send(
        new PutMetricDataCommand({ Namespace: 'AWS/ECS', MetricData: datums.slice(i, i + 500) }),
      );
    }
  }

  /** History for minutes [from, to), so the detectors warm up from it on their first tick. */
  async backfill(fromMinute: number, toMinute: number, tasks: Map<string, number>) {
    const datums: MetricDatum[] = [];
    for (let m = fromMinute; m < toMinute; m++) datums.push(...this.datums(m, tasks));
    await this.put(datums);
  }
}
