// Housekeeping's daily reports in the single table: one item per UTC day, created once (a second
// run finds it and sends the same report), kept ~13 months, listed newest first for the API.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { DailyReport } from '../../src/use-cases/daily-report';
import type { DailyReportStore } from '../../src/use-cases/housekeeping';
import { dailyReportKey, expiresAt, reportsPk, ttl } from './keys';
import type { Table } from './table';

export class DynamoDailyReportStore implements DailyReportStore {
  constructor(private readonly table: Table) {}

  create(report: DailyReport, now: Date): Promise<boolean> {
    return this.table.create({
      ...dailyReportKey(report.day),
      kind: 'daily-report',
      report,
      recordedAt: now.toISOString(),
      expiresAt: expiresAt(report.to, ttl.dailyReportDays),
    });
  }

  async get(day: string): Promise<DailyReport | null> {
    const out = await this.table.send(
      new GetCommand({
        TableName: this.table.name,
        Key: dailyReportKey(day),
        ConsistentRead: true,
      }),
    );
    return (out.Item?.report as DailyReport | undefined) ?? null;
  }

  /** The latest `limit` reports, newest first. */
  async latest(limit: number): Promise<DailyReport[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': reportsPk, ':prefix': 'DAILY#' },
      ScanIndexForward: false,
      Limit: limit,
    });
    return items.slice(0, limit).map((i) => i.report as DailyReport);
  }
}
