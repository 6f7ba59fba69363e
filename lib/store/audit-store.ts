// The audit trail of operator actions (SPEC X6): who asked for what, on which service, and why.
// Autopilot actions are audited by their decision items; API requests also leave one of these.
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailed } from '../aws/errors';
import { actionGsi1, actionSk, servicePk } from './keys';
import type { AuditEntry } from '../../src/ports';
import type { Table } from './table';

export type { AuditEntry };

/** The stored form of an audit entry, listed by GET /actions. */
export function auditItem(entry: AuditEntry): Record<string, unknown> {
  return {
    pk: servicePk(entry.serviceId),
    sk: actionSk(entry.at, entry.id),
    ...actionGsi1(entry.at, entry.id),
    kind: 'action',
    ...entry,
  };
}

export class AuditStore {
  constructor(private readonly table: Table) {}

  /**
   * Once per id (the request's): an entry already there is this request's own, written by an
   * attempt whose answer was lost before the SDK sent it again (or by a retried request), so the
   * failed condition means recorded, not an error (it was the API's 500 under faults).
   */
  async record(entry: AuditEntry): Promise<void> {
    try {
      await this.table.send(
        new PutCommand({
          TableName: this.table.name,
          Item: auditItem(entry),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
    }
  }
}
