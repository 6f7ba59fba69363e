// The audit entry an operator's request leaves (SPEC X6): stamped with who asked and when; the
// request id names it, so a retried request cannot leave two.
import type { AuditEntry, OperatorRequest } from '../ports';

export function operatorAuditEntry(
  req: OperatorRequest,
  what: Pick<AuditEntry, 'serviceId' | 'type' | 'detail' | 'decisionId'>,
): AuditEntry {
  return {
    id: req.requestId,
    at: req.now.toISOString(),
    requestedBy: req.requestedBy,
    ...what,
  };
}
