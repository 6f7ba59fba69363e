// Read side of the API's history routes (SPEC A3): samples, anomalies, decisions and the action
// audit trail, filtered by service and time range, newest first, with opaque cursors.
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { serviceIdOfDecision } from '../../src/model';
import { awsError } from '../aws/errors';
import { decisionSk, servicePk, stripStorage } from './keys';
import { queryPage, type Page, type PageRequest, type PagedQuery } from './paging';

export interface TimeRange {
  from: Date;
  to: Date;
}

export interface HistoryFilter extends TimeRange {
  serviceId?: string | undefined;
}

type Item = Record<string, unknown>;

export class HistoryStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly endpoint?: string,
  ) {}

  private page(q: PagedQuery, page: PageRequest): Promise<Page<Item>> {
    return queryPage(this.db, this.table, this.endpoint, q, page);
  }

  /** One service's items with sk `<prefix><at>…`, or every service's through gsi1 `<at>#…`. */
  private byTime(
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
    return this.page(q, page).then((p) => ({ ...p, items: p.items.map(stripStorage) }));
  }

  samples(serviceId: string, range: TimeRange, page: PageRequest) {
    return this.byTime('SAMPLE#', '-', { ...range, serviceId }, {}, page);
  }

  anomalies(f: HistoryFilter, page: PageRequest) {
    return this.byTime('ANOMALY#', 'ANOMALY', f, {}, page);
  }

  decisions(f: HistoryFilter & { status?: string | undefined }, page: PageRequest) {
    return this.byTime(
      'DECISION#',
      'DECISION',
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
    return this.byTime('ACTION#', 'ACTION', f, {}, page);
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
    const out = await this.db
      .send(
        new GetCommand({
          TableName: this.table,
          Key: { pk: servicePk(serviceId), sk: decisionSk(id) },
          ConsistentRead: true,
        }),
      )
      .catch((err) => {
        throw awsError(err, `DynamoDB table '${this.table}'`, this.endpoint);
      });
    return out.Item && out.Item.id === id ? stripStorage(out.Item) : null;
  }
}
