// Pushed metrics (SPEC C5): what POST /metrics accepts, and how stored points become the metric
// batch the collector merges into its next tick.
import { z } from 'zod';
import {
  isoTimestampSchema,
  scalingMetricNames,
  serviceIdSchema,
  type ScalingReading,
} from '../model';
import type { MetricBatch } from '../ports';

export const pushedMetricNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,39}$/, 'must be a lowercase identifier like active_users');

export const metricsPushSchema = z.strictObject({
  serviceId: serviceIdSchema,
  /** When the values were measured; defaults to the time the request arrives. */
  at: isoTimestampSchema.optional(),
  metrics: z
    .record(pushedMetricNameSchema, z.number().finite())
    .refine((m) => Object.keys(m).length > 0, 'must hold at least one metric')
    .refine((m) => Object.keys(m).length <= 50, 'must hold at most 50 metrics'),
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

/**
 * A push that carries load (cpu, memory or requests; tasks optionally) is also a reading for target
 * scaling, measured at the push's `at`; or the reason one of those values is refused.
 */
export function scalingReadingOf(
  push: MetricsPush,
  now: Date,
): { reading: ScalingReading | null } | { error: { path: string; message: string } } {
  const values = scalingMetricNames.flatMap((name) => {
    const v = push.metrics[name];
    return v === undefined ? [] : [[name, v] as const];
  });
  const negative = values.find(([, v]) => v < 0);
  if (negative) {
    return { error: { path: `metrics.${negative[0]}`, message: 'must not be negative' } };
  }
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
