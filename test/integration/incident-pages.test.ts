// GET /incidents?status=… pages through the emulator: a filtered listing never answers a short or
// empty page that still carries a cursor, and walking the cursors returns every match exactly once.
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoAlertingStore } from '../../lib/store/alerting-store';
import { alertingConfigSchema, openIncident, type Incident } from '../../src/alerting';
import type { IncidentQuery } from '../../src/ports';
import { anAnomaly } from '../support/builders';
import { freshLocalStack, localAdapters } from '../support/local-aws';

const config = alertingConfigSchema.parse({});
const base = Date.now() - 3_600_000;
const iso = (s: number) => new Date(base + s * 1000).toISOString();

function incidentAt(serviceId: string, s: number, status: 'open' | 'resolved'): Incident {
  const at = iso(s);
  const anomaly = anAnomaly({ serviceId, at });
  const incident = openIncident(anomaly, new Date(base + s * 1000));
  return status === 'open' ? incident : { ...incident, status: 'resolved', resolvedAt: iso(s + 1) };
}

describe('incident listing with a status filter', () => {
  let store: DynamoAlertingStore;
  const openIds: string[] = [];

  beforeEach(async () => {
    const stack = await freshLocalStack();
    store = new DynamoAlertingStore(localAdapters(stack.endpoint, stack.tableName).table, config);
    openIds.length = 0;
    // Three old open incidents behind forty newer resolved ones: newest first, a page of the first
    // few items DynamoDB reads holds no open incident at all.
    for (let s = 0; s < 3; s++) {
      const incident = incidentAt('web', s, 'open');
      openIds.unshift(incident.id);
      await store.saveIncident(incident, 0);
    }
    for (let s = 10; s < 50; s++) await store.saveIncident(incidentAt('web', s, 'resolved'), 0);
  });

  async function walk(query: Omit<IncidentQuery, 'cursor'>) {
    const pages: { ids: string[]; nextCursor: string | null }[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.listIncidents({ ...query, ...(cursor ? { cursor } : {}) });
      pages.push({ ids: page.incidents.map((i) => i.id), nextCursor: page.nextCursor });
      cursor = page.nextCursor ?? undefined;
    } while (cursor && pages.length < 50);
    return pages;
  }

  it.each([
    ['every service (gsi1)', {}],
    ['one service', { serviceId: 'web' }],
  ])('returns full pages until the last, across %s', async (_, scope) => {
    const pages = await walk({ ...scope, status: 'open', limit: 2 });

    expect(pages.flatMap((p) => p.ids)).toEqual(openIds);
    expect(pages.map((p) => p.ids.length)).toEqual([2, 1]);
    expect(pages.at(-1)?.nextCursor).toBeNull();
  });

  it('pages through the resolved ones without losing or repeating any', async () => {
    const pages = await walk({ status: 'resolved', limit: 7 });

    const ids = pages.flatMap((p) => p.ids);
    expect(ids).toHaveLength(40);
    expect(new Set(ids).size).toBe(40);
    for (const p of pages.slice(0, -1)) expect(p.ids).toHaveLength(7);
  });

  it('refuses a cursor from another listing', async () => {
    const first = await store.listIncidents({ status: 'resolved', limit: 2 });

    await expect(
      store.listIncidents({ status: 'open', limit: 2, cursor: first.nextCursor! }),
    ).rejects.toThrow(/cursor/);
  });
});
