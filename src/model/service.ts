// A watched service (SPEC C1): where it runs on ECS, what to measure, its targets and limits.
import { z } from 'zod';
import { autopilotModeSchema, serviceIdSchema, storableNumber } from './common';
import { notificationRoutingSchema } from './notification-routing';
import { policiesSchema } from './policy';
import { scalingConfigSchema } from './scaling-settings';

const percent = storableNumber().gt(0).lte(100);

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

/**
 * SPEC C6: one PromQL query per metric against a Prometheus HTTP API, each returning one series
 * (aggregate with sum(...) when it would return several). Credentials live in SSM, never here.
 */
export const prometheusSourceSchema = z.strictObject({
  /** The server's base URL, e.g. http://prometheus.internal:9090 (the API is under /api/v1). */
  url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
  queries: z
    .record(customMetricSchema.shape.id, z.string().trim().min(1).max(4000))
    .refine((q) => Object.keys(q).length > 0, 'must name at least one metric')
    .refine((q) => Object.keys(q).length <= 20, 'at most 20 metrics per service'),
  auth: z
    .union([
      z.strictObject({ bearerSsmParameter: z.string().min(1) }),
      z.strictObject({
        basic: z.strictObject({
          username: z.string().min(1),
          passwordSsmParameter: z.string().min(1),
        }),
      }),
    ])
    .optional(),
  /** Longest wait for one query's answer; a slow server fails this service's queries alone. */
  timeoutSeconds: z.number().int().min(1).max(30).default(5),
});
export type PrometheusSourceConfig = z.infer<typeof prometheusSourceSchema>;

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
    /** Metric sources beyond CloudWatch, read in the same tick. */
    sources: z.strictObject({ prometheus: prometheusSourceSchema.optional() }).optional(),
    mode: autopilotModeSchema.default('auto'),
    /** Conditions → allowed actions, with priority (SPEC X2); defaults when absent. */
    policies: policiesSchema,
    /** Tolerance, step limits, cooldowns, stabilisation, queue workers, pre-scaling (SPEC X3). */
    scaling: scalingConfigSchema,
    /**
     * Cap on actions anomaly decisions take on this service in any sliding hour (SPEC X6); target
     * scaling has its own, scaling.maxActionsPerHour.
     */
    maxActionsPerHour: z.number().int().min(1).max(120).default(6),
    /** An anomaly starting within this long after a deployment is blamed on the deployment. */
    deployWindowMinutes: z.number().int().min(1).max(1440).default(30),
    /** How long after an action its outcome is judged (SPEC X5), in minutes of data time. */
    verifyAfterMinutes: z.number().int().min(1).max(120).default(5),
    /** Receivers per severity (email, SMS, Slack, Teams, PagerDuty, Opsgenie, webhook); docs/alerts.md. */
    notifications: notificationRoutingSchema.optional(),
  })
  .refine((s) => s.minTasks <= s.maxTasks, {
    message: 'minTasks must not exceed maxTasks',
    path: ['minTasks'],
  });
export type Service = z.infer<typeof serviceSchema>;
export type ServiceInput = z.input<typeof serviceSchema>;
