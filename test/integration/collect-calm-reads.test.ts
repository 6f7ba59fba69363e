// A calm service read every 15 minutes (the shipped cadence): the read brings every minute since
// the last one, and an anomaly in any of them is raised, not only in the newest five.
import { beforeEach, describe, expect, it } from 'vitest';
import { collectTick, defaultCollectOptions } from '../../src/use-cases/collect-tick';
import { collectStack, deployedLongAgo, minute } from '../support/collect-stack';

const start = 29_400_000; // an epoch minute

let env: Awaited<ReturnType<typeof setup>>;

async function setup() {
  const fixture = await collectStack();
  return { ...fixture, deps: { ...fixture.deps, ecs: deployedLongAgo(fixture.deps.ecs) } };
}

beforeEach(async () => {
  env = await setup();
});

describe('calm reads', () => {
  it('raise an anomaly from early in the gap between two reads, and write samples for the newest minutes', async () => {
    const tasks = new Map(env.a.services.map((s) => [s.id, 2]));
    expect(defaultCollectOptions.cadence.calmEveryMinutes).toBe(15);
    await env.feeder.backfill(start - 180, start + 1, tasks);
    const first = await collectTick(env.deps, minute(start + 1));
    expect(first.notDue).toBe(0);

    // Ten minutes before the next calm read, web's CPU jumps for three minutes, then settles.
    env.feeder.spikes.push({
      serviceId: 'web',
      fromMinute: start + 3,
      toMinute: start + 5,
      factor: 2.6,
    });
    await env.feeder.backfill(start + 1, start + 16, tasks);
    const between = await collectTick(env.deps, minute(start + 8));
    expect(between.notDue).toBe(3);

    const calmRead = await collectTick(env.deps, minute(start + 16));
    expect(calmRead.notDue).toBe(0);
    const spike = calmRead.anomalies.filter((a) => a.serviceId === 'web' && a.metric === 'cpu');
    expect(spike.map((a) => a.at)).toContain(minute(start + 3).toISOString());
    // Samples: the newest five minutes of each service.
    expect(calmRead.samples).toBe(3 * 5);
  });
});
