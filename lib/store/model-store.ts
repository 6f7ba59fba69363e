// Detector models in the single table: one item per service and metric, written only over the
// version that was read, so two collectors never overwrite each other's learning.
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../../src/errors';
import type { ModelRecord, ModelStore } from '../../src/ports';
import { isConditionalCheckFailed } from '../aws/errors';
import { modelSk, servicePk, skPrefix } from './keys';
import type { Table } from './table';

export class DynamoModelStore implements ModelStore {
  constructor(private readonly table: Table) {}

  async loadModels(serviceId: string): Promise<ModelRecord[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': servicePk(serviceId), ':prefix': skPrefix.model },
    });
    return items.map((i) => ({
      metric: String(i.metric),
      state: JSON.parse(String(i.state)),
      version: Number(i.version),
    }));
  }

  async saveModel(serviceId: string, metric: string, state: unknown, expectedVersion: number) {
    try {
      await this.table.send(
        new PutCommand({
          TableName: this.table.name,
          Item: {
            pk: servicePk(serviceId),
            sk: modelSk(metric),
            kind: 'model',
            serviceId,
            metric,
            // A JSON string keeps the model's numbers exact and the item one attribute wide.
            state: JSON.stringify(state),
            version: expectedVersion + 1,
          },
          ConditionExpression:
            expectedVersion === 0 ? 'attribute_not_exists(pk)' : 'version = :expected',
          ExpressionAttributeValues:
            expectedVersion === 0 ? undefined : { ':expected': expectedVersion },
        }),
      );
    } catch (err) {
      if (isConditionalCheckFailed(err)) {
        throw new ConflictError(
          `model ${serviceId}/${metric} changed since version ${expectedVersion}`,
        );
      }
      throw err;
    }
  }
}
