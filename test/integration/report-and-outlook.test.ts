// GET /report and GET /services/{id} through the api function's real handler against the emulator:
// the report gives time to act and time to recover apart (an incident resolved 13 minutes after it
// opened, vigia's ECS call a minute after the anomaly), success per service and per action kind,
// and the accuracy of target scaling; one service shows its health score and the forecast of each
// series: memory's time to its limit as decide computes it, and every line the watch forecasts a
// series against (disk reaching 95 %, each threshold policy crossed within the hour).
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoModelStore } from '../../lib/store/model-store';
import type { SingleTableStore } from '../../lib/store/single-table-store';
import { StatusHistoryStore } from '../../lib/store/status-history-store';
import { seriesDetector } from '../../src/detection';
import type { SeriesForecast } from '../../src/use-cases/service-outlook';
import { aDecision, anAnomaly, anEcsState } from '../support/builders';
import { apiGet } from '../support/api-get';
import { freshLocalStack, localAdapters, useStackEnvironment } from '../support/local-aws';

const t0 = Date.UTC(2026, 2, 2, 10);
const iso = (minute: number) => new Date(t0 + minute * 60_000).toISOString();
const now = new Date(t0 + 120 * 60_000);

const get = (path: string) => apiGet(path, { now });

let store: SingleTableStore;

beforeAll(async () => {
  const stack = await freshLocalStack();
  useStackEnvironment(stack);
  const a = localAdapters(stack.endpoint, stack.tableName);
  store = a.store;
  const history = new StatusHistoryStore(a.table);
  // web: an incident 10:00 → 10:13; vigia scaled out on its 10:01 anomaly, ECS answered at 10:02,
  // and verification said resolved. A target-scaling scale-in at 11:00 made things worse.
  await store.putDecision(
    aDecision({
      at: iso(1),
      finishedAt: iso(2),
      diagnosis: 'overload',
      outcome: 'resolved',
      verifiedAt: iso(7),
    }),
    new Date(t0),
  );
  await store.putDecision(
    aDecision({
      id: `web~${iso(60)}~target~decision`,
      anomalyId: `web~${iso(60)}~target`,
      at: iso(60),
      action: 'scale-in',
      fromCount: 4,
      toCount: 2,
      requestedBy: 'vigia:autoscale',
      diagnosis: 'target',
      finishedAt: new Date(t0 + 60 * 60_000 + 10_000).toISOString(),
      outcome: 'worse',
      verifiedAt: iso(66),
    }),
    new Date(t0),
  );
  await history.recordPastIncident({
    id: `web~${iso(0)}`,
    serviceId: 'web',
    severity: 'critical',
    level: 'outage',
    openedAt: iso(0),
    resolvedAt: iso(13),
    summary: 'cpu 93 is far above its usual 40',
    timeline: [],
  });

  // api: memory rising 0.05 points a minute from 40% for 8 hours, as collect learns it; its
  // latest sample and a warning anomaly on latency a minute ago.
  let detector = seriesDetector.init();
  let last = 0;
  for (let i = 0; i < 480; i++) {
    last = now.getTime() - (480 - i) * 60_000;
    detector = seriesDetector.update(detector, { timestamp: last, value: 40 + 0.05 * i }).state;
  }
  await new DynamoModelStore(a.table).saveModel(
    'api',
    'memory',
    { lastTimestamp: last, detector },
    0,
  );
  // worker: disk filling 0.01 points a minute from 50% (95% in about 3 days), and latency rising
  // slowly, then 10 ms a minute over the last hour to 1.8 s (the seed policy scale-out-latency's
  // 2 s in about 20 minutes).
  let disk = seriesDetector.init();
  let latency = seriesDetector.init();
  for (let i = 0; i < 480; i++) {
    const t = now.getTime() - (480 - i) * 60_000;
    disk = seriesDetector.update(disk, { timestamp: t, value: 50 + 0.01 * i }).state;
    const ms = i < 420 ? 1000 + 0.5 * i : 1210 + 10 * (i - 420);
    latency = seriesDetector.update(latency, { timestamp: t, value: ms }).state;
  }
  const models = new DynamoModelStore(a.table);
  await models.saveModel('worker', 'disk', { lastTimestamp: last, detector: disk }, 0);
  await models.saveModel('worker', 'latency_p95', { lastTimestamp: last, detector: latency }, 0);
  const at = new Date(last).toISOString();
  await store.putSample(
    { serviceId: 'api', at, metrics: { memory: 64, latency_p95: 900 }, ecs: anEcsState() },
    now,
  );
  await store.putAnomaly(
    anAnomaly({
      id: `api~${at}~latency_p95`,
      serviceId: 'api',
      metric: 'latency_p95',
      at,
      severity: 'warning',
      score: 0.5,
    }),
    now,
  );
});

describe('GET /report', () => {
  it('gives time to act and time to recover apart, success per service and action, accuracy', async () => {
    const res = await get(`/report?from=${iso(-60)}&to=${iso(119)}`);

    expect(res.status).toBe(200);
    expect(res.json.timeToAct).toEqual({ count: 2, medianSeconds: 35, meanSeconds: 35 });
    // The incident took 13 minutes to end; the worse scale-in never recovered.
    expect(res.json.timeToRecover).toEqual({
      count: 1,
      medianSeconds: 780,
      meanSeconds: 780,
      unrecovered: 1,
    });
    expect(res.json.meanTimeToRecoverSeconds).toBe(780);
    expect(res.json.byService).toEqual({
      web: { recoveries: 2, succeeded: 1, failed: 1, successRate: 0.5 },
    });
    expect(res.json.byAction).toMatchObject({
      'scale-in': { recoveries: 1, succeeded: 0, successRate: 0 },
      'scale-out': { recoveries: 1, succeeded: 1, successRate: 1 },
    });
    expect(res.json.accuracy.targetScaling).toMatchObject({ verified: 1, worse: 1, accuracy: 0 });
    expect(res.json.accuracy.overall).toMatchObject({ verified: 2, resolved: 1, accuracy: 0.5 });
  });
});

describe('GET /services/{id}', () => {
  it("shows the service's health score and the forecast of each series", async () => {
    const res = await get('/services/api');

    expect(res.status).toBe(200);
    expect(res.headers?.etag).toBe('"0"');
    expect(res.json).toMatchObject({ id: 'api', source: 'config' });
    // A warning anomaly on latency caps it at 1 − (0.25 + 0.35 × 0.5) = 57; the rising memory
    // series' own latest detector score (small, not an anomaly) may take a point or two more.
    expect(res.json.health.state).toBe('degraded');
    expect(res.json.health.score).toBeLessThanOrEqual(57);
    expect(res.json.health.score).toBeGreaterThanOrEqual(50);
    const [memory] = res.json.forecasts;
    expect(res.json.forecasts).toHaveLength(1);
    expect(memory.metric).toBe('memory');
    expect(memory.next.value).toBeGreaterThan(63);
    expect(memory.next.value).toBeLessThan(65.5);
    expect(memory.trendPerHour).toBeGreaterThan(2);
    expect(memory.trendPerHour).toBeLessThan(4);
    // 95% in about (95 − 64) / 0.05 = 620 minutes.
    expect(memory.breach.inMinutes).toBeGreaterThan(450);
    expect(memory.breach.inMinutes).toBeLessThan(800);
    expect(Date.parse(memory.breach.at) - Date.parse(memory.lastAt)).toBe(
      memory.breach.inMinutes * 60_000,
    );
    // Its lines: 95% within the week (the same breach), and the seed policy scale-out-memory's 85%
    // not within its hour.
    expect(memory.lines).toEqual([
      expect.objectContaining({ limit: 95, policy: null, breach: memory.breach }),
      expect.objectContaining({ limit: 85, policy: 'scale-out-memory', breach: null }),
    ]);
  });

  it('shows every forecast line: disk reaching 95% and each threshold policy crossed', async () => {
    const res = await get('/services/worker');

    expect(res.status).toBe(200);
    expect(res.json.health).toMatchObject({ state: 'operational' });
    const forecasts = res.json.forecasts as SeriesForecast[];
    const of = (metric: string) => forecasts.find((f) => f.metric === metric)!;
    const disk = of('disk');
    expect(disk.lines).toEqual([
      {
        limit: 95,
        side: 'above',
        horizonMinutes: 7 * 24 * 60,
        policy: null,
        breach: { inMinutes: expect.any(Number), at: expect.any(String) },
      },
    ]);
    // (95 − 54.8) / 0.01 ≈ 4000 minutes, within the week.
    expect(disk.breach!.inMinutes).toBeGreaterThan(3000);
    expect(disk.breach!.inMinutes).toBeLessThan(5500);
    // latency_p95: the tightest rising line of the seed policies (scale-out-latency, 2 s), within
    // the hour, and the 5 s of alert-latency is left out (reached later on the same side).
    const latency = of('latency_p95');
    expect(latency.lines).toHaveLength(1);
    expect(latency.lines[0]).toMatchObject({
      limit: 2000,
      side: 'above',
      horizonMinutes: 60,
      policy: 'scale-out-latency',
    });
    expect(latency.lines[0]!.breach!.inMinutes).toBeGreaterThan(5);
    expect(latency.lines[0]!.breach!.inMinutes).toBeLessThan(60);
    expect(latency.breach).toEqual(latency.lines[0]!.breach);
  });

  it('shows a service with no data as healthy, with no forecasts', async () => {
    const res = await get('/services/web');

    expect(res.json.health).toEqual({ score: 100, state: 'operational' });
    expect(res.json.forecasts).toEqual([]);
  });
});
