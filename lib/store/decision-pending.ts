// The pending-decisions index (gsi `pending`, sparse): a decision item carries pendingPk/pendingSk
// while it needs follow-up (decision-item.ts sets them when it is written so), and loses them when
// it is verified (learning-store.ts) or settled here once the sweep or the verifier finds it done.
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { decisionSchema, type Decision } from '../../src/model';
import type { PendingDecisions } from '../../src/ports';
import { isConditionalCheckFailed } from '../aws/errors';
import { decisionSk, pendingIndex, servicePk, stripStorage } from './keys';
import type { Table } from './table';

export class DynamoPendingDecisions implements PendingDecisions {
  constructor(private readonly table: Table) {}

  async pending(): Promise<Decision[]> {
    const items = await this.table.queryAll({
      IndexName: pendingIndex.name,
      KeyConditionExpression: 'pendingPk = :pending',
      ExpressionAttributeValues: { ':pending': pendingIndex.decisions },
    });
    return items.map((i) => decisionSchema.parse(stripStorage(i)));
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
