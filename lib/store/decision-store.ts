// Decisions in the single table: created once, claimed by one scaler at a time (a stale claim from a
// crashed one can be taken over), finished only while executing.
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../../src/errors';
import { decisionSchema, type Decision } from '../../src/model';
import type { DecisionStore } from '../../src/ports';
import { isConditionalCheckFailed } from '../aws/errors';
import { decisionItem } from './decision-item';
import { decisionSk, gsi1Kind, servicePk, skPrefix, stripStorage } from './keys';
import { itemsSince } from './service-items';
import type { Table } from './table';

export class DynamoDecisionStore implements DecisionStore {
  constructor(private readonly table: Table) {}

  putDecision(decision: Decision, recordedAt: Date) {
    return this.table.create(decisionItem(decision, recordedAt));
  }

  async getDecision(serviceId: string, id: string): Promise<Decision | null> {
    const out = await this.table.send(
      new GetCommand({
        TableName: this.table.name,
        Key: { pk: servicePk(serviceId), sk: decisionSk(id) },
        ConsistentRead: true,
      }),
    );
    return out.Item ? decisionSchema.parse(stripStorage(out.Item)) : null;
  }

  async decisionsSince(serviceId: string, since: Date): Promise<Decision[]> {
    const items = await itemsSince(this.table, serviceId, skPrefix.decision, since, true);
    return items.map((i) => decisionSchema.parse(stripStorage(i)));
  }

  async recentDecisions(limit: number): Promise<Decision[]> {
    const items = await this.table.queryAll({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :kind',
      ExpressionAttributeValues: { ':kind': gsi1Kind.decision },
      ScanIndexForward: false,
      Limit: limit,
    });
    return items.slice(0, limit).map((i) => decisionSchema.parse(stripStorage(i)));
  }

  async claimDecision(serviceId: string, id: string, now: Date, staleBefore: Date) {
    try {
      const out = await this.table.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: { pk: servicePk(serviceId), sk: decisionSk(id) },
          UpdateExpression: 'SET #status = :executing, claimedAt = :now',
          ConditionExpression:
            '#status = :approved OR (#status = :executing AND claimedAt < :stale)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':executing': 'executing',
            ':approved': 'approved',
            ':now': now.toISOString(),
            ':stale': staleBefore.toISOString(),
          },
          ReturnValues: 'ALL_OLD',
        }),
      );
      if (!out.Attributes) return null;
      const before = decisionSchema.parse(stripStorage(out.Attributes));
      return {
        decision: { ...before, status: 'executing' as const, claimedAt: now.toISOString() },
        interruptedClaimAt: before.status === 'executing' ? (before.claimedAt ?? null) : null,
      };
    } catch (err) {
      if (isConditionalCheckFailed(err)) return null;
      throw err;
    }
  }

  async releaseClaim(serviceId: string, id: string, claimedAt: Date): Promise<boolean> {
    try {
      await this.table.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: { pk: servicePk(serviceId), sk: decisionSk(id) },
          UpdateExpression: 'SET #status = :approved REMOVE claimedAt',
          ConditionExpression: '#status = :executing AND claimedAt = :claimedAt',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':approved': 'approved',
            ':executing': 'executing',
            ':claimedAt': claimedAt.toISOString(),
          },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionalCheckFailed(err)) return false;
      throw err;
    }
  }

  async finishDecision(
    serviceId: string,
    id: string,
    outcome: { status: 'executed' | 'failed'; result: string; finishedAt: Date },
  ) {
    try {
      await this.table.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: { pk: servicePk(serviceId), sk: decisionSk(id) },
          // A failed action needs no follow-up: out of the pending index in the same write.
          UpdateExpression: `SET #status = :status, #result = :result, finishedAt = :at${
            outcome.status === 'failed' ? ' REMOVE pendingPk, pendingSk' : ''
          }`,
          ConditionExpression: '#status = :executing',
          ExpressionAttributeNames: { '#status': 'status', '#result': 'result' },
          ExpressionAttributeValues: {
            ':status': outcome.status,
            ':result': outcome.result,
            ':at': outcome.finishedAt.toISOString(),
            ':executing': 'executing',
          },
        }),
      );
    } catch (err) {
      if (isConditionalCheckFailed(err)) {
        throw new ConflictError(`decision ${id} is no longer executing`);
      }
      throw err;
    }
  }
}
