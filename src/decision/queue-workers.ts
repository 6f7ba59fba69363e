// Queue-worker sizing (SPEC X3): Little's law on the arrivals, plus enough to drain the backlog.
import type { QueueWorkerSettings } from './scaling-config';

/**
 * workers = arrival rate × processing time ÷ target utilisation, plus the workers that would
 * drain the current backlog within backlogDrainSeconds.
 */
export function queueWorkersNeeded(
  arrivalRatePerSecond: number,
  backlog: number,
  settings: QueueWorkerSettings,
): number {
  const steady = (arrivalRatePerSecond * settings.processingSeconds) / settings.targetUtilisation;
  const drain =
    (Math.max(0, backlog) * settings.processingSeconds) /
    (settings.backlogDrainSeconds * settings.targetUtilisation);
  return Math.ceil(steady + drain - 1e-9);
}
