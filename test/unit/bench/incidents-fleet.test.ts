import { describe, expect, it } from 'vitest';
import { FleetSim, type Conditions, type FleetMinute } from '../../../bench/incidents/fleet-sim';
import { defaultSimSettings } from '../../../bench/scaling/service-sim';

const settings = {
  ...defaultSimSettings,
  minTasks: 1,
  maxTasks: 20,
  memoryBasePercent: 50,
  baseErrorPercent: 0.2,
  taskFamily: 'shop',
  startMs: Date.UTC(2026, 2, 2),
};

function conditions(over: Partial<Conditions> = {}): Conditions {
  return {
    rate: () => 200,
    costFactor: () => 1,
    extraLatencyMs: () => 0,
    dependency: () => null,
    crashes: () => false,
    leak: null,
    revisions: new Map(),
    deployments: [],
    blip: () => null,
    ...over,
  };
}

function fleet(over: Partial<Conditions> = {}): FleetSim {
  return new FleetSim(
    settings,
    conditions(over),
    { tasks: 6, revision: 7, deployedAt: -86_400 },
    1,
  );
}

function run(sim: FleetSim, minutes: number): FleetMinute {
  let last!: FleetMinute;
  for (let i = 0; i < minutes; i++) last = sim.runMinute();
  return last;
}

describe('the incident fleet', () => {
  it('leaks memory with task age until a restart replaces the tasks', () => {
    const sim = fleet({ leak: { from: 0, percentPerMinute: 1, revision: 7 } });

    const leaking = run(sim, 30);
    sim.restart();
    const afterRestart = run(sim, 3);

    expect(leaking.memory).toBeGreaterThan(75);
    expect(afterRestart.memory).toBeLessThan(56);
    expect(afterRestart.rolloutComplete).toBe(true);
    expect(sim.actions.map((a) => a.action)).toEqual(['restart']);
  });

  it('kills a task that runs out of memory, which then serves no one while it starts', () => {
    const sim = fleet({ leak: { from: 0, percentPerMinute: 2, revision: 7 } });

    const minutes = Array.from({ length: 30 }, () => sim.runMinute());

    expect(minutes.some((m) => m.running < 6)).toBe(true);
  });

  it('a bad revision errors until rolled back; a restart keeps it', () => {
    const sim = fleet({
      revisions: new Map([[8, { errorPercent: 30, extraLatencyMs: 0 }]]),
      deployments: [{ at: 60, revision: 8 }],
    });

    const bad = run(sim, 4);
    sim.restart();
    const restarted = run(sim, 4);
    const { from, to } = sim.rollback(null);
    const rolledBack = run(sim, 4);

    expect(bad.errorRate).toBeGreaterThan(25);
    expect(restarted.errorRate).toBeGreaterThan(25);
    expect(restarted.servingRevisions).toEqual([8]);
    expect([from, to].map((x) => x.split('/')[1])).toEqual(['shop:8', 'shop:7']);
    expect(rolledBack.errorRate).toBeLessThan(2);
    expect(rolledBack.servingRevisions).toEqual([7]);
  });

  it('rolls back to the deployment still rolling off, else to the revision below the current one', () => {
    const sim = fleet({ deployments: [{ at: 0, revision: 8 }] });
    run(sim, 1); // revision 8 still starting: 7 is rolling off
    const rollingOff = sim.rollback(null);
    run(sim, 3);

    const further = sim.rollback(null);

    expect(rollingOff.to.split('/')[1]).toBe('shop:7');
    expect(further.to.split('/')[1]).toBe('shop:6');
  });

  it('a failing dependency raises errors and probe failures that a restart does not cure', () => {
    const sim = fleet({
      dependency: (t) => (t >= 120 ? { errorPercent: 20, extraLatencyMs: 300 } : null),
    });

    run(sim, 5);
    sim.restart();
    const after = run(sim, 5);

    expect(after.errorRate).toBeGreaterThan(15);
    expect(after.probeFailures).toBe(8);
    expect(after.p95Ms).toBeGreaterThan(300);
  });

  it('a crash loop leaves no task running: the load balancer answers every request with an error', () => {
    const sim = fleet({ crashes: (t) => t >= 120 });

    run(sim, 2);
    const crashed = run(sim, 2);

    expect(crashed).toMatchObject({ running: 0, desired: 6, cpuReported: null, memory: null });
    expect(crashed.errorRate).toBeGreaterThan(99);
    expect(sim.ecsState()).toMatchObject({ runningCount: 0, pendingCount: 6, desiredCount: 6 });
  });

  it('new tasks serve only after their start-up delay', () => {
    const sim = fleet({ rate: (m) => (m >= 1 ? 500 : 200) });
    run(sim, 1);

    sim.setDesired(12);
    const starting = sim.ecsState();
    const next = run(sim, 2);

    expect(starting).toMatchObject({ desiredCount: 12, runningCount: 6, pendingCount: 6 });
    expect(next.running).toBe(12);
  });
});
