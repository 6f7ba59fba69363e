// What the autopilot chose to do about an anomaly, and where that choice is in its life (SPEC X4, X6).
import { z } from 'zod';
import { autopilotModeSchema, isoTimestampSchema, serviceIdSchema } from './common';

export const actionTypeSchema = z.enum(['scale-out', 'scale-in', 'restart', 'rollback', 'notify']);
export type ActionType = z.infer<typeof actionTypeSchema>;

/**
 * proposed  → waits for an operator (approve mode)
 * approved  → the scaler may execute it
 * executing → claimed by one scaler invocation
 * executed | failed | skipped | rejected → final
 */
export const decisionStatusSchema = z.enum([
  'proposed',
  'approved',
  'executing',
  'executed',
  'failed',
  'skipped',
  'rejected',
]);
export type DecisionStatus = z.infer<typeof decisionStatusSchema>;

export const decisionSchema = z.object({
  id: z.string().min(1),
  serviceId: serviceIdSchema,
  anomalyId: z.string().min(1),
  at: isoTimestampSchema,
  action: actionTypeSchema,
  fromCount: z.number().int().min(0).nullable(),
  toCount: z.number().int().min(0).nullable(),
  reason: z.string(),
  mode: autopilotModeSchema,
  status: decisionStatusSchema,
  requestedBy: z.string(),
  result: z.string().nullable(),
});
export type Decision = z.infer<typeof decisionSchema>;

/** One decision per anomaly: the id is derived from it, so a redelivered anomaly decides once. */
export function decisionIdFor(anomalyId: string): string {
  return `${anomalyId}~decision`;
}

/** Decision ids start with the service id (`web~2026-11-22T10:00:00.000Z~cpu~decision`). */
export function serviceIdOfDecision(decisionId: string): string {
  const serviceId = decisionId.split('~')[0];
  if (!serviceId) throw new Error(`malformed decision id '${decisionId}'`);
  return serviceId;
}

export const finalDecisionStatuses: ReadonlySet<DecisionStatus> = new Set([
  'executed',
  'failed',
  'skipped',
  'rejected',
]);
