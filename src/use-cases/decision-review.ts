// Approving or rejecting a proposed decision (SPEC A4, approve mode): the verdict is a conditional
// write on the decision (only a proposed one changes), followed by its audit entry. A decision whose
// service was removed cannot be approved: it would only fail on ECS, so it is rejected instead.
import { ConflictError, NotFoundError } from '../errors';
import type { DecisionRecordItem, DecisionReviewPorts, OperatorRequest } from '../ports';
import { operatorAuditEntry } from './operator-audit';

export type ReviewVerb = 'approve' | 'reject';

export interface DecisionReviewRequest extends OperatorRequest {
  decisionId: string;
  verb: ReviewVerb;
  reason?: string | undefined;
}

/**
 * The reviewed decision; NotFoundError when unknown, ConflictError when no longer proposed or when
 * approving it while its service no longer exists.
 */
export async function reviewDecision(
  ports: DecisionReviewPorts,
  req: DecisionReviewRequest,
): Promise<DecisionRecordItem> {
  const existing = await ports.decisions.decision(req.decisionId);
  if (!existing) throw new NotFoundError(`decision '${req.decisionId}'`);
  const serviceId = String(existing.serviceId);
  if (req.verb === 'approve' && !(await ports.services.get(serviceId))) {
    const gone = `service '${serviceId}' no longer exists`;
    // Conditional like any verdict: only a still-proposed decision is rejected (ConflictError else).
    await ports.reviews.review(req.decisionId, 'rejected', req.requestedBy, req.now, gone);
    await audit(ports, req, serviceId, 'reject', `rejected ${String(existing.action)}: ${gone}`);
    throw new ConflictError(
      `${gone}: decision '${req.decisionId}' cannot be approved, and is now rejected`,
    );
  }
  const decision = await ports.reviews.review(
    req.decisionId,
    req.verb === 'approve' ? 'approved' : 'rejected',
    req.requestedBy,
    req.now,
    req.reason ?? '',
  );
  const detail = `${req.verb}d ${String(existing.action)}${req.reason ? `: ${req.reason}` : ''}`;
  await audit(ports, req, serviceId, req.verb, detail);
  return decision;
}

function audit(
  ports: DecisionReviewPorts,
  req: DecisionReviewRequest,
  serviceId: string,
  type: ReviewVerb,
  detail: string,
) {
  return ports.audit.record(
    operatorAuditEntry(req, { serviceId, type, detail, decisionId: req.decisionId }),
  );
}
