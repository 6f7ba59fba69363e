// Ratio-to-target proposals (SPEC X3): one task count per signal, the highest wins.
import type { ScalingConfig } from './scaling-config';
import { queueWorkersNeeded } from './queue-workers';

/** What the service looks like now, as the latest one-minute sample reports it. */
export interface ScalingInput {
  /** ECS desired count: what was last asked for. */
  desiredCount: number;
  /** Tasks that produced the metrics below. */
  runningCount: number;
  /** Tasks asked for and still starting. */
  pendingCount: number;
  /**
   * Tasks that produced the per-task metrics below (e.g. the datapoint's average running count).
   * Datapoints arrive a minute or two late: tasks that started serving since then did not shape
   * them, and multiplying a stale per-task value by today's count would over-scale. Defaults to
   * runningCount.
   */
  metricTaskCount?: number | null;
  /** Average CPU and memory utilisation across running tasks, percent. */
  cpu?: number | null;
  memory?: number | null;
  /** Requests per second per running task, as arrived at the load balancer. */
  requestsPerTask?: number | null;
  /** Queue workers: messages arriving per second and messages waiting. */
  queue?: { arrivalRatePerSecond: number; backlog: number } | null;
  /** Expected total requests per second for each of the next minutes (detector forecast). */
  forecastRequestRate?: readonly number[] | null;
  /** Upper edge of the forecast's band for the same minutes (e.g. 95%), when the detector has one. */
  forecastRequestRateUpper?: readonly number[] | null;
}

/**
 * The ScalingInput for a service-wide reading: utilisation as measured, and requests per second for
 * the whole service turned into requests per task of the tasks that produced them.
 */
export function scalingInputFrom(
  counts: { desiredCount: number; runningCount: number; pendingCount: number },
  load: {
    cpu?: number | null;
    memory?: number | null;
    requests?: number | null;
    /** Queue workers: messages waiting, and arriving per second (0 when unknown). */
    queue_backlog?: number | null;
    queue_arrivals?: number | null;
  },
  producers: number,
  forecast: { expected: number[]; upper: number[] } | null | undefined,
): ScalingInput {
  return {
    ...counts,
    metricTaskCount: producers,
    cpu: load.cpu ?? null,
    memory: load.memory ?? null,
    requestsPerTask: load.requests != null && producers > 0 ? load.requests / producers : null,
    queue:
      load.queue_backlog != null
        ? { backlog: load.queue_backlog, arrivalRatePerSecond: load.queue_arrivals ?? 0 }
        : null,
    forecastRequestRate: forecast?.expected ?? null,
    forecastRequestRateUpper: forecast?.upper ?? null,
  };
}

export interface MetricProposal {
  signal: 'cpu' | 'memory' | 'requests' | 'queue' | 'forecast' | 'forecast-band';
  desired: number;
  /** value ÷ target, for the explanation. */
  ratio: number;
}

/** ceil(running × value ÷ target), unless the ratio is within the tolerance band. */
export function ratioProposal(
  input: Pick<ScalingInput, 'desiredCount' | 'runningCount' | 'metricTaskCount'>,
  value: number,
  target: number,
  tolerance: number,
): { desired: number; ratio: number } {
  const ratio = value / target;
  if (Math.abs(ratio - 1) <= tolerance) return { desired: input.desiredCount, ratio };
  const measuredBy =
    input.metricTaskCount != null && input.metricTaskCount > 0
      ? input.metricTaskCount
      : input.runningCount;
  // A tiny epsilon keeps 70.0000001/70 from asking for a whole extra task.
  return { desired: Math.ceil(measuredBy * ratio - 1e-9), ratio };
}

export function metricProposals(input: ScalingInput, config: ScalingConfig): MetricProposal[] {
  const proposals: MetricProposal[] = [];
  const measured = input.runningCount > 0;
  if (measured && input.cpu != null) {
    proposals.push({
      signal: 'cpu',
      ...ratioProposal(input, input.cpu, config.targets.cpu, config.tolerance),
    });
  }
  if (measured && input.memory != null) {
    proposals.push({
      signal: 'memory',
      ...ratioProposal(input, input.memory, config.targets.memory, config.tolerance),
    });
  }
  const requestTarget = requestTargetPerTask(config);
  if (measured && input.requestsPerTask != null && requestTarget !== null) {
    proposals.push({
      signal: 'requests',
      ...ratioProposal(input, input.requestsPerTask, requestTarget, config.tolerance),
    });
  }
  if (input.queue && config.queue) {
    const desired = queueWorkersNeeded(
      input.queue.arrivalRatePerSecond,
      input.queue.backlog,
      config.queue,
    );
    proposals.push({
      signal: 'queue',
      desired,
      ratio: input.desiredCount > 0 ? desired / input.desiredCount : Infinity,
    });
  }
  proposals.push(...forecastProposals(input, config));
  return proposals;
}

function requestTargetPerTask(config: ScalingConfig): number | null {
  if (config.requestsPerTaskCapacity === undefined) return null;
  return (config.requestsPerTaskCapacity * config.requestsTargetPercent) / 100;
}

/**
 * Pre-scaling: tasks take minutes to start, so size for the highest load expected before a task
 * asked for now could serve. The expected load gets the usual headroom ('forecast'); the band's
 * upper edge must merely fit under the ceiling ('forecast-band'), so volatile series get more
 * headroom and calm ones none extra. Both only ever raise or hold the count: a forecast dip is not
 * trusted to remove capacity that is serving now, but scale-in stops at what the forecast needs.
 */
function forecastProposals(input: ScalingInput, config: ScalingConfig): MetricProposal[] {
  const target = requestTargetPerTask(config);
  const expected = input.forecastRequestRate;
  if (!config.preScaling.enabled || target === null || !expected || expected.length === 0) {
    return [];
  }
  const lead = config.preScaling.leadMinutes;
  const horizon = expected.slice(0, lead).filter(Number.isFinite);
  if (horizon.length === 0) return [];
  const out: MetricProposal[] = [];
  // `ratio` is the load per task over what a task should carry, as for the measured signals: the
  // count rounded up is what the plan asks, not how far past its target the load is.
  const push = (signal: 'forecast' | 'forecast-band', load: number, perTask: number) => {
    const needed = Math.ceil(load / perTask - 1e-9);
    const ratio = input.desiredCount > 0 ? load / (perTask * input.desiredCount) : Infinity;
    if (needed > input.desiredCount && needed / input.desiredCount - 1 > config.tolerance) {
      out.push({ signal, desired: needed, ratio });
    } else {
      // Not enough to act on, but what the forecast needs still holds: scale-in stops there. Left
      // out, a band that asked for 6 tasks a minute ago let CPU scale in to 4 now, and the band
      // asked for 6 again the minute after — a ping-pong (issue 18: most of CloudWatch's actions).
      out.push({ signal, desired: Math.min(needed, input.desiredCount), ratio });
    }
  };
  push('forecast', Math.max(...horizon), target);
  const upper = (input.forecastRequestRateUpper ?? []).slice(0, lead).filter(Number.isFinite);
  if (config.preScaling.band && upper.length > 0 && config.requestsPerTaskCapacity !== undefined) {
    const ceiling = (config.requestsPerTaskCapacity * config.preScaling.ceilingPercent) / 100;
    push('forecast-band', Math.max(...upper), ceiling);
  }
  return out;
}
