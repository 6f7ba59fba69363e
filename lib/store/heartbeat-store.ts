// The collector's heartbeat: one item, moved only forwards, that /health reads to tell whether
// collection is running.
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { CollectorHeartbeat, HeartbeatStore } from '../../src/ports';
import { isConditionalCheckFailed } from '../aws/errors';
import { heartbeatKey, stripStorage } from './keys';
import type { Table } from './table';

export class DynamoHeartbeatStore implements HeartbeatStore {
  constructor(private readonly table: Table) {}

  async recordCollectorRun(beat: CollectorHeartbeat) {
    try {
      await this.table.send(
        new PutCommand({
          TableName: this.table.name,
          Item: { ...heartbeatKey, kind: 'heartbeat', ...beat },
          // Runs that finish out of order must not move the heartbeat backwards.
          ConditionExpression: 'attribute_not_exists(pk) OR ranAt <= :ranAt',
          ExpressionAttributeValues: { ':ranAt': beat.ranAt },
        }),
      );
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
    }
  }

  async lastCollectorRun(): Promise<CollectorHeartbeat | null> {
    const out = await this.table.send(
      new GetCommand({ TableName: this.table.name, Key: heartbeatKey }),
    );
    return out.Item ? (stripStorage(out.Item) as unknown as CollectorHeartbeat) : null;
  }
}
