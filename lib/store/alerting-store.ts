// The alerting state in the single table: incidents (versioned), decision notices and silences,
// every write conditional on what was read so concurrent notify runs and API calls never clobber.
import { createHash } from 'node:crypto';
import {
  PutCommand,
  QueryCommand,
  GetCommand,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
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
import { ConflictError, ValidationError } from '../../src/errors';
import type {
  AlertingAdminStore,
  AlertingStateStore,
  IncidentPage,
  IncidentQuery,
} from '../../src/use-cases/alert-ports';
import { queryAllItems, sendToTable } from './table-io';
import { isConditionalCheckFailed } from '../aws/errors';
import { expiresAt, incidentGsi1, incidentSk, noticeSk, servicePk, silenceKey, ttl } from './keys';

const itemAttributes = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'kind', 'expiresAt', 'digest'];

function withoutItemAttributes(item: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) if (!itemAttributes.includes(k)) out[k] = v;
  return out;
}

// Keys sorted: DynamoDB does not keep a map's key order, and the digest must survive a round trip.
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => [k, canonical(v)]),
  );
}

/** A content fingerprint: the optimistic lock of items that carry no version of their own. */
function digest(value: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical(value)))
    .digest('base64url')
    .slice(0, 22);
}

/** `inc~<service>~<openedAt>` → its parts; null when the id is not an incident id. */
export function parseIncidentId(id: string): { serviceId: string; openedAt: string } | null {
  const m = /^inc~([a-z0-9][a-z0-9-]{0,62})~(\d{4}-\d{2}-\d{2}T[\d:.]+Z)$/.exec(id);
  return m ? { serviceId: m[1]!, openedAt: m[2]! } : null;
}

function encodeCursor(key: Record<string, unknown> | undefined): string | null {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : null;
}

function decodeCursor(cursor: string | undefined): Record<string, unknown> | undefined {
  if (cursor === undefined) return undefined;
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (key && typeof key === 'object' && !Array.isArray(key) && 'pk' in key && 'sk' in key) {
      return key as Record<string, unknown>;
    }
  } catch {
    // fall through to the validation error
  }
  throw new ValidationError('cursor is invalid: not a cursor from a previous page', [
    { path: 'cursor', message: 'not a cursor from a previous page' },
  ]);
}

export class DynamoAlertingStore implements AlertingStateStore, AlertingAdminStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly config: AlertingConfig,
    private readonly endpoint?: string,
  ) {}

  private send<T>(run: () => Promise<T>): Promise<T> {
    return sendToTable(this.table, this.endpoint, run);
  }

  private queryAll(input: Omit<QueryCommandInput, 'TableName'>) {
    return queryAllItems(this.db, this.table, this.endpoint, input);
  }

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
      await this.send(() =>
        this.db.send(
          new PutCommand({
            TableName: this.table,
            Item: item,
            ConditionExpression: condition,
            ExpressionAttributeValues: values,
          }),
        ),
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
      this.queryAll({
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': servicePk(serviceId), ':prefix': 'INCIDENT#' },
        ConsistentRead: true,
      }),
      this.queryAll({
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': servicePk(serviceId), ':prefix': 'NOTICE#' },
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
    const out = await this.send(() =>
      this.db.send(
        new GetCommand({
          TableName: this.table,
          Key: { pk: servicePk(parts.serviceId), sk: incidentSk(parts.openedAt) },
          ConsistentRead: true,
        }),
      ),
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
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      FilterExpression: '#status = :open',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':pk': servicePk(serviceId),
        ':prefix': 'INCIDENT#',
        ':open': 'open',
      },
    });
    return items.map((i) => this.parseIncident(i));
  }

  async listIncidents(query: IncidentQuery): Promise<IncidentPage> {
    const from = query.from ?? '0000';
    const to = `${query.to ?? '9999'}~`;
    const base: Omit<QueryCommandInput, 'TableName'> =
      query.serviceId !== undefined
        ? {
            KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
            ExpressionAttributeValues: {
              ':pk': servicePk(query.serviceId),
              ':from': incidentSk(from),
              ':to': incidentSk(to),
            },
          }
        : {
            IndexName: 'gsi1',
            KeyConditionExpression: 'gsi1pk = :kind AND gsi1sk BETWEEN :from AND :to',
            ExpressionAttributeValues: { ':kind': 'INCIDENT', ':from': from, ':to': to },
          };
    const input: Omit<QueryCommandInput, 'TableName'> = {
      ...base,
      ScanIndexForward: false,
      Limit: query.limit,
      ExclusiveStartKey: decodeCursor(query.cursor),
      ...(query.status !== undefined
        ? {
            FilterExpression: '#status = :status',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ...base.ExpressionAttributeValues,
              ':status': query.status,
            },
          }
        : {}),
    };
    const page = await this.send(() =>
      this.db.send(new QueryCommand({ ...input, TableName: this.table })),
    );
    return {
      incidents: ((page.Items ?? []) as Record<string, unknown>[]).map((i) =>
        this.parseIncident(i),
      ),
      nextCursor: encodeCursor(page.LastEvaluatedKey),
    };
  }

  // ── silences ──────────────────────────────────────────────────────────────
  private async loadSilences(now: Date): Promise<Silence[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': silenceKey('').pk },
      ConsistentRead: true,
    });
    return this.live(items, now).map((i) => silenceSchema.parse(i.silence));
  }

  listSilences(now: Date): Promise<Silence[]> {
    return this.loadSilences(now);
  }

  async getSilence(id: string): Promise<Silence | null> {
    const out = await this.send(() =>
      this.db.send(
        new GetCommand({ TableName: this.table, Key: silenceKey(id), ConsistentRead: true }),
      ),
    );
    return out.Item ? silenceSchema.parse(out.Item.silence) : null;
  }

  async createSilence(silence: Silence): Promise<boolean> {
    try {
      await this.conditionalPut(
        this.silenceItem(silence),
        'attribute_not_exists(pk)',
        undefined,
        `silence ${silence.id}`,
      );
      return true;
    } catch (err) {
      if (err instanceof ConflictError) return false;
      throw err;
    }
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
