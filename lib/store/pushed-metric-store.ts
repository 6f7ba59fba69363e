// Pushed metrics (SPEC C5): POST /metrics stores one item per service, metric and minute; the
// collector reads them back as one more MetricSource and merges them into its tick.
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ScalingReading, Service } from '../../src/model';
import type { MetricBatch, MetricSource } from '../../src/ports';
import { mergePushedPoints, type PushedPoint } from '../../src/use-cases/pushed-metrics';
import { isConditionalCheckFailed } from '../aws/errors';
import { apiTtl, expiresAt, pushedSk, readingSk, servicePk, skPrefix } from './keys';
import type { Table } from './table';

export class PushedMetricStore implements MetricSource {
  constructor(private readonly table: Table) {}

  /** Stores each point; a later push for the same minute replaces an earlier one, never the reverse. */
  async put(points: readonly PushedPoint[]): Promise<void> {
    await Promise.all(
      points.map((p) =>
        this.table
          .send(
            new PutCommand({
              TableName: this.table.name,
              Item: {
                pk: servicePk(p.serviceId),
                sk: pushedSk(p.minute, p.metric),
                kind: 'pushed',
                ...p,
                expiresAt: expiresAt(p.minute, apiTtl.pushedDays),
              },
              ConditionExpression: 'attribute_not_exists(pk) OR pushedAt <= :pushedAt',
              ExpressionAttributeValues: { ':pushedAt': p.pushedAt },
            }),
          )
          .catch((err) => {
            if (!isConditionalCheckFailed(err)) throw err;
          }),
      ),
    );
  }

  /**
   * Stores a push's scaling reading once (a repeated push of the same instant is ignored); its
   * stream record triggers target scaling.
   */
  async putReading(reading: ScalingReading): Promise<void> {
    await this.table
      .send(
        new PutCommand({
          TableName: this.table.name,
          Item: {
            pk: servicePk(reading.serviceId),
            sk: readingSk(reading.at),
            kind: 'reading',
            ...reading,
            expiresAt: expiresAt(reading.at, apiTtl.readingDays),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      )
      .catch((err) => {
        if (!isConditionalCheckFailed(err)) throw err;
      });
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
