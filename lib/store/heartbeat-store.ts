// Heartbeats /health reads: the collector's tick (one item, moved only forwards, with what the tick
// saw) and one item per function that its middleware updates on every invocation (last success,
// last failure and its error, error count, and the container's circuit breakers).
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type {
  CollectorHeartbeat,
  CollectorShardRun,
  FunctionHeartbeat,
  FunctionHeartbeatStore,
  FunctionRun,
  HeartbeatStore,
} from '../../src/ports';
import type { BreakerSnapshot } from '../../src/resilience/circuit-breaker';
import { isConditionalCheckFailed } from '../aws/errors';
import { functionHeartbeatKey, functionHeartbeatPrefix, heartbeatKey, stripStorage } from './keys';
import type { Table } from './table';

/** An error message is kept short: the item is read on every /health. */
const MAX_ERROR_CHARS = 300;

export class DynamoHeartbeatStore implements HeartbeatStore, FunctionHeartbeatStore {
  constructor(private readonly table: Table) {}

  async recordCollectorRun(beat: CollectorHeartbeat) {
    try {
      await this.table.send(
        new PutCommand({
          TableName: this.table.name,
          // A fanned-out tick starts with no shard reported; each worker adds its own below.
          Item: {
            ...heartbeatKey,
            kind: 'heartbeat',
            ...beat,
            ...(beat.shards ? { shardRuns: {} } : {}),
          },
          // Runs that finish out of order must not move the heartbeat backwards.
          ConditionExpression: 'attribute_not_exists(pk) OR ranAt <= :ranAt',
          ExpressionAttributeValues: { ':ranAt': beat.ranAt },
        }),
      );
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
    }
  }

  /**
   * Each shard under its own key, so a worker that runs twice (a retry) counts once; only into the
   * tick that dispatched it, so a late worker never mixes into a newer tick.
   */
  async recordCollectorShard(tickAt: string, index: number, run: CollectorShardRun) {
    try {
      await this.table.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: heartbeatKey,
          UpdateExpression: 'SET shardRuns.#i = :run',
          ConditionExpression: 'tickAt = :tickAt AND attribute_exists(shardRuns)',
          ExpressionAttributeNames: { '#i': String(index) },
          ExpressionAttributeValues: { ':run': run, ':tickAt': tickAt },
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
    if (!out.Item) return null;
    const { shardRuns, ...beat } = stripStorage(out.Item) as unknown as CollectorHeartbeat & {
      shardRuns?: Record<string, CollectorShardRun>;
    };
    if (!shardRuns) return beat;
    // The dispatcher counted the fleet; what was collected and found is the workers' sum.
    const runs = Object.values(shardRuns);
    const sum = (k: 'series' | 'anomalies' | 'failures') => runs.reduce((n, r) => n + r[k], 0);
    return {
      ...beat,
      series: sum('series'),
      anomalies: sum('anomalies'),
      failures: beat.failures + sum('failures'),
      durationMs: Math.max(beat.durationMs, ...runs.map((r) => r.durationMs)),
      shardsDone: runs.length,
    };
  }

  /**
   * One UpdateItem: the counters are atomic ADDs, and the timestamp only moves forwards (an
   * invocation that finishes after a later one loses the condition and is dropped — counts
   * included, which a heartbeat can afford).
   */
  async recordRun(run: FunctionRun) {
    const at = run.at.toISOString();
    const failed = run.error !== undefined;
    const stamp = failed ? 'lastFailureAt' : 'lastSuccessAt';
    const breakers = run.breakers ?? [];
    const set = [
      'kind = :kind',
      'fn = :fn',
      `${stamp} = :at`,
      ...(failed ? ['lastError = :error'] : []),
      ...(breakers.length > 0 ? ['breakers = :breakers'] : []),
    ];
    try {
      await this.table.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: functionHeartbeatKey(run.name),
          UpdateExpression: `SET ${set.join(', ')} ADD runs :one${failed ? ', errors :one' : ''}`,
          ConditionExpression: `attribute_not_exists(${stamp}) OR ${stamp} <= :at`,
          ExpressionAttributeValues: {
            ':kind': 'heartbeat',
            ':fn': run.name,
            ':at': at,
            ':one': 1,
            ...(failed ? { ':error': run.error!.slice(0, MAX_ERROR_CHARS) } : {}),
            ...(breakers.length > 0 ? { ':breakers': breakers } : {}),
          },
        }),
      );
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
    }
  }

  async functionHeartbeats(): Promise<FunctionHeartbeat[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': heartbeatKey.pk, ':prefix': functionHeartbeatPrefix },
    });
    return items.map((item) => ({
      name: String(item.fn),
      lastSuccessAt: (item.lastSuccessAt as string | undefined) ?? null,
      lastFailureAt: (item.lastFailureAt as string | undefined) ?? null,
      lastError: (item.lastError as string | undefined) ?? null,
      errors: Number(item.errors ?? 0),
      runs: Number(item.runs ?? 0),
      breakers: (item.breakers as BreakerSnapshot[] | undefined) ?? [],
    }));
  }
}
