// One measurement of a service's load that target scaling sizes it on: the collector's minute
// sample, or what the service pushed through POST /metrics (SPEC C5) — every few seconds if it likes.
import { z } from 'zod';
import { isoTimestampSchema, serviceIdSchema } from './common';

const percentValue = z.number().finite().min(0);

export const scalingReadingSchema = z.object({
  serviceId: serviceIdSchema,
  /** End of the window the values were measured over. */
  at: isoTimestampSchema,
  source: z.enum(['sample', 'pushed']),
  /** Average CPU and memory utilisation across the tasks, %. */
  cpu: percentValue.nullable().optional(),
  memory: percentValue.nullable().optional(),
  /** Requests per second arriving at the whole service. */
  requests: z.number().finite().min(0).nullable().optional(),
  /** Tasks that produced the values, when the reporter knows. */
  tasks: z.number().finite().min(0).nullable().optional(),
});
export type ScalingReading = z.infer<typeof scalingReadingSchema>;

/** The pushed metric names target scaling reads. */
export const scalingMetricNames = ['cpu', 'memory', 'requests', 'tasks'] as const;
