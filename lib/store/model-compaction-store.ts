// Model compaction for housekeeping: which metrics of a service still appear in its samples, and a
// delete of one series' detector model that only happens at the version that was read (a collector
// that learned meanwhile keeps its model).
import { DeleteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { StaleModelStore } from '../../src/use-cases/housekeeping';
import { ConflictError } from '../../src/errors';
import { isConditionalCheckFailed } from '../aws/errors';
import { DynamoModelStore } from './model-store';
import { modelSk, sampleSk, servicePk, skPrefix } from './keys';
import type { Table } from './table';

export class DynamoModelCompaction implements StaleModelStore {
  private readonly models: DynamoModelStore;

  constructor(private readonly table: Table) {
    this.models = new DynamoModelStore(table);
  }

  loadModels(serviceId: string) {
    return this.models.loadModels(serviceId);
  }

  /**
   * Newest samples first, page by page, until every metric is seen or the window ends: a live
   * series is found on the first page, only a stale one costs the whole window.
   */
  async metricsSampledSince(serviceId: string, metrics: string[], since: Date) {
    const wanted = new Set(metrics);
    const seen = new Set<string>();
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.table.send(
        new QueryCommand({
          TableName: this.table.name,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':pk': servicePk(serviceId),
            ':from': sampleSk(since.toISOString()),
            ':to': `${skPrefix.sample}~`,
          },
          ProjectionExpression: '#metrics',
          ExpressionAttributeNames: { '#metrics': 'metrics' },
          ScanIndexForward: false,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        const values = (item.metrics ?? {}) as Record<string, unknown>;
        for (const m of wanted) if (typeof values[m] === 'number') seen.add(m);
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey && seen.size < wanted.size);
    return seen;
  }

  /**
   * Removes one series from the service's models item, only while that series is still at the
   * version that was read (a collector that learned meanwhile keeps it); a save of another series in
   * between is no reason to give up, so a lost race on the item is read again and retried.
   */
  async deleteModel(serviceId: string, metric: string, version: number) {
    for (let attempt = 0; attempt < 3; attempt++) {
      const current = await this.models.current(serviceId);
      if (!current) return this.deleteLegacyModel(serviceId, metric, version);
      const series = current.series.find((r) => r.metric === metric);
      if (!series || series.version !== version) return false;
      try {
        await this.models.saveServiceModels(
          serviceId,
          { series: current.series.filter((r) => r.metric !== metric), cadence: current.cadence },
          current.version,
        );
        return true;
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
      }
    }
    return false;
  }

  /** A per-series item of the older layout, not yet folded into a models item. */
  private async deleteLegacyModel(serviceId: string, metric: string, version: number) {
    try {
      await this.table.send(
        new DeleteCommand({
          TableName: this.table.name,
          Key: { pk: servicePk(serviceId), sk: modelSk(metric) },
          ConditionExpression: 'version = :v',
          ExpressionAttributeValues: { ':v': version },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionalCheckFailed(err)) return false;
      throw err;
    }
  }
}
