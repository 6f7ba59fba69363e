// GET /services/{id}/forecast through the api function's real handler against the emulator: the
// load forecast collect saved beside the `requests` detector gives the next hours with a band
// (a weekday morning step forecast before it happens), the collector's samples give the past
// hours; a reader may see it, a key without read scope may not, and no requests model is a 404.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Scope } from '../../lib/http/route';
import { DynamoModelStore } from '../../lib/store/model-store';
import { DynamoObservationStore } from '../../lib/store/observation-store';
import { collectDetector } from '../../src/detection';
import { apiGet } from '../support/api-get';
import { freshLocalStack, localAdapters, useStackEnvironment } from '../support/local-aws';

const MINUTE = 60_000;
/** Monday 2026-03-02, 00:00 UTC. */
const t0 = Date.UTC(2026, 2, 2);
/** Three weeks later, Monday 09:30: the step comes at 10:00. */
const now = t0 + 21 * 1440 * MINUTE + 9.5 * 60 * MINUTE;

/** Weekdays 800 req/s from 10:00 to 12:00, 100 otherwise; weekends 100. */
function load(t: number): number {
  const d = new Date(t);
  const weekday = d.getUTCDay() >= 1 && d.getUTCDay() <= 5;
  return weekday && d.getUTCHours() >= 10 && d.getUTCHours() < 12 ? 800 : 100 + (t % 7);
}

const get = (path: string, scopes?: Scope[]) => apiGet(path, { now: new Date(now), scopes });

interface ForecastBody {
  serviceId: string;
  baseline: string;
  lastDatapointAt: string;
  preScaling: { mode: string };
  forecast: { at: string; expected: number; upper: number }[];
  past: { at: string; requests: number }[];
}

beforeAll(async () => {
  const stack = await freshLocalStack();
  useStackEnvironment(stack);
  const a = localAdapters(stack.endpoint, stack.tableName);
  // Three weeks of minutes up to two minutes before now, learned exactly as collect learns them.
  let detector = collectDetector.init();
  let lastTimestamp = t0;
  for (let t = t0; t <= now - 2 * MINUTE; t += MINUTE) {
    detector = collectDetector.update(detector, { timestamp: t, value: load(t) }).state;
    lastTimestamp = t;
  }
  await new DynamoModelStore(a.table).saveModel('web', 'requests', { lastTimestamp, detector }, 0);
  const observations = new DynamoObservationStore(a.table);
  for (let m = 30; m >= 2; m--) {
    const at = now - m * MINUTE;
    await observations.putSample(
      {
        serviceId: 'web',
        at: new Date(at).toISOString(),
        metrics: { requests: load(at) },
        ecs: null,
      },
      new Date(now),
    );
  }
});

describe('GET /services/{id}/forecast', () => {
  it('forecasts the weekday step before it comes, with an upper band, beside the past samples', async () => {
    const res = await get('/services/web/forecast?hours=1&pastHours=1');

    expect(res.status).toBe(200);
    const body = res.json as unknown as ForecastBody;
    expect(body).toMatchObject({ serviceId: 'web', baseline: 'weekly' });
    expect(body.preScaling.mode).toBe('act');
    expect(body.lastDatapointAt).toBe(new Date(now - 2 * MINUTE).toISOString());
    const at = (iso: string) => body.forecast.find((p) => p.at === iso);
    const before = at(new Date(now + 10 * MINUTE).toISOString())!; // 09:40
    const after = at(new Date(now + 40 * MINUTE).toISOString())!; // 10:10
    expect(before.expected).toBeLessThan(250);
    expect(after.expected).toBeGreaterThan(600);
    for (const p of body.forecast) expect(p.upper).toBeGreaterThan(p.expected);
    expect(Date.parse(body.forecast.at(-1)!.at)).toBeGreaterThanOrEqual(now + 59 * MINUTE);
    expect(body.past).toHaveLength(29);
    expect(body.past[0]!.requests).toBeCloseTo(load(now - 30 * MINUTE));
  });

  it('is a 404 when the service has neither a requests nor a cpu model yet', async () => {
    const res = await get('/services/api/forecast');

    expect(res.status).toBe(404);
    expect(JSON.stringify(res.json)).toMatch(/no requests or cpu model yet/);
  });

  it('is a 404 for an unknown service, and needs the read scope', async () => {
    expect((await get('/services/nope/forecast')).status).toBe(404);
    expect((await get('/services/web/forecast', [])).status).toBe(403);
  });
});
