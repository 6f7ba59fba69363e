// A watched service (SPEC C1): where it runs on ECS, what to measure, its targets and limits.
import { z } from 'zod';
import { autopilotModeSchema, serviceIdSchema, storableNumber } from './common';
import { metricUnitSchema } from './metric-unit';
import { notificationRoutingSchema } from './notification-routing';
import { policiesSchema } from './policy';
import { checkRunbookReferences, runbooksSchema } from './runbook';
import { scalingConfigSchema } from './scaling-settings';

const percent = storableNumber().gt(0).lte(100);

/**
 * Any CloudWatch metric, fetched with GetMetricData alongside the ECS utilisation metrics, and
 * converted from its `unit` once as it arrives (seconds → ms, a per-minute Sum → per second, …).
 */
export const customMetricSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'must be a lowercase identifier like queue_depth'),
  namespace: z.string().min(1),
  name: z.string().min(1),
  dimensions: z.record(z.string(), z.string()).default({}),
  statistic: z
    .enum(['Average', 'Sum', 'Minimum', 'Maximum', 'SampleCount', 'p50', 'p90', 'p95', 'p99'])
    .default('Average'),
  unit: metricUnitSchema.default('none'),
});
export type CustomMetric = z.infer<typeof customMetricSchema>;

/**
 * A dependency the probe function checks every minute (SPEC C4): its API, a database's health
 * endpoint, a payment or AI provider. Header values come from SSM parameters, so no secret sits in
 * the configuration.
 */
export const dependencySchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9_-]{0,39}$/, 'must be a lowercase name like payments'),
  url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
  method: z.enum(['GET', 'HEAD', 'POST']).default('GET'),
  expectStatus: z.number().int().min(100).max(599).default(200),
  /** Text the response body must contain. */
  bodyMatch: z.string().min(1).max(200).optional(),
  timeoutMs: z.number().int().min(100).max(30_000).default(5000),
  /** Header → SSM parameter name holding its value (SecureString allowed). */
  headersFromSsm: z.record(z.string().min(1), z.string().min(1)).default({}),
});
export type Dependency = z.infer<typeof dependencySchema>;

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
    /**
     * The ALB target group in front of the service, when ECS does not show it (DescribeServices'
     * loadBalancers are discovered): latency_p95, requests, errors_5xx and error_rate come from it.
     */
    targetGroupArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:elasticloadbalancing:[^:]*:[^:]*:targetgroup\/[^/]+\/[^/]+$/, {
        message: 'must be an ELBv2 target group ARN (…:targetgroup/<name>/<id>)',
      })
      .optional(),
    /** Probed every minute: probe_latency_ms, availability, probe_failures (SPEC C4). */
    dependencies: z.array(dependencySchema).max(20).default([]),
    /** Metric sources beyond CloudWatch, read in the same tick. */
    sources: z.strictObject({ prometheus: prometheusSourceSchema.optional() }).optional(),
    mode: autopilotModeSchema.default('auto'),
    /** Conditions → allowed actions, with priority (SPEC X2); defaults when absent. */
    policies: policiesSchema,
    /** The team's own remediation, allowed by a policy as `runbook:<name>` (SPEC X7). */
    runbooks: runbooksSchema,
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
  })
  .superRefine(checkRunbookReferences);
export type Service = z.infer<typeof serviceSchema>;
export type ServiceInput = z.input<typeof serviceSchema>;
