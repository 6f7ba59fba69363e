// An operator's verdict on a proposed decision (SPEC A4): proposed → approved (the scale consumer
// then executes it) or proposed → rejected, each a conditional update that only one request wins.
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
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
        throw new ConflictError(
          `decision '${id}' is not proposed (approve or reject only proposed ones)`,
        );
      }
      throw err;
    }
  }
}
