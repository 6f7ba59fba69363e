// Paged listings through the api function's real handler against the emulator: without from/to the
// default range ends at "now", which moves between requests, so the next page must keep the range
// its first page resolved. Every page answers 200, and the pages together hold every item once.
import { beforeAll, describe, expect, it } from 'vitest';
import { AuditStore } from '../../lib/store/audit-store';
import { apiRequest } from '../support/api-get';
import { aDecision, anAnomaly, aSample } from '../support/builders';
import { freshLocalStack, localAdapters, useStackEnvironment } from '../support/local-aws';

const t0 = Date.parse('2026-03-02T10:00:00.000Z');
const minutesAgo = (m: number) => new Date(t0 - m * 60_000).toISOString();
let clockMs = t0;

async function get(path: string, query: Record<string, string>) {
  // Each request a little later than the one before, as in real life.
  return apiRequest('GET', path, { now: () => new Date((clockMs += 1500)), query });
}

/** Every page of a listing, following nextCursor with nothing but limit and cursor. */
async function allPages(path: string, key: (item: Record<string, unknown>) => string) {
  const statuses: number[] = [];
  const keys: string[] = [];
  let cursor: string | undefined;
  do {
    const res = await get(path, { limit: '2', ...(cursor ? { cursor } : {}) });
    statuses.push(res.status);
    if (res.status !== 200) break;
    keys.push(...(res.json.items as Record<string, unknown>[]).map(key));
    cursor = (res.json.nextCursor as string | null) ?? undefined;
  } while (cursor);
  return { statuses, keys };
}

beforeAll(async () => {
  const stack = await freshLocalStack();
  useStackEnvironment(stack);
  const a = localAdapters(stack.endpoint, stack.tableName);
  const audit = new AuditStore(a.table);
  const recorded = new Date(t0);
  for (const m of [5, 4, 3, 2, 1]) {
    await a.store.putSample(aSample({ at: minutesAgo(m) }), recorded);
    await a.store.putAnomaly(anAnomaly({ at: minutesAgo(m) }), recorded);
    await a.store.putDecision(aDecision({ at: minutesAgo(m) }), recorded);
    await audit.record({
      id: `req-${m}`,
      serviceId: 'web',
      at: minutesAgo(m),
      type: 'scale',
      requestedBy: 'api:ops',
      detail: 'scale 2 → 3',
      decisionId: null,
    });
  }
});

describe('paging without from/to', () => {
  const newestFirst = [1, 2, 3, 4, 5].map(minutesAgo);

  it.each([
    ['/anomalies', (i: Record<string, unknown>) => String(i.at)],
    ['/decisions', (i: Record<string, unknown>) => String(i.at)],
    ['/actions', (i: Record<string, unknown>) => String(i.at)],
    ['/services/web/metrics', (i: Record<string, unknown>) => String(i.at)],
  ])('%s follows nextCursor to the end, every item once', async (path, key) => {
    const { statuses, keys } = await allPages(path, key);

    expect(statuses).toEqual([200, 200, 200]);
    expect(keys).toEqual(newestFirst);
  });

  it('still refuses a cursor on another listing', async () => {
    const first = await get('/anomalies', { limit: '2' });

    const res = await get('/decisions', { limit: '2', cursor: String(first.json.nextCursor) });

    expect(res.status).toBe(400);
    expect(JSON.stringify(res.json)).toContain('cursor');
  });
});

describe("a cursor whose key was altered, with the listing's own fingerprint kept", () => {
  /** The first page's cursor with its key replaced: the fingerprint is copied, not forged. */
  async function tampered(path: string, key: (k: Record<string, string>) => unknown) {
    const first = await get(path, { limit: '2' });
    const c = JSON.parse(Buffer.from(String(first.json.nextCursor), 'base64url').toString('utf8'));
    return Buffer.from(JSON.stringify({ ...c, k: key(c.k) })).toString('base64url');
  }

  it.each([
    ['/decisions', 'an empty key', () => ({})],
    [
      '/decisions',
      'a key of another partition',
      (k: Record<string, string>) => ({ ...k, gsi1pk: 'SVC#other' }),
    ],
    [
      '/decisions',
      'a key missing its index part',
      (k: Record<string, string>) => ({ pk: k.pk, sk: k.sk }),
    ],
    ['/services/web/metrics', 'an empty key', () => ({})],
    [
      '/services/web/metrics',
      'a key of another service',
      (k: Record<string, string>) => ({ ...k, pk: 'SVC#other' }),
    ],
    [
      '/services/web/metrics',
      'a key with a name of its own',
      (k: Record<string, string>) => ({ ...k, extra: 'x' }),
    ],
    [
      '/decisions',
      'a sort key outside the range read',
      (k: Record<string, string>) => ({ ...k, gsi1sk: '1999-01-01T00:00:00.000Z' }),
    ],
  ])('%s answers %s with a 400 naming the cursor, not a 503', async (path, _what, key) => {
    const cursor = await tampered(path, key);

    const res = await get(path, { limit: '2', cursor });

    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ error: 'validation_failed' });
    expect(JSON.stringify(res.json)).toContain('cursor');
  });
});
