// History listings: the default week up to now, the service and status filters, and the page.
import { describe, expect, it } from 'vitest';
import type { HistoryFilter, HistoryPageRequest, HistoryReader } from '../../../src/ports';
import { historyListing } from '../../../src/use-cases/history-queries';

const now = new Date('2026-11-22T10:00:00.000Z');

function reader() {
  const asked: {
    kind: string;
    filter: HistoryFilter & { status?: string };
    page: HistoryPageRequest;
  }[] = [];
  const answer = (kind: string) => async (filter: HistoryFilter, page: HistoryPageRequest) => {
    asked.push({ kind, filter, page });
    return { items: [{ kind }], nextCursor: 'next' };
  };
  const r: HistoryReader = {
    anomalies: answer('anomalies'),
    decisions: answer('decisions'),
    actions: answer('actions'),
  };
  return { r, asked };
}

describe('history queries', () => {
  it('lists the last seven days up to now unless told otherwise', async () => {
    const { r, asked } = reader();
    const out = await historyListing(r, 'anomalies', { limit: 50 }, now);
    expect(out).toEqual({
      from: '2026-11-15T10:00:00.000Z',
      to: '2026-11-22T10:00:00.000Z',
      items: [{ kind: 'anomalies' }],
      nextCursor: 'next',
    });
    expect(asked[0]!.page).toEqual({ limit: 50, cursor: undefined });
  });

  it('passes the service, the status (decisions only) and the cursor on', async () => {
    const { r, asked } = reader();
    const to = new Date('2026-11-20T00:00:00.000Z');
    await historyListing(
      r,
      'decisions',
      { limit: 5, cursor: 'c1', service: 'web', status: 'proposed', to },
      now,
    );
    await historyListing(r, 'actions', { limit: 5, service: 'web', status: 'proposed' }, now);
    expect(asked[0]).toMatchObject({
      kind: 'decisions',
      filter: { serviceId: 'web', status: 'proposed', to, from: new Date('2026-11-13T00:00:00Z') },
      page: { limit: 5, cursor: 'c1' },
    });
    expect(asked[1]!.kind).toBe('actions');
    expect(asked[1]!.filter).not.toHaveProperty('status');
  });
});
