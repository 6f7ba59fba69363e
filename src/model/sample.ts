// One observation of a service at one minute: its metric values and its ECS state (SPEC C2, C3).
import { z } from 'zod';
import { isoTimestampSchema, serviceIdSchema } from './common';

export const ecsStateSchema = z.object({
  desiredCount: z.number().int().min(0),
  runningCount: z.number().int().min(0),
  pendingCount: z.number().int().min(0),
  taskDefinition: z.string(),
  deployments: z.number().int().min(0),
  rolloutState: z.string().nullable(),
  lastDeploymentAt: isoTimestampSchema.nullable(),
});
export type EcsState = z.infer<typeof ecsStateSchema>;

export const sampleSchema = z.object({
  serviceId: serviceIdSchema,
  at: isoTimestampSchema,
  /** metric id → value; null when the source had no datapoint for this minute. */
  metrics: z.record(z.string(), z.number().nullable()),
  ecs: ecsStateSchema.nullable(),
});
export type Sample = z.infer<typeof sampleSchema>;
