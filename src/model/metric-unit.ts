// Units of a configured metric and their conversion into the unit vigia reasons in, applied once, at
// the source: latencies in ms, rates per second, shares in %, sizes in MB. A CloudWatch metric in
// seconds or a per-minute Sum would otherwise be compared with thresholds meant for ms or per second
// (ALB TargetResponseTime is in seconds, so `latency_p95 > 2s` could never match).
import { z } from 'zod';

/** What the source reports; each converts to the canonical unit beside it. */
export const metricUnits = {
  /** Taken as is. */
  none: { to: '', factor: 1 },
  percent: { to: '%', factor: 1 },
  /** A share 0..1 → %. */
  fraction: { to: '%', factor: 100 },
  milliseconds: { to: 'ms', factor: 1 },
  seconds: { to: 'ms', factor: 1000 },
  microseconds: { to: 'ms', factor: 1 / 1000 },
  /** Per second already (CloudWatch's Count/Second). */
  'per-second': { to: '/s', factor: 1 },
  /** A Sum over a one-minute period (ALB RequestCount, SQS NumberOfMessagesSent) → per second. */
  'per-minute': { to: '/s', factor: 1 / 60 },
  /** Sizes in MB (10^6 bytes, as CloudWatch's Megabytes). */
  bytes: { to: 'MB', factor: 1 / 1_000_000 },
  kilobytes: { to: 'MB', factor: 1 / 1000 },
  megabytes: { to: 'MB', factor: 1 },
  gigabytes: { to: 'MB', factor: 1000 },
} as const;

export type MetricUnit = keyof typeof metricUnits;

export const metricUnitSchema = z.enum(Object.keys(metricUnits) as [MetricUnit, ...MetricUnit[]]);

/** A value in the source's unit → the same value in vigia's unit for it. */
export function toCanonicalUnit(unit: MetricUnit, value: number): number {
  return value * metricUnits[unit].factor;
}
