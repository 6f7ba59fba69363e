// A watched service (SPEC C1): where it runs on ECS, what to measure, its targets and limits.
import { z } from 'zod';
import { autopilotModeSchema, serviceIdSchema } from './common';

const percent = z.number().gt(0).lte(100);

/** Any CloudWatch metric, fetched with GetMetricData alongside the ECS utilisation metrics. */
export const customMetricSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'must be a lowercase identifier like queue_depth'),
  namespace: z.string().min(1),
  name: z.string().min(1),
  dimensions: z.record(z.string(), z.string()).default({}),
  statistic: z
    .enum(['Average', 'Sum', 'Minimum', 'Maximum', 'SampleCount', 'p50', 'p90', 'p95', 'p99'])
    .default('Average'),
});
export type CustomMetric = z.infer<typeof customMetricSchema>;

export const serviceTargetsSchema = z
  .strictObject({
    /** CPU utilisation (%) the scaler aims for. */
    cpu: percent.default(70),
    /** Memory utilisation (%) the scaler aims for. */
    memory: percent.default(75),
  })
  .prefault({});

export const serviceSchema = z
  .strictObject({
    id: serviceIdSchema,
    name: z.string().min(1).max(100),
    type: z.enum(['web', 'api', 'worker', 'other']).default('web'),
    description: z.string().max(500).default(''),
    ecs: z.strictObject({
      cluster: z.string().min(1),
      service: z.string().min(1),
    }),
    minTasks: z.number().int().min(0).default(1),
    maxTasks: z.number().int().min(1).default(10),
    targets: serviceTargetsSchema,
    metrics: z.array(customMetricSchema).default([]),
    mode: autopilotModeSchema.default('auto'),
  })
  .refine((s) => s.minTasks <= s.maxTasks, {
    message: 'minTasks must not exceed maxTasks',
    path: ['minTasks'],
  });
export type Service = z.infer<typeof serviceSchema>;
export type ServiceInput = z.input<typeof serviceSchema>;
