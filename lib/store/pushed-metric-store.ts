// Pushed metrics (SPEC C5): POST /metrics stores one item per service, metric and minute; the
// collector reads them back as one more MetricSource and merges them into its tick.
import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ScalingReading, Service } from '../../src/model';
import type { MetricBatch, MetricSource } from '../../src/ports';
import { mergePushedPoints, type PushedPoint } from '../../src/use-cases/pushed-metrics';
import { awsError, isConditionalCheckFailed } from '../aws/errors';
import { apiTtl, expiresAt, pushedSk, readingSk, servicePk } from './keys';

export class PushedMetricStore implements MetricSource {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly endpoint?: string,
  ) {}

  private fail(err: unknown): never {
    throw awsError(err, `DynamoDB table '${this.table}'`, this.endpoint);
  }

  /** Stores each point; a later push for the same minute replaces an earlier one, never the reverse. */
  async put(points: readonly PushedPoint[]): Promise<void> {
    await Promise.all(
      points.map((p) =>
        this.db
          .send(
            new PutCommand({
              TableName: this.table,
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
            if (!isConditionalCheckFailed(err)) this.fail(err);
          }),
      ),
    );
  }

  /**
   * Stores a push's scaling reading once (a repeated push of the same instant is ignored); its
   * stream record triggers target scaling.
   */
  async putReading(reading: ScalingReading): Promise<void> {
    await this.db
      .send(
        new PutCommand({
          TableName: this.table,
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
        if (!isConditionalCheckFailed(err)) this.fail(err);
      });
  }

  /** Points pushed for minutes in [from, to], as the collector's metric batch. */
  async fetch(services: readonly Service[], from: Date, to: Date): Promise<MetricBatch> {
    const points: PushedPoint[] = [];
    for (const s of services) {
      let startKey: Record<string, unknown> | undefined;
      do {
        const out = await this.db
          .send(
            new QueryCommand({
              TableName: this.table,
              KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
              ExpressionAttributeValues: {
                ':pk': servicePk(s.id),
                ':from': `PUSH#${from.toISOString()}`,
                ':to': `PUSH#${to.toISOString()}~`,
              },
              ExclusiveStartKey: startKey,
            }),
          )
          .catch((err) => this.fail(err));
        for (const i of out.Items ?? []) {
          points.push({
            serviceId: String(i.serviceId),
            metric: String(i.metric),
            minute: String(i.minute),
            value: Number(i.value),
            pushedAt: String(i.pushedAt),
          });
        }
        startKey = out.LastEvaluatedKey;
      } while (startKey);
    }
    return mergePushedPoints(points);
  }
}
