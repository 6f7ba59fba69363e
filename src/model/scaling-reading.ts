// One measurement of a service's load that target scaling sizes it on: the collector's minute
// sample, or what the service pushed through POST /metrics (SPEC C5) — every few seconds if it likes.
import { z } from 'zod';
import { isoTimestampSchema, serviceIdSchema, storableNumber } from './common';

/**
 * ECS reports utilisation as a percentage of what the task definition reserves. On Fargate the
 * reservation is a hard limit, so 100 at most; on EC2 a task may burst above its CPU units into what
 * the instance has free (ECS's own example: 512 units alone on a 2,048-unit instance report 400%),
 * and above a soft memoryReservation. Ten times the reservation is beyond any sane deployment; a
 * larger value is a broken reporter, and would size the service to its maximum at once.
 */
export const MAX_UTILISATION_PERCENT = 1000;

const utilisation = storableNumber()
  .min(0, 'must not be negative')
  .max(MAX_UTILISATION_PERCENT, `must be at most ${MAX_UTILISATION_PERCENT} (%)`);

/** The bounds of each load value a reading carries, by pushed metric name. */
export const scalingValueSchemas = {
  /** Average CPU and memory utilisation across the tasks, %. */
  cpu: utilisation,
  memory: utilisation,
  /** Requests per second arriving at the whole service. */
  requests: storableNumber().min(0, 'must not be negative'),
  /** Queue workers: messages waiting (visible and in flight) and arriving per second. */
  queue_backlog: storableNumber().min(0, 'must not be negative'),
  queue_arrivals: storableNumber().min(0, 'must not be negative'),
  /** Tasks that produced the values, when the reporter knows: no values come from no task. */
  tasks: z
    .number()
    .int('must be a whole number of tasks')
    .min(1, 'must be at least 1: the tasks that produced the values'),
} as const;

export const scalingReadingSchema = z.object({
  serviceId: serviceIdSchema,
  /** End of the window the values were measured over. */
  at: isoTimestampSchema,
  source: z.enum(['sample', 'pushed']),
  cpu: scalingValueSchemas.cpu.nullable().optional(),
  memory: scalingValueSchemas.memory.nullable().optional(),
  requests: scalingValueSchemas.requests.nullable().optional(),
  tasks: scalingValueSchemas.tasks.nullable().optional(),
  queue_backlog: scalingValueSchemas.queue_backlog.nullable().optional(),
  queue_arrivals: scalingValueSchemas.queue_arrivals.nullable().optional(),
});
export type ScalingReading = z.infer<typeof scalingReadingSchema>;

/** The pushed metric names target scaling reads. */
export const scalingMetricNames = [
  'cpu',
  'memory',
  'requests',
  'tasks',
  'queue_backlog',
  'queue_arrivals',
] as const;
