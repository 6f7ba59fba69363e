// An operator's verdict on a proposed decision (SPEC A4): proposed → approved (the scale consumer
// then executes it) or proposed → rejected, each a conditional update that only one request wins.
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../../src/errors';
import { serviceIdOfDecision } from '../../src/model';
import { isConditionalCheckFailed } from '../aws/errors';
import { decisionSk, servicePk, stripStorage } from './keys';
import type { Table } from './table';

export class DecisionReviewStore {
  constructor(private readonly table: Table) {}

  async review(
    id: string,
    verdict: 'approved' | 'rejected',
    by: string,
    now: Date,
    note: string,
  ): Promise<Record<string, unknown>> {
    try {
      const out = await this.table.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: { pk: servicePk(serviceIdOfDecision(id)), sk: decisionSk(id) },
          // Rejected: nothing left to follow up, so out of the pending index in the same write.
          UpdateExpression: `SET #status = :verdict, reviewedBy = :by, reviewedAt = :at, reviewNote = :note${
            verdict === 'rejected' ? ' REMOVE pendingPk, pendingSk' : ''
          }`,
          ConditionExpression: 'id = :id AND #status = :proposed',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':verdict': verdict,
            ':by': by,
            ':at': now.toISOString(),
            ':note': note,
            ':id': id,
            ':proposed': 'proposed',
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return stripStorage(out.Attributes ?? {});
    } catch (err) {
      if (isConditionalCheckFailed(err)) {
        const own = await this.ownVerdict(id, verdict, by, now, note);
        if (own) return own;
        throw new ConflictError(
          `decision '${id}' is not proposed (approve or reject only proposed ones)`,
        );
      }
      throw err;
    }
  }

  /**
   * The decision when it carries exactly this verdict (by, at, note): the write landed and its answer
   * was lost, and the SDK's second attempt found it no longer proposed. Not a conflict.
   */
  private async ownVerdict(
    id: string,
    verdict: 'approved' | 'rejected',
    by: string,
    now: Date,
    note: string,
  ): Promise<Record<string, unknown> | null> {
    const out = await this.table.send(
      new GetCommand({
        TableName: this.table.name,
        Key: { pk: servicePk(serviceIdOfDecision(id)), sk: decisionSk(id) },
        ConsistentRead: true,
      }),
    );
    const item = out.Item;
    const own =
      item?.status === verdict &&
      item.reviewedBy === by &&
      item.reviewedAt === now.toISOString() &&
      item.reviewNote === note;
    return own ? stripStorage(item) : null;
  }
}
