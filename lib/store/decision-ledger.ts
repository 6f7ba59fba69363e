// The decision engine's writes to the single table: a new decision together with its service's
// autopilot state, and a finished decision together with its audit record — each one transaction
// of conditional writes, so a redelivery or a race changes nothing twice.
import { GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { emptyScalingState, scalingStateSchema, type ScalingState } from '../../src/decision';
import { ConflictError } from '../../src/errors';
import type { Decision } from '../../src/model';
import type {
  AutopilotState,
  DecisionCommit,
  DecisionCompletion,
  DecisionLedger,
} from '../../src/ports';
import { isTransactionCancelled } from '../aws/errors';
import { decisionItem, routineExpiry } from './decision-item';
import { actionGsi1, actionSk, autopilotStateSk, decisionSk, servicePk } from './keys';
import type { Table } from './table';

export class DynamoDecisionLedger implements DecisionLedger {
  constructor(private readonly table: Table) {}

  private async exists(key: { pk: string; sk: string }): Promise<boolean> {
    const out = await this.table.send(
      new GetCommand({ TableName: this.table.name, Key: key, ConsistentRead: true }),
    );
    return out.Item !== undefined;
  }

  async loadAutopilotState(serviceId: string): Promise<AutopilotState> {
    const out = await this.table.send(
      new GetCommand({
        TableName: this.table.name,
        Key: { pk: servicePk(serviceId), sk: autopilotStateSk },
        ConsistentRead: true,
      }),
    );
    if (!out.Item) return { scaling: emptyScalingState(), version: 0 };
    let scaling: ScalingState;
    try {
      scaling = scalingStateSchema.parse(JSON.parse(String(out.Item.scaling)));
    } catch {
      scaling = emptyScalingState(); // unreadable memory: start afresh rather than stop deciding
    }
    return { scaling, version: Number(out.Item.version) };
  }

  async commitDecision(
    decision: Decision,
    scaling: ScalingState,
    expectedVersion: number,
    recordedAt: Date,
  ): Promise<DecisionCommit> {
    try {
      await this.table.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table.name,
                Item: decisionItem(decision, recordedAt),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: this.statePut(decision.serviceId, scaling, expectedVersion, recordedAt, {
                lastDecisionId: decision.id,
              }),
            },
          ],
        }),
      );
      return 'created';
    } catch (err) {
      if (!isTransactionCancelled(err)) throw err;
      const key = { pk: servicePk(decision.serviceId), sk: decisionSk(decision.id) };
      return (await this.exists(key)) ? 'exists' : 'conflict';
    }
  }

  async saveScalingState(
    serviceId: string,
    scaling: ScalingState,
    expectedVersion: number,
    recordedAt: Date,
  ): Promise<'saved' | 'conflict'> {
    try {
      await this.table.send(
        new PutCommand(this.statePut(serviceId, scaling, expectedVersion, recordedAt, {})),
      );
      return 'saved';
    } catch (err) {
      if (!isTransactionCancelled(err)) throw err;
      return 'conflict';
    }
  }

  /** The autopilot-state item at the next version, written only over the version that was read. */
  private statePut(
    serviceId: string,
    scaling: ScalingState,
    expectedVersion: number,
    recordedAt: Date,
    extra: Record<string, unknown>,
  ) {
    return {
      TableName: this.table.name,
      Item: {
        pk: servicePk(serviceId),
        sk: autopilotStateSk,
        kind: 'autopilot-state',
        serviceId,
        scaling: JSON.stringify(scaling),
        version: expectedVersion + 1,
        updatedAt: recordedAt.toISOString(),
        ...extra,
      },
      ConditionExpression:
        expectedVersion === 0 ? 'attribute_not_exists(pk)' : 'version = :expected',
      ExpressionAttributeValues:
        expectedVersion === 0 ? undefined : { ':expected': expectedVersion },
    };
  }

  async completeDecision(c: DecisionCompletion): Promise<void> {
    const d = c.decision;
    const at = c.finishedAt.toISOString();
    const actionId = `${d.id}~action`;
    try {
      await this.table.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.table.name,
                Key: { pk: servicePk(d.serviceId), sk: decisionSk(d.id) },
                // A failed action needs no follow-up: out of the pending index in the same write.
                UpdateExpression: `SET #status = :status, #result = :result, finishedAt = :at, #before = :before, #after = :after${
                  c.status === 'failed' ? ' REMOVE pendingPk, pendingSk' : ''
                }`,
                ConditionExpression: '#status = :executing',
                ExpressionAttributeNames: {
                  '#status': 'status',
                  '#result': 'result',
                  '#before': 'before',
                  '#after': 'after',
                },
                ExpressionAttributeValues: {
                  ':status': c.status,
                  ':result': c.result,
                  ':at': at,
                  ':before': c.before,
                  ':after': c.after,
                  ':executing': 'executing',
                },
              },
            },
            {
              Put: {
                TableName: this.table.name,
                Item: {
                  pk: servicePk(d.serviceId),
                  sk: actionSk(at, actionId),
                  ...actionGsi1(at, actionId),
                  kind: 'action',
                  id: actionId,
                  serviceId: d.serviceId,
                  at,
                  type: d.action,
                  status: c.status,
                  requestedBy: d.requestedBy,
                  reason: d.reason,
                  detail: c.result,
                  decisionId: d.id,
                  before: c.before,
                  after: c.after,
                  ...routineExpiry(d, at),
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
    } catch (err) {
      if (isTransactionCancelled(err)) {
        throw new ConflictError(`decision ${d.id} is no longer executing`);
      }
      throw err;
    }
  }
}
