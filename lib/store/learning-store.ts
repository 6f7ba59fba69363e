// What the autopilot learns, in the single table (SPEC X5): per-service statistics per (diagnosis,
// action), the fleet-wide learning summary /health reads, and the verification transaction that
// writes an outcome, the statistics, the summary and any compensation exactly once.
import { randomUUID } from 'node:crypto';
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { actionStatsSchema, emptyLearningSummary, type LearningSummary } from '../../src/decision';
import { decisionSchema, sampleSchema, type Decision, type Sample } from '../../src/model';
import type { LearnedStatsRecord, LearningStore, VerificationCommit } from '../../src/ports';
import { isTransactionCancelled } from '../aws/errors';
import { decisionItem } from './decision-item';
import {
  actionStatsSk,
  decisionSk,
  learningSummaryKey,
  sampleSk,
  servicePk,
  skPrefix,
  stripStorage,
} from './keys';
import type { Table } from './table';

export class DynamoLearningStore implements LearningStore {
  constructor(private readonly table: Table) {}

  async loadStats(serviceId: string): Promise<LearnedStatsRecord[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': servicePk(serviceId), ':prefix': skPrefix.actionStats },
      ConsistentRead: true,
    });
    return items.map((i) => ({
      stats: actionStatsSchema.parse({
        diagnosis: i.diagnosis,
        action: i.action,
        alpha: i.alpha,
        beta: i.beta,
        resolved: i.resolved,
        notResolved: i.notResolved,
        worse: i.worse,
      }),
      version: Number(i.version),
    }));
  }

  async loadSummary(): Promise<{ summary: LearningSummary; version: number }> {
    const out = await this.table.send(
      new GetCommand({ TableName: this.table.name, Key: learningSummaryKey, ConsistentRead: true }),
    );
    if (!out.Item) return { summary: emptyLearningSummary(), version: 0 };
    const i = out.Item;
    return {
      summary: {
        verified: Number(i.verified ?? 0),
        resolved: Number(i.resolved ?? 0),
        notResolved: Number(i.notResolved ?? 0),
        worse: Number(i.worse ?? 0),
        accuracy: typeof i.accuracy === 'number' ? i.accuracy : null,
        updatedAt: typeof i.updatedAt === 'string' ? i.updatedAt : null,
        services: (i.services ?? {}) as LearningSummary['services'],
      },
      version: Number(i.version ?? 0),
    };
  }

  async executedSince(serviceId: string, since: Date): Promise<Decision[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      FilterExpression: '#status = :executed',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':pk': servicePk(serviceId),
        ':from': `${skPrefix.decision}${since.toISOString()}`,
        ':to': `${skPrefix.decision}~`,
        ':executed': 'executed',
      },
      ConsistentRead: true,
    });
    return items.map((i) => decisionSchema.parse(stripStorage(i)));
  }

  async samplesBetween(serviceId: string, from: Date, to: Date): Promise<Sample[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': servicePk(serviceId),
        ':from': sampleSk(from.toISOString()),
        ':to': sampleSk(to.toISOString()),
      },
    });
    return items.map((i) => sampleSchema.parse(stripStorage(i)));
  }

  async commitVerification(c: VerificationCommit): Promise<'committed' | 'verified' | 'conflict'> {
    const d = c.decision;
    const at = c.verifiedAt.toISOString();
    const token = randomUUID();
    const versioned = (expected: number) =>
      expected === 0
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : {
            ConditionExpression: 'version = :expected',
            ExpressionAttributeValues: { ':expected': expected },
          };
    const items: NonNullable<
      ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']
    > = [
      {
        Update: {
          TableName: this.table.name,
          Key: { pk: servicePk(d.serviceId), sk: decisionSk(d.id) },
          // Verified: nothing left to follow up, so out of the pending index.
          UpdateExpression:
            'SET outcome = :outcome, verifiedAt = :at, outcomeDetail = :detail, verifiedBy = :token REMOVE pendingPk, pendingSk',
          ConditionExpression: '#status = :executed AND attribute_not_exists(outcome)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':outcome': c.outcome,
            ':at': at,
            ':detail': c.detail,
            ':token': token,
            ':executed': 'executed',
          },
        },
      },
      {
        Put: {
          TableName: this.table.name,
          Item: {
            ...learningSummaryKey,
            kind: 'learning-summary',
            ...c.summary.summary,
            version: c.summary.version + 1,
          },
          ...versioned(c.summary.version),
        },
      },
    ];
    if (c.stats) {
      const s = c.stats.stats;
      items.push({
        Put: {
          TableName: this.table.name,
          Item: {
            pk: servicePk(d.serviceId),
            sk: actionStatsSk(s.diagnosis, s.action),
            kind: 'action-stats',
            serviceId: d.serviceId,
            ...s,
            version: c.stats.version + 1,
            updatedAt: at,
          },
          ...versioned(c.stats.version),
        },
      });
    }
    if (c.compensation) {
      items.push({
        Put: {
          TableName: this.table.name,
          Item: decisionItem(c.compensation, c.verifiedAt),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });
    }
    try {
      await this.table.send(new TransactWriteCommand({ TransactItems: items }));
      return 'committed';
    } catch (err) {
      if (!isTransactionCancelled(err)) throw err;
      const now = await this.table.send(
        new GetCommand({
          TableName: this.table.name,
          Key: { pk: servicePk(d.serviceId), sk: decisionSk(d.id) },
          ConsistentRead: true,
        }),
      );
      // This call's token: its transaction landed and its answer was lost before the SDK sent it
      // again. Committed, not verified by another run (whose result this run would not report).
      if (now.Item?.verifiedBy === token) return 'committed';
      return now.Item?.outcome !== undefined || now.Item?.status !== 'executed'
        ? 'verified'
        : 'conflict';
    }
  }
}
