// What the autopilot chose to do about an anomaly, and where that choice is in its life (SPEC X4, X6).
import { z } from 'zod';
import { autopilotModeSchema, isoTimestampSchema, serviceIdSchema } from './common';
import { runbookActionSchema } from './runbook';

export const builtInActionSchema = z.enum([
  'scale-out',
  'scale-in',
  'restart',
  'rollback',
  'notify',
]);
/** A built-in action, or a team's own runbook (`runbook:<name>`, SPEC X7). */
export const actionTypeSchema = z.union([builtInActionSchema, runbookActionSchema]);
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

/** How an executed action turned out after its verification window (SPEC X5). */
export const outcomeSchema = z.enum(['resolved', 'not-resolved', 'worse']);
export type DecisionOutcome = z.infer<typeof outcomeSchema>;

/** A metric that triggered the decision: what verification compares against later. */
export const decisionTriggerSchema = z.object({
  metric: z.string().min(1),
  value: z.number(),
  /** The healthy side of this limit counts as resolved. */
  limit: z.number(),
  bad: z.enum(['above', 'below']),
});
export type DecisionTrigger = z.infer<typeof decisionTriggerSchema>;

export const diagnosisFindingSchema = z.object({
  name: z.string().min(1),
  confidence: z.number().min(0).max(1),
  evidence: z.array(z.string()),
});

/** What a language model said about the incident a decision belongs to (cached per incident). */
export const llmDiagnosisSchema = z.object({
  provider: z.string(),
  model: z.string(),
  incidentId: z.string(),
  cause: z.string(),
  confidence: z.number().min(0).max(1),
  /** Always one of the decision's allowedActions; null when the policy allows none. */
  recommendedAction: actionTypeSchema.nullable(),
  explanation: z.string(),
});
export type LlmDiagnosis = z.infer<typeof llmDiagnosisSchema>;

/** The service as ECS reported it around an action, for the audit trail. */
export const serviceSnapshotSchema = z.object({
  desiredCount: z.number().int().min(0).nullable(),
  runningCount: z.number().int().min(0).nullable(),
  taskDefinition: z.string().nullable(),
  /** When the newest ECS deployment began (restarts and rollbacks start one). */
  lastDeploymentAt: isoTimestampSchema.nullable().optional(),
});
export type ServiceSnapshot = z.infer<typeof serviceSnapshotSchema>;

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
  // The engine's reasoning (X1, X2, X5); absent on manual decisions and older items.
  /** Primary diagnosis, or 'unknown'; a suspicion when its confidence is under ACT_ON_CONFIDENCE. */
  diagnosis: z.string().optional(),
  confidence: z.number().min(0).max(1).optional(),
  /** The facts the primary diagnosis matched. */
  evidence: z.array(z.string()).optional(),
  diagnoses: z.array(diagnosisFindingSchema).optional(),
  /** Names of the policies that matched, highest priority first. */
  policies: z.array(z.string()).optional(),
  allowedActions: z.array(actionTypeSchema).optional(),
  /** How the action was chosen among the allowed ones. */
  choice: z
    .object({
      how: z.enum(['learned', 'rule', 'compensation']),
      samples: z.array(
        z.object({ action: actionTypeSchema, sample: z.number(), expected: z.number() }),
      ),
    })
    .optional(),
  trigger: z.array(decisionTriggerSchema).optional(),
  /** A language model's diagnosis (optional): advice beside the rules', never an action by itself. */
  llm: llmDiagnosisSchema.optional(),
  /** Each provider asked, in order, and why it was passed over: why the rules' diagnosis stands. */
  llmAttempts: z
    .array(z.object({ provider: z.string(), outcome: z.string(), detail: z.string() }))
    .optional(),
  /** The ECS service it was made for: if the vigia service is re-pointed meanwhile, it is skipped. */
  target: z.object({ cluster: z.string(), service: z.string() }).optional(),
  /** Task definition running when the decision was made. */
  taskDefinition: z.string().nullable().optional(),
  /** Rollback target when already known (a compensation); otherwise the previous revision. */
  targetTaskDefinition: z.string().nullable().optional(),
  /** The decision this one undoes (requestedBy vigia:verify). */
  compensates: z.string().optional(),
  // Execution (X4, X6).
  claimedAt: isoTimestampSchema.optional(),
  finishedAt: isoTimestampSchema.optional(),
  before: serviceSnapshotSchema.nullable().optional(),
  after: serviceSnapshotSchema.nullable().optional(),
  // Verification (X5): written once, by the verify function, on executed decisions.
  outcome: outcomeSchema.optional(),
  verifiedAt: isoTimestampSchema.optional(),
  outcomeDetail: z.string().optional(),
});
export type Decision = z.infer<typeof decisionSchema>;

/** Who asks for target scaling's decisions (SPEC X3), in the decision and the audit trail. */
export const TARGET_SCALING_REQUESTER = 'vigia:autoscale';

/**
 * Below this confidence a diagnosis is a suspicion (diagnosis.ts): named and told, but policies and
 * learned choice act on 'unknown' until a signature is sure; every signature that acts starts here.
 */
export const ACT_ON_CONFIDENCE = 0.5;

/** Whether a decision's diagnosis is only suspected: named, not acted on. */
export function isSuspectedDiagnosis(d: Pick<Decision, 'diagnosis' | 'confidence'>): boolean {
  return (
    d.diagnosis !== undefined &&
    d.diagnosis !== 'unknown' &&
    (d.confidence ?? 1) < ACT_ON_CONFIDENCE
  );
}

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
