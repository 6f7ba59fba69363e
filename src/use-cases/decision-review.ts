// Approving or rejecting a proposed decision (SPEC A4, approve mode): the verdict is a conditional
// write on the decision (only a proposed one changes), followed by its audit entry.
import { NotFoundError } from '../errors';
import type { DecisionRecordItem, DecisionReviewPorts, OperatorRequest } from '../ports';

export type ReviewVerb = 'approve' | 'reject';

export interface DecisionReviewRequest extends OperatorRequest {
  decisionId: string;
  verb: ReviewVerb;
  reason?: string | undefined;
}

/** The reviewed decision; NotFoundError when unknown, ConflictError when no longer proposed. */
export async function reviewDecision(
  ports: DecisionReviewPorts,
  req: DecisionReviewRequest,
): Promise<DecisionRecordItem> {
  const existing = await ports.decisions.decision(req.decisionId);
  if (!existing) throw new NotFoundError(`decision '${req.decisionId}'`);
  const decision = await ports.reviews.review(
    req.decisionId,
    req.verb === 'approve' ? 'approved' : 'rejected',
    req.requestedBy,
    req.now,
    req.reason ?? '',
  );
  await ports.audit.record({
    id: req.requestId,
    serviceId: String(existing.serviceId),
    at: req.now.toISOString(),
    type: req.verb,
    requestedBy: req.requestedBy,
    detail: `${req.verb}d ${String(existing.action)}${req.reason ? `: ${req.reason}` : ''}`,
    decisionId: req.decisionId,
  });
  return decision;
}
