// The audit trail of operator actions (SPEC X6): who asked for what, on which service, and why.
// Autopilot actions are audited by their decision items; API requests also leave one of these.
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { awsError } from '../aws/errors';
import { actionSk, servicePk } from './keys';

export interface AuditEntry {
  id: string;
  serviceId: string;
  at: string;
  /** e.g. scale, restart, recover, approve, reject, mode, service-create, service-update. */
  type: string;
  requestedBy: string;
  detail: string;
  decisionId: string | null;
}

/** The stored form of an audit entry, listed by GET /actions. */
export function auditItem(entry: AuditEntry): Record<string, unknown> {
  return {
    pk: servicePk(entry.serviceId),
    sk: actionSk(entry.at, entry.id),
    gsi1pk: 'ACTION',
    gsi1sk: `${entry.at}#${entry.id}`,
    kind: 'action',
    ...entry,
  };
}

export class AuditStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly endpoint?: string,
  ) {}

  async record(entry: AuditEntry): Promise<void> {
    await this.db
      .send(
        new PutCommand({
          TableName: this.table,
          Item: auditItem(entry),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      )
      .catch((err) => {
        throw awsError(err, `DynamoDB table '${this.table}'`, this.endpoint);
      });
  }
}
