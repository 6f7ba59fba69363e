// History listings (SPEC A3): anomalies, decisions and the action audit trail, filtered by service
// and time range (the last week unless told), newest first, one page at a time.
import type { HistoryPageRequest, HistoryReader } from '../ports';

export type HistoryKind = 'anomalies' | 'decisions' | 'actions';

export interface HistoryQuery extends HistoryPageRequest {
  service?: string | undefined;
  /** Decisions only. */
  status?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
}

export interface HistoryListing {
  from: string;
  to: string;
  items: Record<string, unknown>[];
  nextCursor: string | null;
}

export const HISTORY_DEFAULT_DAYS = 7;

export async function historyListing(
  reader: HistoryReader,
  kind: HistoryKind,
  query: HistoryQuery,
  now: Date,
): Promise<HistoryListing> {
  const to = query.to ?? now;
  const from = query.from ?? new Date(to.getTime() - HISTORY_DEFAULT_DAYS * 86_400_000);
  const filter = { from, to, serviceId: query.service };
  const page = { limit: query.limit, cursor: query.cursor };
  const p =
    kind === 'decisions'
      ? await reader.decisions({ ...filter, status: query.status }, page)
      : await reader[kind](filter, page);
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    items: p.items,
    nextCursor: p.nextCursor,
  };
}
