// GET /services/{id}/metrics/{metric}/baseline through the api function's real handler against the
// emulator: the model collect saved is summarised (level, scale, band, daily profile, latest score),
// a reader may see it, a key without read scope may not, and a metric with no model is a 404.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Scope } from '../../lib/http/route';
import { DynamoModelStore } from '../../lib/store/model-store';
import { seriesDetector } from '../../src/detection';
import { apiGet } from '../support/api-get';
import { freshLocalStack, localAdapters, useStackEnvironment } from '../support/local-aws';

const t0 = Date.UTC(2026, 2, 2);
const FIVE_MINUTES = 300_000;

const get = (path: string, scopes?: Scope[]) =>
  apiGet(path, { now: new Date(t0 + 4 * 86_400_000), scopes });

interface BaselineBody {
  serviceId: string;
  metric: string;
  lastAt: string;
  level: number;
  scale: number;
  expected: number;
  band: { lower: number; upper: number };
  seasonal: { daily: { active: boolean; peak: { hourUtc: number } } };
  latest: { score: unknown; zScore: unknown };
}

let lastTimestamp = 0;

beforeAll(async () => {
  const stack = await freshLocalStack();
  useStackEnvironment(stack);
  const a = localAdapters(stack.endpoint, stack.tableName);
  // Three days of a daily cycle (peak 06:00 UTC), learned exactly as collect learns it.
  let detector = seriesDetector.init();
  for (let i = 0; i < 3 * 288; i++) {
    lastTimestamp = t0 + i * FIVE_MINUTES;
    const value = 50 + 30 * Math.sin((2 * Math.PI * i) / 288) + ((i * 7919) % 5) - 2;
    detector = seriesDetector.update(detector, { timestamp: lastTimestamp, value }).state;
  }
  await new DynamoModelStore(a.table).saveModel('web', 'cpu', { lastTimestamp, detector }, 0);
});

describe('GET /services/{id}/metrics/{metric}/baseline', () => {
  it('returns level, scale, band, the daily profile and the latest score', async () => {
    const res = await get('/services/web/metrics/cpu/baseline');

    expect(res.status).toBe(200);
    const body = res.json as unknown as BaselineBody;
    expect(body).toMatchObject({ serviceId: 'web', metric: 'cpu', warm: true, points: 864 });
    expect(body.lastAt).toBe(new Date(lastTimestamp).toISOString());
    expect(body.level).toBeGreaterThan(30);
    expect(body.level).toBeLessThan(70);
    expect(body.scale).toBeGreaterThan(0);
    expect(body.band.lower).toBeLessThan(body.expected);
    expect(body.band.upper).toBeGreaterThan(body.expected);
    expect(body.seasonal.daily.active).toBe(true);
    expect(body.seasonal.daily.peak.hourUtc).toBeGreaterThanOrEqual(5);
    expect(body.seasonal.daily.peak.hourUtc).toBeLessThanOrEqual(7);
    expect(typeof body.latest.score).toBe('number');
    expect(typeof body.latest.zScore).toBe('number');
  });

  it('is a 404 naming the metric when no model exists for it', async () => {
    const res = await get('/services/web/metrics/memory/baseline');

    expect(res.status).toBe(404);
    expect(JSON.stringify(res.json)).toMatch(/metric 'memory' of service 'web'/);
  });

  it('is a 404 for an unknown service', async () => {
    expect((await get('/services/nope/metrics/cpu/baseline')).status).toBe(404);
  });

  it('needs the read scope', async () => {
    expect((await get('/services/web/metrics/cpu/baseline', [])).status).toBe(403);
  });
});
