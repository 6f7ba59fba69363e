// Pushed metrics (SPEC C5): POST /metrics stores one item per service, metric and minute; the
// collector reads them back as one more MetricSource and merges them into its tick. A push is
// written in one transaction (at most 50 points and a reading: within DynamoDB's 100 items).
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { ScalingReading, Service } from '../../src/model';
import type { MetricBatch, MetricSource } from '../../src/ports';
import { mergePushedPoints, type PushedPoint } from '../../src/use-cases/pushed-metrics';
import { awsError } from '../aws/errors';
import { apiTtl, expiresAt, pushedSk, readingSk, servicePk, skPrefix } from './keys';
import type { Table } from './table';

export class PushedMetricStore implements MetricSource {
  constructor(private readonly table: Table) {}

  /**
   * Stores a push in one transaction: its points and its scaling reading (whose stream record sizes
   * the service) appear together or not at all. A point that a later push already replaced for its
   * minute, or a reading of an instant already stored, fails its condition: it is dropped and the
   * rest written again, exactly as if each had been ignored on its own (a replaced point never
   * becomes current again, so the retry is final).
   */
  async putPush(points: readonly PushedPoint[], reading: ScalingReading | null): Promise<void> {
    let items = [...points.map(pointPut), ...(reading ? [readingPut(reading)] : [])].map((Put) => ({
      Put: { ...Put, TableName: this.table.name },
    }));
    for (let conflicts = 0; items.length > 0;) {
      try {
        await this.table.send(new TransactWriteCommand({ TransactItems: items }));
        return;
      } catch (err) {
        const reasons = cancellationReasons(err);
        if (!reasons) throw err;
        // Another request writing the same minute at this instant: the next attempt goes after it.
        if (reasons.includes('TransactionConflict') && ++conflicts < MAX_CONFLICT_RETRIES) continue;
        if (reasons.some((r) => r !== 'None' && r !== 'ConditionalCheckFailed')) {
          throw awsError(err, `DynamoDB table '${this.table.name}'`, this.table.endpoint);
        }
        items = items.filter((_, i) => reasons[i] !== 'ConditionalCheckFailed');
      }
    }
  }

  /** Stores points alone (the collector's tests, backfills): see putPush. */
  async put(points: readonly PushedPoint[]): Promise<void> {
    await this.putPush(points, null);
  }

  /** Stores a reading alone, once (a repeated push of the same instant is ignored): see putPush. */
  async putReading(reading: ScalingReading): Promise<void> {
    await this.putPush([], reading);
  }

  /** Points pushed for minutes in [from, to], as the collector's metric batch. */
  async fetch(services: readonly Service[], from: Date, to: Date): Promise<MetricBatch> {
    const points: PushedPoint[] = [];
    for (const s of services) {
      const items = await this.table.queryAll({
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': servicePk(s.id),
          ':from': `${skPrefix.pushed}${from.toISOString()}`,
          ':to': `${skPrefix.pushed}${to.toISOString()}~`,
        },
      });
      for (const i of items) {
        points.push({
          serviceId: String(i.serviceId),
          metric: String(i.metric),
          minute: String(i.minute),
          value: Number(i.value),
          pushedAt: String(i.pushedAt),
        });
      }
    }
    return mergePushedPoints(points);
  }
}

const MAX_CONFLICT_RETRIES = 3;

/** A later push for the same minute replaces an earlier one, never the reverse. */
function pointPut(p: PushedPoint) {
  return {
    Item: {
      pk: servicePk(p.serviceId),
      sk: pushedSk(p.minute, p.metric),
      kind: 'pushed',
      ...p,
      expiresAt: expiresAt(p.minute, apiTtl.pushedDays),
    },
    ConditionExpression: 'attribute_not_exists(pk) OR pushedAt <= :pushedAt',
    ExpressionAttributeValues: { ':pushedAt': p.pushedAt },
  };
}

function readingPut(reading: ScalingReading) {
  return {
    Item: {
      pk: servicePk(reading.serviceId),
      sk: readingSk(reading.at),
      kind: 'reading',
      ...reading,
      expiresAt: expiresAt(reading.at, apiTtl.readingDays),
    },
    ConditionExpression: 'attribute_not_exists(pk)',
  };
}

/** Each item's reason code when a transaction was cancelled, or null for any other failure. */
function cancellationReasons(err: unknown): string[] | null {
  const e = err as { name?: string; CancellationReasons?: { Code?: string }[] } | null;
  if (e?.name !== 'TransactionCanceledException' || !e.CancellationReasons) return null;
  return e.CancellationReasons.map((r) => r.Code ?? 'None');
}
