// The collector's integration fixture: a fresh emulator with the table and the demo fleet, the
// adapters the functions build, a metrics feeder at 2 tasks per service, and collect's production
// dependencies on the wall clock.
import { collectDeps } from '../../lib/wiring/collect';
import type { Service } from '../../src/model';
import type { EcsStateSource } from '../../src/ports';
import { DemoMetricsFeeder } from '../../scripts/lib/demo-fleet';
import { freshLocalStack, localAdapters } from './local-aws';

export const minute = (m: number) => new Date(m * 60_000);
export const wallClock = { now: () => new Date() };

/** The fixture, feeding `pick(services)` (the whole demo fleet by default). */
export async function collectStack(pick: (services: Service[]) => Service[] = (all) => all) {
  const stack = await freshLocalStack();
  const a = localAdapters(stack.endpoint, stack.tableName);
  const fed = pick(a.services);
  const feeder = new DemoMetricsFeeder(stack.endpoint, fed);
  const tasks = new Map(fed.map((s) => [s.id, 2]));
  const deps = { ...collectDeps(a.config), clock: wallClock };
  return { stack, a, feeder, tasks, deps };
}

/**
 * ECS state with every deployment long past: moto stamps the demo fleet's deployment at the wall
 * clock, which the read cadence rightly keeps hot for its first minutes, while the services these
 * tests replay were deployed long before the minutes they read.
 */
export function deployedLongAgo(ecs: EcsStateSource): EcsStateSource {
  return {
    describe: async (services) =>
      new Map(
        [...(await ecs.describe(services))].map(([id, state]) => [
          id,
          state && { ...state, lastDeploymentAt: null },
        ]),
      ),
  };
}
