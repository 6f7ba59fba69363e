// The DynamoDB repository behind every store port: key layout from keys.ts, conditional writes only.
import {
  GetCommand,
  PutCommand,
  type QueryCommandInput,
  UpdateCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../../src/errors';
import {
  anomalySchema,
  decisionSchema,
  sampleSchema,
  type Anomaly,
  type Decision,
  type Sample,
} from '../../src/model';
import type {
  CollectorHeartbeat,
  DecisionStore,
  HeartbeatStore,
  ModelRecord,
  ModelStore,
  NotificationClaim,
  NotificationLog,
  ObservationStore,
} from '../../src/ports';
import { isConditionalCheckFailed } from '../aws/errors';
import { decisionItem } from './decision-ledger';
import { queryAllItems, sendToTable } from './table-io';
import {
  anomalySk,
  decisionSk,
  expiresAt,
  heartbeatKey,
  modelSk,
  notificationKey,
  sampleSk,
  servicePk,
  stripStorage,
  ttl,
} from './keys';

export class DynamoStore
  implements ModelStore, ObservationStore, HeartbeatStore, DecisionStore, NotificationLog
{
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly endpoint?: string,
  ) {}

  private send<T>(run: () => Promise<T>): Promise<T> {
    return sendToTable(this.table, this.endpoint, run);
  }

  /** A put that only creates: false when the item was there already. */
  private async create(item: Record<string, unknown>): Promise<boolean> {
    try {
      await this.send(() =>
        this.db.send(
          new PutCommand({
            TableName: this.table,
            Item: item,
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      );
      return true;
    } catch (err) {
      if (isConditionalCheckFailed(err)) return false;
      throw err;
    }
  }

  private queryAll(input: Omit<QueryCommandInput, 'TableName'>) {
    return queryAllItems(this.db, this.table, this.endpoint, input);
  }

  // ── models ────────────────────────────────────────────────────────────────
  async loadModels(serviceId: string): Promise<ModelRecord[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': servicePk(serviceId), ':prefix': 'MODEL#' },
    });
    return items.map((i) => ({
      metric: String(i.metric),
      state: JSON.parse(String(i.state)),
      version: Number(i.version),
    }));
  }

  async saveModel(serviceId: string, metric: string, state: unknown, expectedVersion: number) {
    try {
      await this.send(() =>
        this.db.send(
          new PutCommand({
            TableName: this.table,
            Item: {
              pk: servicePk(serviceId),
              sk: modelSk(metric),
              kind: 'model',
              serviceId,
              metric,
              // A JSON string keeps the model's numbers exact and the item one attribute wide.
              state: JSON.stringify(state),
              version: expectedVersion + 1,
            },
            ConditionExpression:
              expectedVersion === 0 ? 'attribute_not_exists(pk)' : 'version = :expected',
            ExpressionAttributeValues:
              expectedVersion === 0 ? undefined : { ':expected': expectedVersion },
          }),
        ),
      );
    } catch (err) {
      if (isConditionalCheckFailed(err)) {
        throw new ConflictError(
          `model ${serviceId}/${metric} changed since version ${expectedVersion}`,
        );
      }
      throw err;
    }
  }

  // ── samples and anomalies ─────────────────────────────────────────────────
  putSample(sample: Sample, recordedAt: Date) {
    return this.create({
      pk: servicePk(sample.serviceId),
      sk: sampleSk(sample.at),
      kind: 'sample',
      ...sample,
      recordedAt: recordedAt.toISOString(),
      expiresAt: expiresAt(sample.at, ttl.sampleDays),
    });
  }

  putAnomaly(anomaly: Anomaly, recordedAt: Date) {
    return this.create({
      pk: servicePk(anomaly.serviceId),
      sk: anomalySk(anomaly.at, anomaly.metric),
      gsi1pk: 'ANOMALY',
      gsi1sk: `${anomaly.at}#${anomaly.serviceId}#${anomaly.metric}`,
      kind: 'anomaly',
      ...anomaly,
      recordedAt: recordedAt.toISOString(),
      expiresAt: expiresAt(anomaly.at, ttl.anomalyDays),
    });
  }

  async latestSample(serviceId: string): Promise<Sample | null> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': servicePk(serviceId), ':prefix': 'SAMPLE#' },
      ScanIndexForward: false,
      Limit: 1,
    });
    return items[0] ? sampleSchema.parse(stripStorage(items[0])) : null;
  }

  /** A service's items of one kind from `since` on: their sort keys start with the time. */
  private itemsSince(serviceId: string, prefix: string, since: Date, consistent = false) {
    return this.queryAll({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': servicePk(serviceId),
        ':from': `${prefix}${since.toISOString()}`,
        ':to': `${prefix}~`,
      },
      ConsistentRead: consistent,
    });
  }

  async anomaliesSince(serviceId: string, since: Date): Promise<Anomaly[]> {
    const items = await this.itemsSince(serviceId, 'ANOMALY#', since);
    return items.map((i) => anomalySchema.parse(stripStorage(i)));
  }

  // ── heartbeat ─────────────────────────────────────────────────────────────
  async recordCollectorRun(beat: CollectorHeartbeat) {
    try {
      await this.send(() =>
        this.db.send(
          new PutCommand({
            TableName: this.table,
            Item: { ...heartbeatKey, kind: 'heartbeat', ...beat },
            // Runs that finish out of order must not move the heartbeat backwards.
            ConditionExpression: 'attribute_not_exists(pk) OR ranAt <= :ranAt',
            ExpressionAttributeValues: { ':ranAt': beat.ranAt },
          }),
        ),
      );
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
    }
  }

  async lastCollectorRun(): Promise<CollectorHeartbeat | null> {
    const out = await this.send(() =>
      this.db.send(new GetCommand({ TableName: this.table, Key: heartbeatKey })),
    );
    return out.Item ? (stripStorage(out.Item) as unknown as CollectorHeartbeat) : null;
  }

  // ── decisions ─────────────────────────────────────────────────────────────
  putDecision(decision: Decision, recordedAt: Date) {
    return this.create(decisionItem(decision, recordedAt));
  }

  async getDecision(serviceId: string, id: string): Promise<Decision | null> {
    const out = await this.send(() =>
      this.db.send(
        new GetCommand({
          TableName: this.table,
          Key: { pk: servicePk(serviceId), sk: decisionSk(id) },
          ConsistentRead: true,
        }),
      ),
    );
    return out.Item ? decisionSchema.parse(stripStorage(out.Item)) : null;
  }

  async decisionsSince(serviceId: string, since: Date): Promise<Decision[]> {
    const items = await this.itemsSince(serviceId, 'DECISION#', since, true);
    return items.map((i) => decisionSchema.parse(stripStorage(i)));
  }

  async recentDecisions(limit: number): Promise<Decision[]> {
    const items = await this.queryAll({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :kind',
      ExpressionAttributeValues: { ':kind': 'DECISION' },
      ScanIndexForward: false,
      Limit: limit,
    });
    return items.slice(0, limit).map((i) => decisionSchema.parse(stripStorage(i)));
  }

  async claimDecision(serviceId: string, id: string, now: Date, staleBefore: Date) {
    try {
      const out = await this.send(() =>
        this.db.send(
          new UpdateCommand({
            TableName: this.table,
            Key: { pk: servicePk(serviceId), sk: decisionSk(id) },
            UpdateExpression: 'SET #status = :executing, claimedAt = :now',
            ConditionExpression:
              '#status = :approved OR (#status = :executing AND claimedAt < :stale)',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':executing': 'executing',
              ':approved': 'approved',
              ':now': now.toISOString(),
              ':stale': staleBefore.toISOString(),
            },
            ReturnValues: 'ALL_OLD',
          }),
        ),
      );
      if (!out.Attributes) return null;
      const before = decisionSchema.parse(stripStorage(out.Attributes));
      return {
        decision: { ...before, status: 'executing' as const, claimedAt: now.toISOString() },
        interruptedClaimAt: before.status === 'executing' ? (before.claimedAt ?? null) : null,
      };
    } catch (err) {
      if (isConditionalCheckFailed(err)) return null;
      throw err;
    }
  }

  async finishDecision(
    serviceId: string,
    id: string,
    outcome: { status: 'executed' | 'failed'; result: string; finishedAt: Date },
  ) {
    try {
      await this.send(() =>
        this.db.send(
          new UpdateCommand({
            TableName: this.table,
            Key: { pk: servicePk(serviceId), sk: decisionSk(id) },
            UpdateExpression: 'SET #status = :status, #result = :result, finishedAt = :at',
            ConditionExpression: '#status = :executing',
            ExpressionAttributeNames: { '#status': 'status', '#result': 'result' },
            ExpressionAttributeValues: {
              ':status': outcome.status,
              ':result': outcome.result,
              ':at': outcome.finishedAt.toISOString(),
              ':executing': 'executing',
            },
          }),
        ),
      );
    } catch (err) {
      if (isConditionalCheckFailed(err)) {
        throw new ConflictError(`decision ${id} is no longer executing`);
      }
      throw err;
    }
  }

  // ── notification log (exactly-once publishing on an at-least-once stream) ─
  async claim(key: string, now: Date, staleBefore: Date): Promise<NotificationClaim> {
    try {
      await this.send(() =>
        this.db.send(
          new PutCommand({
            TableName: this.table,
            Item: {
              ...notificationKey(key),
              kind: 'notification',
              state: 'sending',
              claimedAt: now.toISOString(),
              expiresAt: expiresAt(now, ttl.notificationDays),
            },
            ConditionExpression:
              'attribute_not_exists(pk) OR (#state = :sending AND claimedAt < :stale)',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: {
              ':sending': 'sending',
              ':stale': staleBefore.toISOString(),
            },
          }),
        ),
      );
      return 'claimed';
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
      const existing = await this.send(() =>
        this.db.send(
          new GetCommand({
            TableName: this.table,
            Key: notificationKey(key),
            ConsistentRead: true,
          }),
        ),
      );
      return existing.Item?.state === 'sent' ? 'already-sent' : 'in-flight';
    }
  }

  async markSent(key: string, messageId: string, now: Date) {
    await this.send(() =>
      this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: notificationKey(key),
          UpdateExpression: 'SET #state = :sent, messageId = :id, sentAt = :now',
          ConditionExpression: '#state = :sending',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':sent': 'sent',
            ':sending': 'sending',
            ':id': messageId,
            ':now': now.toISOString(),
          },
        }),
      ),
    );
  }

  async release(key: string) {
    await this.send(() =>
      this.db.send(
        new DeleteCommand({
          TableName: this.table,
          Key: notificationKey(key),
          ConditionExpression: '#state = :sending',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':sending': 'sending' },
        }),
      ),
    ).catch((err) => {
      if (!isConditionalCheckFailed(err)) throw err;
    });
  }
}
