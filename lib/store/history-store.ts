// Read side of the API's history routes (SPEC A3): samples, anomalies, decisions and the action
// audit trail, filtered by service and time range, newest first, with opaque cursors.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { serviceIdOfDecision } from '../../src/model';
import { decisionSk, gsi1Kind, servicePk, skPrefix, stripStorage } from './keys';
import { cursorWithRange, type PageRequest, type PagedQuery } from './page-cursor';
import type { Item, Table } from './table';

export interface TimeRange {
  from: Date;
  to: Date;
}

export interface HistoryFilter extends TimeRange {
  serviceId?: string | undefined;
}

export class HistoryStore {
  constructor(private readonly table: Table) {}

  /** One service's items with sk `<prefix><at>…`, or every service's through gsi1 `<at>#…`. */
  private async byTime(
    prefix: string,
    gsiKind: string,
    f: HistoryFilter,
    extra: Pick<PagedQuery, 'filter' | 'names'> & { extraValues?: Record<string, unknown> },
    page: PageRequest,
  ) {
    const from = f.from.toISOString();
    const to = `${f.to.toISOString()}~`;
    const q: PagedQuery = f.serviceId
      ? {
          keyCondition: 'pk = :pk AND sk BETWEEN :from AND :to',
          values: {
            ':pk': servicePk(f.serviceId),
            ':from': `${prefix}${from}`,
            ':to': `${prefix}${to}`,
            ...extra.extraValues,
          },
        }
      : {
          index: 'gsi1',
          keyCondition: 'gsi1pk = :kind AND gsi1sk BETWEEN :from AND :to',
          values: { ':kind': gsiKind, ':from': from, ':to': to, ...extra.extraValues },
        };
    if (extra.filter) q.filter = extra.filter;
    if (extra.names) q.names = extra.names;
    // The next page must read this same range, even when it was defaulted from "now".
    const p = await this.table.queryPage(q, page);
    return { items: p.items.map(stripStorage), nextCursor: cursorWithRange(p.nextCursor, f) };
  }

  samples(serviceId: string, range: TimeRange, page: PageRequest) {
    return this.byTime(skPrefix.sample, '-', { ...range, serviceId }, {}, page);
  }

  anomalies(f: HistoryFilter, page: PageRequest) {
    return this.byTime(skPrefix.anomaly, gsi1Kind.anomaly, f, {}, page);
  }

  decisions(f: HistoryFilter & { status?: string | undefined }, page: PageRequest) {
    return this.byTime(
      skPrefix.decision,
      gsi1Kind.decision,
      f,
      f.status
        ? {
            filter: '#status = :status',
            names: { '#status': 'status' },
            extraValues: { ':status': f.status },
          }
        : {},
      page,
    );
  }

  actions(f: HistoryFilter, page: PageRequest) {
    return this.byTime(skPrefix.action, gsi1Kind.action, f, {}, page);
  }

  /** Every decision in the range (newest first), up to max, for reports. */
  async allDecisions(range: TimeRange, max: number): Promise<Item[]> {
    const out: Item[] = [];
    let cursor: string | undefined;
    do {
      const p = await this.decisions(range, { limit: Math.min(200, max - out.length), cursor });
      out.push(...p.items);
      cursor = p.nextCursor ?? undefined;
    } while (cursor && out.length < max);
    return out;
  }

  async decision(id: string): Promise<Item | null> {
    let serviceId: string;
    try {
      serviceId = serviceIdOfDecision(id);
    } catch {
      return null;
    }
    const out = await this.table.send(
      new GetCommand({
        TableName: this.table.name,
        Key: { pk: servicePk(serviceId), sk: decisionSk(id) },
        ConsistentRead: true,
      }),
    );
    return out.Item && out.Item.id === id ? stripStorage(out.Item) : null;
  }
}
