// A manual action's writes (SPEC A4, X6) in one transaction: the approved decision the scale
// consumer executes, its audit entry and, when the client sent an Idempotency-Key, the key's record.
// An action is never without its audit entry, and a retried request with the same key acts once.
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Decision } from '../../src/model';
import type { IdempotencyClaim, ManualRecord } from '../../src/ports';
import { isTransactionCancelled } from '../aws/errors';
import { auditItem, type AuditEntry } from './audit-store';
import { decisionItem } from './decision-item';
import { apiTtl, expiresAt, idempotencyKey } from './keys';
import type { Table } from './table';

export type { IdempotencyClaim, ManualRecord };

export class ManualActionStore {
  constructor(private readonly table: Table) {}

  async record(
    decision: Decision,
    audit: AuditEntry,
    claim: IdempotencyClaim | null,
    now: Date,
  ): Promise<ManualRecord> {
    const put = (Item: Record<string, unknown>) => ({
      Put: { TableName: this.table.name, Item, ConditionExpression: 'attribute_not_exists(pk)' },
    });
    const items = [put(decisionItem(decision, now)), put(auditItem(audit))];
    if (claim) {
      items.push(
        put({
          ...idempotencyKey(claim.apiKeyId, claim.key),
          kind: 'idempotency',
          fingerprint: claim.fingerprint,
          decisionId: decision.id,
          createdAt: now.toISOString(),
          expiresAt: expiresAt(now, apiTtl.idempotencyDays),
        }),
      );
    }
    try {
      await this.table.send(new TransactWriteCommand({ TransactItems: items }));
      return created;
    } catch (err) {
      if (!isTransactionCancelled(err)) throw err;
    }
    // Cancelled: a condition failed (this request or key was seen before) or, on real DynamoDB, the
    // transaction raced another on the same items. Only what is stored may answer for it.
    // The decision's id is this request's own (it is made from the request id): finding it stored
    // means the transaction landed and its answer was lost before the SDK sent it again. Created,
    // not a repeat (it was answered 200 "repeated" under faults).
    if (!claim) {
      return (await this.exists(decisionItem(decision, now))) ? created : conflict;
    }
    const earlier = await this.table.send(
      new GetCommand({
        TableName: this.table.name,
        Key: idempotencyKey(claim.apiKeyId, claim.key),
        ConsistentRead: true,
      }),
    );
    if (!earlier.Item) return conflict;
    if (earlier.Item.fingerprint !== claim.fingerprint) return { kind: 'key-reused' };
    return earlier.Item.decisionId === decision.id
      ? created
      : repeated(String(earlier.Item.decisionId));
  }

  private async exists(item: Record<string, unknown>): Promise<boolean> {
    const out = await this.table.send(
      new GetCommand({
        TableName: this.table.name,
        Key: { pk: item.pk, sk: item.sk },
        ConsistentRead: true,
      }),
    );
    return out.Item !== undefined && out.Item.id === item.id;
  }
}

const conflict: ManualRecord = { kind: 'conflict' };
const created: ManualRecord = { kind: 'created' };

function repeated(decisionId: string): ManualRecord {
  return { kind: 'repeated', decisionId };
}
