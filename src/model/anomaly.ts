// A point the detector judged anomalous, with what it expected instead (SPEC D3); or a policy's
// static threshold that held, a forecast breach, an outage (0 tasks running) that the watch
// consumer raised: the same shape, so decide and notify treat them alike.
import { z } from 'zod';
import { directionSchema, isoTimestampSchema, serviceIdSchema, severitySchema } from './common';

export const anomalySchema = z.object({
  id: z.string().min(1),
  serviceId: serviceIdSchema,
  metric: z.string().min(1),
  at: isoTimestampSchema,
  value: z.number(),
  score: z.number().min(0).max(1),
  direction: directionSchema,
  expected: z.number().nullable(),
  lower: z.number().nullable(),
  upper: z.number().nullable(),
  severity: severitySchema,
  explanation: z.string(),
  /** The raw robust z of the value (residual from `expected` over the robust sigma); absent on
   *  anomalies recorded before it existed. */
  zScore: z.number().nullable().optional(),
  /** ECS desired count when the anomaly was seen: the base of a scaling decision. */
  desiredCount: z.number().int().min(0).nullable(),
  /** Who raised it: the detector (absent on older items), a policy threshold, a forecast, an outage. */
  source: z.enum(['detector', 'threshold', 'forecast', 'outage']).optional(),
  /** The policy whose threshold held (source 'threshold'). */
  policy: z.string().min(1).optional(),
  /** Minutes until the metric reaches its limit (source 'forecast'). */
  minutesToBreach: z.number().min(0).optional(),
});
export type Anomaly = z.infer<typeof anomalySchema>;

export function anomalyId(serviceId: string, metric: string, at: string): string {
  return `${serviceId}~${at}~${metric}`;
}

/**
 * What tells anomalies of one minute apart in the store: the metric, plus the policy or the source
 * for the watch consumer's, so a threshold that held and the detector's anomaly on the same metric
 * in the same minute are both kept.
 */
export function anomalyKeyPart(anomaly: Pick<Anomaly, 'metric' | 'source' | 'policy'>): string {
  if (anomaly.source === 'threshold' && anomaly.policy)
    return `${anomaly.metric}~${anomaly.policy}`;
  if (anomaly.source === 'forecast' || anomaly.source === 'outage') {
    return `${anomaly.metric}~${anomaly.source}`;
  }
  return anomaly.metric;
}
