// Pushed metrics (SPEC C5): POST /metrics stores one item per service, metric and minute; the
// collector reads them back as one more MetricSource and merges them into its tick. A push is
// written in one transaction (at most 50 points and a reading: within DynamoDB's 100 items).
//
// Most services never push, so the collector does not query every service's pushed points each
// tick: a push first records on a small marker item (sk PUSHING) when the service last pushed, and
// the collector reads the markers of a whole shard in one BatchGetItem per 100 services, then
// queries only the services whose marker is recent enough to hold points in the tick's window.
import { BatchGetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ScalingReading, Service } from '../../src/model';
import type { MetricBatch, MetricSource } from '../../src/ports';
import { mergePushedPoints, type PushedPoint } from '../../src/use-cases/pushed-metrics';
import { awsError, isConditionalCheckFailed } from '../aws/errors';
import { apiTtl, expiresAt, pushMarkerKey, pushedSk, readingSk, servicePk, skPrefix } from './keys';
import type { Table } from './table';

/**
 * A push moves its service's marker forward at most this often (per container): the marker can lag
 * the last push by this much, so the collector reads a service whose marker is this close to the
 * start of its window.
 */
export const PUSH_MARKER_REFRESH_MS = 10 * 60_000;
/** BatchGetItem's limit. */
const MAX_KEYS_PER_BATCH = 100;
const MAX_BATCH_ROUNDS = 5;
/** Services whose marker this container moved recently (bounded: cleared when full). */
const MAX_REMEMBERED = 10_000;

export class PushedMetricStore implements MetricSource {
  /** serviceId → the lastPushAt (epoch ms) this container last wrote on its marker. */
  private readonly marked = new Map<string, number>();

  constructor(private readonly table: Table) {}

  /**
   * Stores a push in one transaction: its points and its scaling reading (whose stream record sizes
   * the service) appear together or not at all. A point that a later push already replaced for its
   * minute, or a reading of an instant already stored, fails its condition: it is dropped and the
   * rest written again, exactly as if each had been ignored on its own (a replaced point never
   * becomes current again, so the retry is final).
   */
  async putPush(points: readonly PushedPoint[], reading: ScalingReading | null): Promise<void> {
    // The marker first: whoever can read the points can then also see that the service pushes.
    await this.markPushing(points);
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

  /**
   * Moves each pushing service's marker to its push time, unless this container already did within
   * PUSH_MARKER_REFRESH_MS; the marker never goes back (a conditional write).
   */
  private async markPushing(points: readonly PushedPoint[]): Promise<void> {
    const latest = new Map<string, number>();
    for (const p of points)
      latest.set(p.serviceId, Math.max(latest.get(p.serviceId) ?? 0, Date.parse(p.pushedAt)));
    for (const [serviceId, at] of latest) {
      if ((this.marked.get(serviceId) ?? -Infinity) > at - PUSH_MARKER_REFRESH_MS) continue;
      try {
        await this.table.send(
          new UpdateCommand({
            TableName: this.table.name,
            Key: pushMarkerKey(serviceId),
            UpdateExpression:
              'SET #kind = :kind, serviceId = :id, lastPushAt = :at, expiresAt = :expires',
            ConditionExpression: 'attribute_not_exists(lastPushAt) OR lastPushAt < :at',
            ExpressionAttributeNames: { '#kind': 'kind' },
            ExpressionAttributeValues: {
              ':kind': 'push-marker',
              ':id': serviceId,
              ':at': at,
              ':expires': expiresAt(new Date(at), apiTtl.pushedDays),
            },
          }),
        );
      } catch (err) {
        // A later push already moved it further: as good as written.
        if (!isConditionalCheckFailed(err))
          throw awsError(err, `DynamoDB table '${this.table.name}'`, this.table.endpoint);
      }
      if (this.marked.size >= MAX_REMEMBERED) this.marked.clear();
      this.marked.set(serviceId, at);
    }
  }

  /** When each of the services last pushed (epoch ms), from their markers; absent: never. */
  async lastPushes(serviceIds: readonly string[]): Promise<Map<string, number>> {
    const found = new Map<string, number>();
    const ids = [...new Set(serviceIds)];
    for (let i = 0; i < ids.length; i += MAX_KEYS_PER_BATCH) {
      let keys: Record<string, unknown>[] = ids
        .slice(i, i + MAX_KEYS_PER_BATCH)
        .map((id) => pushMarkerKey(id));
      for (let round = 0; keys.length > 0; round++) {
        if (round >= MAX_BATCH_ROUNDS)
          throw new Error(
            `push markers of ${keys.length} service(s) not read after ${round} rounds`,
          );
        const out = await this.table.send(
          new BatchGetCommand({
            // Eventually consistent, like the query of the points it stands for.
            RequestItems: { [this.table.name]: { Keys: keys } },
          }),
        );
        for (const item of out.Responses?.[this.table.name] ?? [])
          found.set(String(item.serviceId), Number(item.lastPushAt));
        keys = (out.UnprocessedKeys?.[this.table.name]?.Keys ?? []) as Record<string, unknown>[];
      }
    }
    return found;
  }

  /**
   * Points pushed for minutes in [from, to], as the collector's metric batch: only the services
   * whose marker says they pushed since `from` (less the marker's lag) are queried.
   */
  async fetch(
    services: readonly Service[],
    from: Date,
    to: Date,
    _report?: unknown,
    history = false,
  ): Promise<MetricBatch> {
    const points: PushedPoint[] = [];
    // Pushed points are live readings kept apiTtl.pushedDays: a warm-up window of history (which
    // ends before the tick; the tick's own window covers the points still kept) reads none.
    if (history) return new Map();
    const pushes = await this.lastPushes(services.map((s) => s.id));
    const recentAfter = from.getTime() - PUSH_MARKER_REFRESH_MS;
    for (const s of services) {
      // A point for a minute in the window was pushed at or after that minute.
      if ((pushes.get(s.id) ?? -Infinity) < recentAfter) continue;
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
