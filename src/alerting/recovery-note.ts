// Recovery notes (SPEC N5): what vigia did about an incident, and whether it worked.
import { z } from 'zod';
import { isoTimestampSchema, serviceIdSchema } from '../model/common';
import {
  actionTypeSchema,
  autopilotModeSchema,
  decisionStatusSchema,
  isSuspectedDiagnosis,
  runbookNameOf,
  TARGET_SCALING_REQUESTER,
  type Decision,
  type DecisionStatus,
} from '../model';

export const outcomeVerdictSchema = z.enum(['resolved', 'not-resolved', 'worse']);
export type OutcomeVerdict = z.infer<typeof outcomeVerdictSchema>;

/** The verification of an executed action, as the learning step reports it (SPEC X5). */
export const actionOutcomeSchema = z.object({
  decisionId: z.string().min(1),
  serviceId: serviceIdSchema,
  verdict: outcomeVerdictSchema,
  at: isoTimestampSchema,
  detail: z.string().max(500).default(''),
});
export type ActionOutcome = z.infer<typeof actionOutcomeSchema>;
export type ActionOutcomeInput = z.input<typeof actionOutcomeSchema>;

export const recoveryNoteSchema = z.object({
  decisionId: z.string().min(1),
  action: actionTypeSchema,
  fromCount: z.number().int().min(0).nullable(),
  toCount: z.number().int().min(0).nullable(),
  status: decisionStatusSchema,
  mode: autopilotModeSchema,
  reason: z.string(),
  requestedBy: z.string(),
  result: z.string().nullable(),
  decidedAt: isoTimestampSchema,
  verdict: outcomeVerdictSchema.nullable(),
  verdictAt: isoTimestampSchema.nullable(),
  verdictDetail: z.string(),
  /** The LLM diagnosis's one line (cause and explanation), when one was asked: shown in alerts. */
  diagnosis: z.string().optional(),
  /**
   * The rules' diagnosis the decision acted on (e.g. `memory_leak`), when it named one: the
   * incident's message says what vigia found, not only what it did.
   */
  cause: z.string().optional(),
  /**
   * The cause is only suspected (e.g. "suspected memory_leak": memory above its usual and rising,
   * not yet a climb): shown with the incident's next message, never a message of its own.
   */
  suspected: z.boolean().optional(),
});
export type RecoveryNote = z.infer<typeof recoveryNoteSchema>;

// Stream records can arrive out of order; a note only moves forward in a decision's life.
const statusStage: Record<DecisionStatus, number> = {
  proposed: 0,
  approved: 1,
  executing: 2,
  executed: 3,
  failed: 3,
  skipped: 3,
  rejected: 3,
};

export function noteFromDecision(decision: Decision): RecoveryNote {
  return {
    decisionId: decision.id,
    action: decision.action,
    fromCount: decision.fromCount,
    toCount: decision.toCount,
    status: decision.status,
    mode: decision.mode,
    reason: decision.reason,
    requestedBy: decision.requestedBy,
    result: decision.result,
    decidedAt: decision.at,
    verdict: null,
    verdictAt: null,
    verdictDetail: '',
    // Target scaling's "diagnosis" is its rule ('target'), not a finding about the fault.
    ...(decision.diagnosis &&
    decision.diagnosis !== 'unknown' &&
    decision.requestedBy !== TARGET_SCALING_REQUESTER
      ? isSuspectedDiagnosis(decision)
        ? { cause: `suspected ${decision.diagnosis}`, suspected: true }
        : { cause: decision.diagnosis }
      : {}),
    ...(decision.llm
      ? {
          diagnosis:
            `LLM diagnosis (${decision.llm.provider}): ${decision.llm.cause}. ${decision.llm.explanation}`.slice(
              0,
              600,
            ),
        }
      : {}),
  };
}

export function mergeDecision(note: RecoveryNote, decision: Decision): RecoveryNote {
  if (statusStage[decision.status] <= statusStage[note.status]) return note;
  return { ...note, status: decision.status, result: decision.result ?? note.result };
}

export function mergeOutcome(note: RecoveryNote, outcome: ActionOutcome): RecoveryNote {
  const newer = note.verdictAt === null || Date.parse(outcome.at) > Date.parse(note.verdictAt);
  if (!newer) return note;
  return {
    ...note,
    verdict: outcome.verdict,
    verdictAt: outcome.at,
    verdictDetail: outcome.detail,
  };
}

/** Notes a person wants to hear about; approvals, claims, skips and rejections are not news. */
export function isNotable(note: RecoveryNote): boolean {
  return (
    note.status === 'proposed' ||
    note.status === 'executed' ||
    note.status === 'failed' ||
    note.verdict !== null
  );
}

/**
 * Notes that are worth an update message of their own (issue #14: messages per incident went from
 * 4 to 11 when every target-scaling step became an update). Target scaling follows the load
 * reading by reading, as a target-tracking policy would: its steps ride along in the incident's
 * next message but are news only when they fail or make things worse. A notify-only decision is
 * news once per diagnosis; whether "notifying" resolved anything is not.
 */
export function isNews(note: RecoveryNote): boolean {
  if (!isNotable(note)) return false;
  if (note.requestedBy === TARGET_SCALING_REQUESTER)
    return note.status === 'failed' || note.verdict === 'worse';
  return true;
}

/**
 * The part of a note that, when it changes, is worth an update message. "It worked" is not: it
 * rides along in the resolved message (which waits for it, `outcomeWaitSeconds`) or the next
 * update; "it did not help" and "it made things worse" are. A notify-only decision repeated for
 * the same diagnosis (decide tells a diagnosis again every hour) says nothing new.
 */
export function newsFingerprint(note: RecoveryNote): string {
  // A suspicion is what an unknown notify is to policies: told with the next message, not news.
  if (note.action === 'notify')
    return note.cause && !note.suspected ? causeKey(note.cause) : 'notify';
  const verdict = note.verdict === 'resolved' ? '-' : (note.verdict ?? '-');
  return `${note.decisionId}:${note.status}:${verdict}`;
}

function causeKey(cause: string): string {
  return `cause:${cause}`;
}

/**
 * What vigia found: each diagnosis of its own decisions, whatever it decided on it (a scale-out
 * held back while target scaling acts still names the overload). Shown in the incident's next
 * message but no message of its own (diagnoses change as a fault unfolds and after an action);
 * once shown, a notify-only decision on it is no news either.
 */
export function diagnosisFingerprint(note: RecoveryNote): string | null {
  // A suspicion rides along in the message that tells its decision, and is no reason for one.
  return note.cause && !note.suspected && isSettledDecision(note) ? causeKey(note.cause) : null;
}

/**
 * A note a person must hear of at once, not at the next group interval: the action failed, made
 * things worse, or waits for an operator's approval.
 */
export function isUrgent(note: RecoveryNote): boolean {
  if (!isNews(note)) return false;
  if (note.status === 'failed' || note.status === 'proposed') return true;
  // Whether "notifying" made anything worse is not a verdict on an action.
  return note.verdict === 'worse' && note.action !== 'notify';
}

/** A decision of vigia's own on the incident (not a target-scaling step) that has settled. */
export function isSettledDecision(note: RecoveryNote): boolean {
  return (
    note.requestedBy !== TARGET_SCALING_REQUESTER &&
    note.status !== 'approved' &&
    note.status !== 'executing'
  );
}

export function awaitsVerdict(note: RecoveryNote): boolean {
  return note.status === 'executed' && note.verdict === null && note.action !== 'notify';
}

/** The part of a note that, when it changes, is worth a message. */
export function noteFingerprint(note: RecoveryNote): string {
  return `${note.decisionId}:${note.status}:${note.verdict ?? '-'}`;
}

function taskCounts(note: RecoveryNote): string {
  return note.fromCount !== null && note.toCount !== null
    ? ` from ${note.fromCount} to ${note.toCount} tasks`
    : '';
}

function actionPhrase(note: RecoveryNote): string {
  const counts = taskCounts(note);
  switch (note.action) {
    case 'scale-out':
      return `scale out${counts}`;
    case 'scale-in':
      return `scale in${counts}`;
    case 'restart':
      return 'restart (new deployment)';
    case 'rollback':
      return 'roll back to the previous task definition';
    case 'notify':
      return 'notify only';
    default:
      return `run the runbook ${runbookNameOf(note.action)}`;
  }
}

function pastTense(note: RecoveryNote): string {
  const counts = taskCounts(note);
  switch (note.action) {
    case 'scale-out':
      return `scaled out${counts}`;
    case 'scale-in':
      return `scaled in${counts}`;
    case 'restart':
      return 'restarted the service (new deployment)';
    case 'rollback':
      return 'rolled back to the previous task definition';
    case 'notify':
      return 'notified only (no automatic action)';
    default:
      return `ran the runbook ${runbookNameOf(note.action)}`;
  }
}

/** "What vigia did", one line, to follow "vigia ...". */
export function describeAction(note: RecoveryNote): string {
  const what = actionPhrase(note);
  switch (note.status) {
    case 'proposed':
      return `proposes to ${what}: waiting for an operator's approval`;
    case 'approved':
    case 'executing':
      return `is about to ${what}`;
    case 'executed':
      return pastTense(note);
    case 'failed':
      return `tried to ${what}, but it failed${note.result ? `: ${note.result}` : ''}`;
    case 'skipped':
      return `skipped ${what}${note.result ? ` (${note.result})` : ''}`;
    case 'rejected':
      return `${what} was rejected by an operator`;
  }
}

/** "Whether it worked", one line, or null while nobody knows yet. */
export function describeVerdict(note: RecoveryNote): string | null {
  const detail = note.verdictDetail ? ` (${note.verdictDetail})` : '';
  switch (note.verdict) {
    case 'resolved':
      return `it worked: the metrics are back to normal${detail}`;
    case 'not-resolved':
      return `it did not help: the problem is still there${detail}`;
    case 'worse':
      return `it made things worse${detail}`;
    case null:
      if (note.status === 'failed') return 'it did not happen';
      // Target scaling follows the load reading by reading; it is not judged like a remedy.
      if (note.requestedBy === TARGET_SCALING_REQUESTER) return null;
      return note.status === 'executed' && note.action !== 'notify' ? 'not verified yet' : null;
  }
}
