// The status page's history in the single table (issue 16 part 7): one item per resolved incident,
// kept 100 days and written once (a second notify run finds it there); when vigia first saw each
// service; and the recent load series, read from the samples with only the one metric projected.
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { PastIncident } from '../../src/use-cases/incident-timeline';
import { isConditionalCheckFailed } from '../aws/errors';
import { expiresAt, pastIncidentSk, sampleSk, servicePk, skPrefix, trackedSk, ttl } from './keys';
import type { Table } from './table';

/** The most past incidents one service's 90 days are read with: a flapping service stays cheap. */
const MAX_PAST_INCIDENTS = 500;

export class StatusHistoryStore {
  constructor(private readonly table: Table) {}

  /** False when it was recorded already (a redelivered record, a retried save). */
  recordPastIncident(p: PastIncident & { resolvedAt: string }): Promise<boolean> {
    return this.table.create({
      pk: servicePk(p.serviceId),
      sk: pastIncidentSk(p.resolvedAt, p.openedAt),
      kind: 'past-incident',
      ...p,
      expiresAt: expiresAt(p.resolvedAt, ttl.pastIncidentDays),
    });
  }

  /** Incidents resolved since `since`, i.e. every one that overlaps the window; newest first. */
  async pastIncidents(serviceId: string, since: Date): Promise<PastIncident[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': servicePk(serviceId),
        ':from': `PAST#${since.toISOString()}`,
        ':to': 'PAST#~',
      },
      ScanIndexForward: false,
      Limit: MAX_PAST_INCIDENTS,
    });
    return items.slice(0, MAX_PAST_INCIDENTS).map((i) => ({
      id: String(i.id),
      serviceId: String(i.serviceId),
      severity: i.severity as PastIncident['severity'],
      level: i.level === 'outage' ? 'outage' : 'degraded',
      openedAt: String(i.openedAt),
      resolvedAt: String(i.resolvedAt),
      summary: String(i.summary),
      timeline: Array.isArray(i.timeline) ? (i.timeline as PastIncident['timeline']) : [],
    }));
  }

  /**
   * When vigia first saw the service: the kept mark (housekeeping moves it back to the oldest
   * sample) or the oldest sample still in the table, whichever is earlier; null if neither.
   */
  async trackedSince(serviceId: string): Promise<Date | null> {
    const [mark, oldest] = await Promise.all([
      this.table.send(
        new GetCommand({
          TableName: this.table.name,
          Key: { pk: servicePk(serviceId), sk: trackedSk },
        }),
      ),
      this.oldestSampleAt(serviceId),
    ]);
    const times = [mark.Item?.firstSeenAt, oldest]
      .filter((t): t is string => typeof t === 'string')
      .map((t) => Date.parse(t))
      .filter(Number.isFinite);
    return times.length ? new Date(Math.min(...times)) : null;
  }

  async oldestSampleAt(serviceId: string): Promise<string | null> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': servicePk(serviceId), ':prefix': skPrefix.sample },
      ProjectionExpression: '#at',
      ExpressionAttributeNames: { '#at': 'at' },
      ScanIndexForward: true,
      Limit: 1,
    });
    return typeof items[0]?.at === 'string' ? items[0].at : null;
  }

  /** Keeps the earliest time seen: a later or repeated mark changes nothing. */
  async markTracked(serviceId: string, firstSeenAt: string): Promise<boolean> {
    try {
      await this.table.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: { pk: servicePk(serviceId), sk: trackedSk },
          UpdateExpression: 'SET firstSeenAt = :at, kind = :kind, serviceId = :id',
          ConditionExpression: 'attribute_not_exists(firstSeenAt) OR firstSeenAt > :at',
          ExpressionAttributeValues: { ':at': firstSeenAt, ':kind': 'tracked', ':id': serviceId },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionalCheckFailed(err)) return false;
      throw err;
    }
  }

  /** One metric's values from the samples between from and to, oldest first. */
  async metricSeries(
    serviceId: string,
    metric: string,
    from: Date,
    to: Date,
  ): Promise<{ at: string; value: number }[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': servicePk(serviceId),
        ':from': sampleSk(from.toISOString()),
        ':to': sampleSk(to.toISOString()),
      },
      ProjectionExpression: '#at, #metrics.#m',
      ExpressionAttributeNames: { '#at': 'at', '#metrics': 'metrics', '#m': metric },
    });
    return items.flatMap((i) => {
      const value = (i.metrics as Record<string, unknown> | undefined)?.[metric];
      return typeof i.at === 'string' && typeof value === 'number' ? [{ at: i.at, value }] : [];
    });
  }
}
