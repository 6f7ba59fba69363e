// A new service warms from CloudWatch's history, a chunk per tick: each tick learns at most
// `warmUpPointsPerTick` points per series (within the service's time budget), resumes where the
// last stopped, raises nothing on history, and once caught up judges live points with the daily
// profile and the load forecast's daily baseline already learned. At the defaults that is 14 days
// in 2,880-point chunks (8 ticks); here 2 days and 2 hours in 600-point chunks, because moto
// answers GetMetricData in time quadratic in the datapoints (14 days of minutes time out).
import { beforeAll, describe, expect, it } from 'vitest';
import { collectOptions } from '../../lib/wiring/collect';
import { loadBaselineKind, type CollectedSeriesState } from '../../src/detection';
import { collectServices, type SeriesModel } from '../../src/use-cases/collect-tick';
import { collectStack, minute } from '../support/collect-stack';

const start = 29_600_000; // an epoch minute: "now" at the first tick
const HISTORY = 3000; // minutes: two days and two hours
const CHUNK = 600;

let env: Awaited<ReturnType<typeof setup>>;

async function setup() {
  const fixture = await collectStack((all) => all.filter((s) => s.id === 'web'));
  return { ...fixture, web: fixture.a.services.find((s) => s.id === 'web')! };
}

async function cpuModel(): Promise<SeriesModel<CollectedSeriesState>> {
  const models = await env.a.store.loadModels('web');
  return models.find((m) => m.metric === 'cpu')!.state as SeriesModel<CollectedSeriesState>;
}

beforeAll(async () => {
  env = await setup();
  await env.feeder.backfill(start - HISTORY, start, env.tasks);
}, 300_000);

describe('warm-up from 14 days of history', () => {
  it('learns the history a chunk per tick within budget, then judges live points warm', async () => {
    // The defaults: 14 days of history, 2,880 points per series per tick.
    expect(collectOptions(env.a.config)).toMatchObject({
      backfillMinutes: 14 * 1440,
      warmUpPointsPerTick: 2880,
    });
    const options = { ...collectOptions(env.a.config), backfillMinutes: HISTORY };
    options.warmUpPointsPerTick = CHUNK;
    const chunk = CHUNK;

    const ticks: { caughtUp: boolean; samples: number; anomalies: number }[] = [];
    for (let m = start + 1; ticks.length < 20; m++) {
      await env.feeder.put(env.feeder.datums(m - 1, env.tasks));
      const result = await collectServices(env.deps, [env.web], minute(m), options);
      // Within budget: a service over `serviceBudgetMs` (its detector and writes) is a failure.
      expect(result.failures).toEqual([]);
      const model = await cpuModel();
      const caughtUp = model.lastTimestamp === (m - 1) * 60_000;
      ticks.push({ caughtUp, samples: result.samples, anomalies: result.anomalies.length });
      if (ticks.length === 1) {
        // The first tick learned the oldest chunk of the 14 days, nothing more.
        expect(model.detector.n).toBe(chunk);
        expect(model.lastTimestamp).toBe((m - HISTORY + chunk - 1) * 60_000);
      }
      if (caughtUp) break;
    }
    const k = ticks.length;
    // The history at `chunk` points a tick, while a new minute arrives each tick.
    expect(k).toBe(Math.ceil((HISTORY - 1) / (chunk - 1)));
    // History raises nothing and writes no samples
    // (the tick before catching up may reach into the live window's last minutes).
    for (const t of ticks) expect(t.anomalies).toBe(0);
    for (const t of ticks.slice(0, -2)) expect(t.samples).toBe(0);

    const { detector } = await cpuModel();
    expect(detector.n).toBeGreaterThanOrEqual(HISTORY);
    // The daily cycle is learned from day one: the detector's hour-of-day profile is on, and the
    // load forecast (cpu: web has no requests) stands on its daily baseline.
    expect(detector.season.on).toBe(true);
    expect(loadBaselineKind(detector.lf!)).toBe('daily');

    // Warm: the next live minute is judged and written as a sample.
    const next = start + k + 1;
    await env.feeder.put(env.feeder.datums(next - 1, env.tasks));
    const live = await collectServices(env.deps, [env.web], minute(next), options);
    expect(live.samples).toBe(1);
  }, 600_000);
});
