// The alerting state in the single table: incidents (versioned), decision notices and silences,
// every write conditional on what was read so concurrent notify runs and API calls never clobber.
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import {
  incidentExpiresAt,
  incidentSchema,
  noticeSchema,
  silenceSchema,
  type AlertingConfig,
  type AlertingState,
  type Incident,
  type Notice,
  type Silence,
} from '../../src/alerting';
import { ConflictError } from '../../src/errors';
import type {
  AlertingAdminStore,
  AlertingStateStore,
  IncidentPage,
  IncidentQuery,
} from '../../src/ports';
import { isConditionalCheckFailed } from '../aws/errors';
import { digest } from './content-digest';
import {
  expiresAt,
  gsi1Kind,
  incidentGsi1,
  incidentSk,
  noticeSk,
  servicePk,
  silenceKey,
  silencesPk,
  skPrefix,
  ttl,
} from './keys';
import type { PagedQuery } from './page-cursor';
import type { StatusHistoryStore } from './status-history-store';
import { pastIncident } from '../../src/use-cases/incident-timeline';
import type { Table } from './table';

const itemAttributes = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'kind', 'expiresAt', 'digest'];

function withoutItemAttributes(item: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) if (!itemAttributes.includes(k)) out[k] = v;
  return out;
}

/** `inc~<service>~<openedAt>` → its parts; null when the id is not an incident id. */
export function parseIncidentId(id: string): { serviceId: string; openedAt: string } | null {
  const m = /^inc~([a-z0-9][a-z0-9-]{0,62})~(\d{4}-\d{2}-\d{2}T[\d:.]+Z)$/.exec(id);
  return m ? { serviceId: m[1]!, openedAt: m[2]! } : null;
}

export class DynamoAlertingStore implements AlertingStateStore, AlertingAdminStore {
  constructor(
    private readonly table: Table,
    private readonly config: AlertingConfig,
    private readonly history?: Pick<StatusHistoryStore, 'recordPastIncident'>,
  ) {}

  /** Items past their TTL may linger until DynamoDB deletes them: they are gone for us. */
  private live(items: Record<string, unknown>[], now: Date) {
    const nowSeconds = Math.floor(now.getTime() / 1000);
    return items.filter((i) => typeof i.expiresAt !== 'number' || i.expiresAt > nowSeconds);
  }

  private async conditionalPut(
    item: Record<string, unknown>,
    condition: string,
    values: Record<string, unknown> | undefined,
    what: string,
  ) {
    try {
      await this.table.send(
        new PutCommand({
          TableName: this.table.name,
          Item: item,
          ConditionExpression: condition,
          ExpressionAttributeValues: values,
        }),
      );
    } catch (err) {
      if (isConditionalCheckFailed(err)) throw new ConflictError(`${what} changed meanwhile`);
      throw err;
    }
  }

  // ── items ─────────────────────────────────────────────────────────────────
  private incidentItem(incident: Incident): Record<string, unknown> {
    const expires = incidentExpiresAt(incident, this.config);
    return {
      pk: servicePk(incident.serviceId),
      sk: incidentSk(incident.openedAt),
      ...incidentGsi1(incident.serviceId, incident.openedAt),
      kind: 'incident',
      ...incident,
      ...(expires !== null ? { expiresAt: expires } : {}),
    };
  }

  private noticeItem(notice: Notice): Record<string, unknown> {
    const retainDays = this.config.retainResolvedSeconds / 86_400;
    return {
      pk: servicePk(notice.serviceId),
      sk: noticeSk(notice.note.decisionId),
      kind: 'notice',
      notice,
      digest: digest(notice),
      expiresAt: expiresAt(notice.createdAt, retainDays),
    };
  }

  private silenceItem(silence: Silence): Record<string, unknown> {
    return {
      ...silenceKey(silence.id),
      kind: 'silence',
      silence,
      digest: digest(silence),
      expiresAt: expiresAt(silence.endsAt, ttl.silenceDays),
    };
  }

  private parseIncident(item: Record<string, unknown>): Incident {
    return incidentSchema.parse(withoutItemAttributes(item));
  }

  // ── the notify pipeline's state ───────────────────────────────────────────
  async loadServiceState(serviceId: string, now: Date): Promise<AlertingState> {
    const [incidents, notices, silences] = await Promise.all([
      this.table.queryAll({
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': servicePk(serviceId), ':prefix': skPrefix.incident },
        ConsistentRead: true,
      }),
      this.table.queryAll({
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': servicePk(serviceId), ':prefix': skPrefix.notice },
        ConsistentRead: true,
      }),
      this.loadSilences(now),
    ]);
    return {
      incidents: this.live(incidents, now).map((i) => this.parseIncident(i)),
      notices: this.live(notices, now).map((i) => noticeSchema.parse(i.notice)),
      silences,
    };
  }

  async saveServiceState(before: AlertingState, after: AlertingState, now: Date): Promise<void> {
    void now;
    const beforeIncidents = new Map(before.incidents.map((i) => [i.id, i]));
    for (const incident of after.incidents) {
      const old = beforeIncidents.get(incident.id);
      if (old !== undefined && old.version === incident.version) continue;
      await this.saveIncident(incident, old?.version ?? 0);
      // The status page keeps it 90 days (the incident goes a day after it ends). Every save of a
      // resolved incident tries again, so a crash right here is repaired by its closing message.
      if (incident.resolvedAt !== null)
        await this.history?.recordPastIncident({
          ...pastIncident(incident),
          resolvedAt: incident.resolvedAt,
        });
    }
    const beforeNotices = new Map(before.notices.map((n) => [n.note.decisionId, n]));
    for (const notice of after.notices) {
      const old = beforeNotices.get(notice.note.decisionId);
      if (old !== undefined && digest(old) === digest(notice)) continue;
      await this.conditionalPut(
        this.noticeItem(notice),
        old === undefined ? 'attribute_not_exists(pk)' : 'digest = :digest',
        old === undefined ? undefined : { ':digest': digest(old) },
        `notice for decision ${notice.note.decisionId}`,
      );
    }
  }

  // ── incidents ─────────────────────────────────────────────────────────────
  async getIncident(incidentId: string): Promise<Incident | null> {
    const parts = parseIncidentId(incidentId);
    if (parts === null) return null;
    const out = await this.table.send(
      new GetCommand({
        TableName: this.table.name,
        Key: { pk: servicePk(parts.serviceId), sk: incidentSk(parts.openedAt) },
        ConsistentRead: true,
      }),
    );
    return out.Item ? this.parseIncident(out.Item as Record<string, unknown>) : null;
  }

  /** expectedVersion 0: the incident must not exist yet. */
  async saveIncident(incident: Incident, expectedVersion: number): Promise<void> {
    await this.conditionalPut(
      this.incidentItem(incident),
      expectedVersion === 0 ? 'attribute_not_exists(pk)' : 'version = :expected',
      expectedVersion === 0 ? undefined : { ':expected': expectedVersion },
      `incident ${incident.id}`,
    );
  }

  /** Every open incident of one service, however old (the status page's list). */
  async openIncidents(serviceId: string): Promise<Incident[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      FilterExpression: '#status = :open',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':pk': servicePk(serviceId),
        ':prefix': skPrefix.incident,
        ':open': 'open',
      },
    });
    return items.map((i) => this.parseIncident(i));
  }

  async listIncidents(query: IncidentQuery): Promise<IncidentPage> {
    const from = query.from ?? '0000';
    const to = `${query.to ?? '9999'}~`;
    const q: PagedQuery =
      query.serviceId !== undefined
        ? {
            keyCondition: 'pk = :pk AND sk BETWEEN :from AND :to',
            values: {
              ':pk': servicePk(query.serviceId),
              ':from': incidentSk(from),
              ':to': incidentSk(to),
            },
          }
        : {
            index: 'gsi1',
            keyCondition: 'gsi1pk = :kind AND gsi1sk BETWEEN :from AND :to',
            values: { ':kind': gsi1Kind.incident, ':from': from, ':to': to },
          };
    if (query.status !== undefined) {
      q.filter = '#status = :status';
      q.names = { '#status': 'status' };
      q.values = { ...q.values, ':status': query.status };
    }
    const page = await this.table.queryPage(q, { limit: query.limit, cursor: query.cursor });
    return {
      incidents: page.items.map((i) => this.parseIncident(i)),
      nextCursor: page.nextCursor,
    };
  }

  // ── silences ──────────────────────────────────────────────────────────────
  private async loadSilences(now: Date): Promise<Silence[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': silencesPk },
      ConsistentRead: true,
    });
    return this.live(items, now).map((i) => silenceSchema.parse(i.silence));
  }

  listSilences(now: Date): Promise<Silence[]> {
    return this.loadSilences(now);
  }

  async getSilence(id: string): Promise<Silence | null> {
    const out = await this.table.send(
      new GetCommand({ TableName: this.table.name, Key: silenceKey(id), ConsistentRead: true }),
    );
    return out.Item ? silenceSchema.parse(out.Item.silence) : null;
  }

  /**
   * False when another silence holds the id. One that holds exactly this silence is this write's
   * own, landed by an attempt whose answer was lost before the SDK sent it again: created.
   */
  async createSilence(silence: Silence): Promise<boolean> {
    const item = this.silenceItem(silence);
    try {
      await this.conditionalPut(
        item,
        'attribute_not_exists(pk)',
        undefined,
        `silence ${silence.id}`,
      );
      return true;
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
    }
    const out = await this.table.send(
      new GetCommand({
        TableName: this.table.name,
        Key: silenceKey(silence.id),
        ConsistentRead: true,
      }),
    );
    return out.Item?.digest === item.digest;
  }

  async replaceSilence(expected: Silence, next: Silence): Promise<void> {
    await this.conditionalPut(
      this.silenceItem(next),
      'digest = :digest',
      { ':digest': digest(expected) },
      `silence ${next.id}`,
    );
  }
}
