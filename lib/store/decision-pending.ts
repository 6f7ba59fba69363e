// The pending-decisions index (gsi `pending`, sparse): a decision item carries pendingPk/pendingSk
// while it needs follow-up (decision-item.ts sets them when it is written so), and loses them when
// it is verified (learning-store.ts) or settled here once the sweep or the verifier finds it done.
// Decisions written before the index existed join it once: the first read of a table without the
// AUTOPILOT/PENDING-INDEX item indexes the last day's decisions that still need follow-up.
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { decisionSchema, type Decision } from '../../src/model';
import type { PendingDecisions } from '../../src/ports';
import { needsFollowUp } from '../../src/use-cases/pending-decisions';
import { isConditionalCheckFailed } from '../aws/errors';
import {
  decisionPending,
  decisionSk,
  gsi1Kind,
  heartbeatKey,
  pendingIndex,
  servicePk,
  stripStorage,
} from './keys';
import type { Table } from './table';

/** Says the decisions older than the index have been indexed (once per table). */
const indexedKey = { pk: heartbeatKey.pk, sk: 'PENDING-INDEX' } as const;
/** How far back the one-time indexing looks: the sweep's horizon, the longest either looks. */
const INDEX_LOOKBACK_MS = 24 * 60 * 60_000;

export class DynamoPendingDecisions implements PendingDecisions {
  private indexed = false;

  constructor(
    private readonly table: Table,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async pending(): Promise<Decision[]> {
    if (!this.indexed) await this.indexOlderDecisions();
    const items = await this.table.queryAll({
      IndexName: pendingIndex.name,
      KeyConditionExpression: 'pendingPk = :pending',
      ExpressionAttributeValues: { ':pending': pendingIndex.decisions },
    });
    return items.map((i) => decisionSchema.parse(stripStorage(i)));
  }

  /** Once per table: the last day's decisions that need follow-up, written before the index. */
  private async indexOlderDecisions(): Promise<void> {
    const done = await this.table.send(
      new GetCommand({ TableName: this.table.name, Key: indexedKey, ConsistentRead: true }),
    );
    if (!done.Item) {
      const since = new Date(this.now().getTime() - INDEX_LOOKBACK_MS).toISOString();
      const items = await this.table.queryAll({
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :kind AND gsi1sk >= :since',
        ExpressionAttributeValues: { ':kind': gsi1Kind.decision, ':since': since },
      });
      for (const item of items) {
        const d = decisionSchema.parse(stripStorage(item));
        if (!needsFollowUp(d) || item.pendingPk !== undefined) continue;
        const keys = decisionPending(d.at, d.id);
        try {
          await this.table.send(
            new UpdateCommand({
              TableName: this.table.name,
              Key: { pk: servicePk(d.serviceId), sk: decisionSk(d.id) },
              UpdateExpression: 'SET pendingPk = :pk, pendingSk = :sk',
              ConditionExpression: '#status = :status AND attribute_not_exists(outcome)',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: {
                ':pk': keys.pendingPk,
                ':sk': keys.pendingSk,
                ':status': d.status,
              },
            }),
          );
        } catch (err) {
          // Moved on since (claimed, finished, verified): its own write says what it needs.
          if (!isConditionalCheckFailed(err)) throw err;
        }
      }
      await this.table.send(
        new PutCommand({
          TableName: this.table.name,
          Item: { ...indexedKey, kind: 'pending-index', indexedAt: this.now().toISOString() },
        }),
      );
    }
    this.indexed = true;
  }

  async settle(decision: Decision): Promise<void> {
    const outcomeSeen = decision.outcome !== undefined;
    try {
      await this.table.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: { pk: servicePk(decision.serviceId), sk: decisionSk(decision.id) },
          UpdateExpression: 'REMOVE pendingPk, pendingSk',
          // Only as it was read: a decision that moved on since is judged again on the next read.
          ConditionExpression: `attribute_exists(pendingPk) AND #status = :status AND ${
            outcomeSeen ? 'attribute_exists(outcome)' : 'attribute_not_exists(outcome)'
          }`,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':status': decision.status },
        }),
      );
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
    }
  }
}
