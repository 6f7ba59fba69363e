// A point the detector judged anomalous, with what it expected instead (SPEC D3).
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
});
export type Anomaly = z.infer<typeof anomalySchema>;

export function anomalyId(serviceId: string, metric: string, at: string): string {
  return `${serviceId}~${at}~${metric}`;
}
