// A manual action's writes (SPEC A4, X6) in one transaction: the approved decision the scale
// consumer executes, its audit entry and, when the client sent an Idempotency-Key, the key's record.
// An action is never without its audit entry, and a retried request with the same key acts once.
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Decision } from '../../src/model';
import { isTransactionCancelled } from '../aws/errors';
import { auditItem, type AuditEntry } from './audit-store';
import { decisionItem } from './decision-item';
import { apiTtl, expiresAt, idempotencyKey } from './keys';
import type { Table } from './table';

export interface IdempotencyClaim {
  /** The API key that sent it: keys are scoped to their sender. */
  apiKeyId: string;
  key: string;
  /** Hash of what was asked (method, path, body): the same key may not ask for something else. */
  fingerprint: string;
}

export type ManualRecord =
  | { kind: 'created' }
  /** The key was used before for the same request: its decision stands. */
  | { kind: 'repeated'; decisionId: string }
  /** The key was used before for a different request. */
  | { kind: 'key-reused' };

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
      return { kind: 'created' };
    } catch (err) {
      if (!isTransactionCancelled(err)) throw err;
    }
    if (!claim) return { kind: 'repeated', decisionId: decision.id };
    const earlier = await this.table.send(
      new GetCommand({
        TableName: this.table.name,
        Key: idempotencyKey(claim.apiKeyId, claim.key),
        ConsistentRead: true,
      }),
    );
    if (!earlier.Item) return { kind: 'repeated', decisionId: decision.id };
    return earlier.Item.fingerprint === claim.fingerprint
      ? { kind: 'repeated', decisionId: String(earlier.Item.decisionId) }
      : { kind: 'key-reused' };
  }
}
