// Whether a service's CloudWatch series are due this tick. GetMetricData is priced per metric
// requested, not per datapoint, so a calm service is read every `calmEveryMinutes` with all the
// points since its last read in one call; a hot service (a recent anomaly, a metric near a target
// or threshold, a recent scaling action or deployment) is read every minute. Pure: the worker keeps
// the memory in the service's model item and passes the tick's time in. A service's sentinel alarm
// (sentinel-alarm.ts) wakes it between calm reads: the wake marks it hot like an anomaly does.
import type { EcsState, Service } from '../model';

export interface CadenceSettings {
  /** A calm service's series are read every this many minutes (1 = every tick). */
  calmEveryMinutes: number;
  /** An anomaly or scaling action keeps the service hot for this many minutes. */
  hotForMinutes: number;
  /** A metric within this many % (relative) of its target counts as near it. */
  nearTargetPercent: number;
}

/**
 * The shipped cadence, chosen on the cost frontier (docs/benchmarks/cost.md): calm reads every 15
 * minutes with the sentinel alarm waking a service between them. The one place the default is set.
 */
export const defaultCadence: CadenceSettings = {
  calmEveryMinutes: 15,
  hotForMinutes: 15,
  nearTargetPercent: 10,
};

/** What the cadence remembers of a service between ticks (kept in its model item). */
export interface CadenceMemory {
  /** Epoch ms of the tick that last read the service's series. */
  lastReadAt: number | null;
  /** Epoch ms of the service's last anomaly found by the collector. */
  lastAnomalyAt: number | null;
  /** Epoch ms the desired count was last seen changing (a scaling action, by anyone). */
  lastScaleAt: number | null;
  desiredCount: number | null;
  /** The newest value of each series at the last read. */
  lastValues: Record<string, number>;
  /** Epoch ms of the last sentinel alarm that woke the service (its state change). */
  wokenAt?: number | null;
}

export const emptyCadence: CadenceMemory = {
  lastReadAt: null,
  lastAnomalyAt: null,
  lastScaleAt: null,
  desiredCount: null,
  lastValues: {},
  wokenAt: null,
};

export type ReadReason =
  | 'first-read'
  | 'calm-due'
  | 'anomaly'
  | 'sentinel'
  | 'scaling'
  | 'deployment'
  | 'near-target'
  | 'calm-not-due';

export interface ReadVerdict {
  due: boolean;
  hot: boolean;
  reason: ReadReason;
}

const MINUTE = 60_000;

/**
 * The thresholds a service's readings are judged against: its CPU and memory targets, and the
 * request-rate target when it scales on requests. Values in the canonical units samples use.
 */
export function targetsOf(service: Service): Record<string, number> {
  const targets: Record<string, number> = {
    cpu: service.targets.cpu,
    memory: service.targets.memory,
  };
  const perTask = service.scaling.requestsPerTaskCapacity;
  if (perTask !== undefined)
    targets.requests_per_task = (perTask * service.scaling.requestsTargetPercent) / 100;
  return targets;
}

function nearTarget(
  service: Service,
  memory: CadenceMemory,
  ecs: EcsState | null,
  percent: number,
): boolean {
  const values: Record<string, number> = { ...memory.lastValues };
  const tasks = ecs?.runningCount ?? memory.desiredCount ?? 0;
  if (values.requests !== undefined && tasks > 0)
    values.requests_per_task = values.requests / tasks;
  for (const [metric, target] of Object.entries(targetsOf(service))) {
    const value = values[metric];
    // At or above the target minus the margin: scaling out may be due, or close to it.
    if (value !== undefined && target > 0 && value >= target * (1 - percent / 100)) return true;
  }
  return false;
}

/** Is the service hot now, and why: anything that makes the next minute's reading matter. */
export function hotReason(
  service: Service,
  memory: CadenceMemory,
  ecs: EcsState | null,
  nowMs: number,
  settings: CadenceSettings,
): Exclude<ReadReason, 'first-read' | 'calm-due' | 'calm-not-due'> | null {
  const recent = (at: number | null) => at !== null && nowMs - at < settings.hotForMinutes * MINUTE;
  // The wake first: the most specific cause, and what an operator looks for after an alarm.
  if (recent(memory.wokenAt ?? null)) return 'sentinel';
  if (recent(memory.lastAnomalyAt)) return 'anomaly';
  if (recent(memory.lastScaleAt)) return 'scaling';
  if (ecs && memory.desiredCount !== null && ecs.desiredCount !== memory.desiredCount)
    return 'scaling';
  const deployedAt = ecs?.lastDeploymentAt ? Date.parse(ecs.lastDeploymentAt) : NaN;
  if (recent(Number.isFinite(deployedAt) ? deployedAt : null) || (ecs?.deployments ?? 0) > 1)
    return 'deployment';
  if (nearTarget(service, memory, ecs, settings.nearTargetPercent)) return 'near-target';
  return null;
}

/** Whether the service's series are read this tick. */
export function readVerdict(
  service: Service,
  memory: CadenceMemory | null,
  ecs: EcsState | null,
  nowMs: number,
  settings: CadenceSettings,
): ReadVerdict {
  if (!memory || memory.lastReadAt === null) return { due: true, hot: false, reason: 'first-read' };
  const hot = hotReason(service, memory, ecs, nowMs, settings);
  if (hot) return { due: true, hot: true, reason: hot };
  // Half a minute of slack: a tick that fires a few seconds early still counts as its minute.
  const due = nowMs - memory.lastReadAt >= settings.calmEveryMinutes * MINUTE - MINUTE / 2;
  return { due, hot: false, reason: due ? 'calm-due' : 'calm-not-due' };
}

/** The memory after a tick: what was read, what changed, what was found. */
export function nextMemory(
  previous: CadenceMemory | null,
  tick: {
    nowMs: number;
    read: boolean;
    ecs: EcsState | null;
    latest: Record<string, number>;
    anomalyAt: number | null;
  },
): CadenceMemory {
  const prev = previous ?? emptyCadence;
  const desired = tick.ecs?.desiredCount ?? prev.desiredCount;
  const scaled = prev.desiredCount !== null && desired !== null && desired !== prev.desiredCount;
  return {
    lastReadAt: tick.read ? tick.nowMs : prev.lastReadAt,
    lastAnomalyAt: tick.anomalyAt ?? prev.lastAnomalyAt,
    lastScaleAt: scaled ? tick.nowMs : prev.lastScaleAt,
    desiredCount: desired,
    lastValues: { ...prev.lastValues, ...tick.latest },
    wokenAt: prev.wokenAt ?? null,
  };
}
