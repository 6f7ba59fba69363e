// Pushed metrics (SPEC C5): what POST /metrics accepts, and how stored points become the metric
// batch the collector merges into its next tick.
import { z } from 'zod';
import {
  isStorableNumber,
  isoTimestampSchema,
  scalingMetricNames,
  scalingValueSchemas,
  serviceIdSchema,
  storableNumber,
  type ScalingReading,
} from '../model';
import type { MetricBatch } from '../ports';

export const pushedMetricNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,39}$/, 'must be a lowercase identifier like active_users');

/**
 * The names the seed systems push, as documented aliases of the canonical metric ids the policies,
 * the diagnosis and target scaling read; a push is stored under the canonical name.
 */
export const pushedMetricAliases: Readonly<Record<string, string>> = {
  cpu_usage: 'cpu',
  memory_usage: 'memory',
  response_time_ms: 'latency_p95',
};

/** Canonical metrics that cannot be negative besides the load values (a count, a time, a share). */
const nonNegativeMetrics: Readonly<Record<string, z.ZodType<number>>> = {
  latency_p95: storableNumber().min(0, 'must not be negative'),
  errors_5xx: storableNumber().min(0, 'must not be negative'),
  /** A ready-made error rate is in %, as the policies read it (error_rate >= 10%). */
  error_rate: storableNumber().min(0, 'must not be negative').max(100, 'must be at most 100 (%)'),
};

/**
 * Every value is checked before anything is stored, so a push is refused whole or stored whole:
 * each must be a number DynamoDB can hold, and the load values target scaling sizes on (cpu, memory,
 * requests, tasks) must also be plausible, since one reading can move the service at once. Issues
 * name the field as sent (an alias included); the parsed push carries canonical names.
 */
export const metricsPushSchema = z.strictObject({
  serviceId: serviceIdSchema,
  /** When the values were measured; defaults to the time the request arrives. */
  at: isoTimestampSchema.optional(),
  metrics: z
    .record(pushedMetricNameSchema, storableNumber())
    .refine((m) => Object.keys(m).length > 0, 'must hold at least one metric')
    .refine((m) => Object.keys(m).length <= 50, 'must hold at most 50 metrics')
    .superRefine((metrics, ctx) => {
      for (const issue of pushedValueIssues(metrics)) {
        // A value DynamoDB cannot hold is already reported once, by the record's value schema.
        if (!isStorableNumber(metrics[issue.name]!)) continue;
        ctx.addIssue({ code: 'custom', path: [issue.name], message: issue.message });
      }
    })
    .transform(canonicalMetrics),
});
export type MetricsPush = z.infer<typeof metricsPushSchema>;

export interface PushedPoint {
  serviceId: string;
  metric: string;
  /** The minute the value belongs to, ISO with seconds zeroed (the collector's tick grid). */
  minute: string;
  value: number;
  pushedAt: string;
}

const MAX_FUTURE_MS = 5 * 60_000;
const MAX_AGE_MS = 24 * 3_600_000;

export function minuteOf(at: Date): string {
  const d = new Date(at.getTime());
  d.setUTCSeconds(0, 0);
  return d.toISOString();
}

/** The points to store, or the reason the timestamp is refused (a field-level message). */
export function pushedPoints(
  push: MetricsPush,
  now: Date,
): { points: PushedPoint[] } | { error: { path: string; message: string } } {
  const at = push.at ? new Date(push.at) : now;
  if (at.getTime() > now.getTime() + MAX_FUTURE_MS) {
    return { error: { path: 'at', message: 'must not be more than 5 minutes in the future' } };
  }
  if (at.getTime() < now.getTime() - MAX_AGE_MS) {
    return { error: { path: 'at', message: 'must not be more than 24 hours in the past' } };
  }
  const minute = minuteOf(at);
  return {
    points: Object.entries(push.metrics).map(([metric, value]) => ({
      serviceId: push.serviceId,
      metric,
      minute,
      value,
      pushedAt: now.toISOString(),
    })),
  };
}

/** A push's metrics under their canonical names. */
export function canonicalMetrics(
  metrics: Readonly<Record<string, number>>,
): Record<string, number> {
  return Object.fromEntries(
    Object.entries(metrics).map(([name, v]) => [pushedMetricAliases[name] ?? name, v]),
  );
}

/** Bounds of the canonical values, and an alias sent beside its canonical name (which one wins?). */
function pushedValueIssues(metrics: Readonly<Record<string, number>>) {
  const issues = scalingValueIssues(canonicalMetrics(metrics)).map((issue) => ({
    ...issue,
    name: sentName(metrics, issue.name),
  }));
  for (const [name, value] of Object.entries(metrics)) {
    const canonical = pushedMetricAliases[name] ?? name;
    if (canonical !== name && canonical in metrics) {
      issues.push({ name, message: `is an alias of ${canonical}, which the push also holds` });
      continue;
    }
    const parsed = nonNegativeMetrics[canonical]?.safeParse(value);
    if (parsed && !parsed.success) issues.push({ name, message: parsed.error.issues[0]!.message });
  }
  return issues;
}

/** The name a canonical metric was sent under: itself, or its alias. */
function sentName(metrics: Readonly<Record<string, number>>, canonical: string): string {
  if (canonical in metrics) return canonical;
  return Object.keys(metrics).find((n) => pushedMetricAliases[n] === canonical) ?? canonical;
}

/** The first broken bound of each load value a push carries (one message per field). */
function scalingValueIssues(metrics: Readonly<Record<string, number>>) {
  return scalingMetricNames.flatMap((name) => {
    const value = metrics[name];
    if (value === undefined) return [];
    const parsed = scalingValueSchemas[name].safeParse(value);
    return parsed.success ? [] : [{ name, message: parsed.error.issues[0]!.message }];
  });
}

/**
 * A push that carries load (cpu, memory or requests; tasks optionally) is also a reading for target
 * scaling, measured at the push's `at`; or the reason one of those values is refused (the schema
 * refuses them first; this keeps a push built in code from bypassing the bounds).
 */
export function scalingReadingOf(
  push: MetricsPush,
  now: Date,
): { reading: ScalingReading | null } | { error: { path: string; message: string } } {
  const [refused] = scalingValueIssues(canonicalMetrics(push.metrics));
  if (refused) return { error: { path: `metrics.${refused.name}`, message: refused.message } };
  const values = scalingMetricNames.flatMap((name) => {
    const v = push.metrics[name];
    return v === undefined ? [] : [[name, v] as const];
  });
  if (!values.some(([name]) => name !== 'tasks')) return { reading: null };
  const reading: ScalingReading = {
    serviceId: push.serviceId,
    at: push.at ? new Date(push.at).toISOString() : now.toISOString(),
    source: 'pushed',
  };
  for (const [name, v] of values) reading[name] = v;
  return { reading };
}

/** Stored points → serviceId → metric → points in ascending time, one per minute (last push wins). */
export function mergePushedPoints(points: readonly PushedPoint[]): MetricBatch {
  const latest = new Map<string, PushedPoint>();
  for (const p of points) {
    const key = `${p.serviceId}\u0000${p.metric}\u0000${p.minute}`;
    const seen = latest.get(key);
    if (!seen || seen.pushedAt <= p.pushedAt) latest.set(key, p);
  }
  const batch: MetricBatch = new Map();
  for (const p of latest.values()) {
    const perService = batch.get(p.serviceId) ?? new Map();
    const series = perService.get(p.metric) ?? [];
    series.push({ timestamp: new Date(p.minute).getTime(), value: p.value });
    perService.set(p.metric, series);
    batch.set(p.serviceId, perService);
  }
  for (const perService of batch.values())
    for (const series of perService.values()) series.sort((a, b) => a.timestamp - b.timestamp);
  return batch;
}
