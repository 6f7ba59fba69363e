import { describe, expect, it } from 'vitest';
import { StaticRunbook } from '../../../bench/incidents/comparators';
import { FleetSim, type Conditions } from '../../../bench/incidents/fleet-sim';
import { playRunbook, playTargetTracking } from '../../../bench/incidents/play';
import { makeScenario } from '../../../bench/incidents/scenarios';
import { defaultSimSettings } from '../../../bench/scaling/service-sim';

function fleet(over: Partial<Conditions>): FleetSim {
  const conditions: Conditions = {
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
  const settings = {
    ...defaultSimSettings,
    minTasks: 1,
    maxTasks: 30,
    memoryBasePercent: 50,
    baseErrorPercent: 0.2,
    taskFamily: 'shop',
    startMs: Date.UTC(2026, 2, 2),
  };
  return new FleetSim(settings, conditions, { tasks: 6, revision: 7, deployedAt: -86_400 }, 3);
}

/** Each minute: the runbook looks at the minute that just closed, then the next one runs. */
function play(sim: FleetSim, runbook: StaticRunbook, minutes: number): void {
  sim.runMinute();
  for (let i = 1; i < minutes; i++) {
    runbook.tick(sim, sim.minutes.at(-1)!);
    sim.runMinute();
  }
}

describe('the static runbook', () => {
  it('scales out by half after two minutes over 80 % CPU, and says so', () => {
    const sim = fleet({ rate: (m) => (m >= 2 ? 290 : 200) });
    const runbook = new StaticRunbook();

    play(sim, runbook, 6);

    expect(sim.actions[0]).toMatchObject({ action: 'scale-out', detail: '6 → 9' });
    expect(runbook.events[0]).toMatchObject({ alarm: 'cpu-high', state: 'ALARM', notified: true });
  });

  it('restarts on memory over 85 % and sends OK once memory is back down', () => {
    const sim = fleet({ leak: { from: 0, percentPerMinute: 1.5, revision: 7 } });
    const runbook = new StaticRunbook();

    play(sim, runbook, 40);

    expect(sim.actions.map((a) => a.action)).toContain('restart');
    expect(runbook.events.filter((e) => e.alarm === 'memory-high').map((e) => e.state)).toEqual([
      'ALARM',
      'OK',
    ]);
  });

  it('only alerts on errors: a bad deploy is never rolled back', () => {
    const s = makeScenario('bad-deploy', 0, 11);

    const run = playRunbook(s);

    expect(run.actions.filter((a) => a.action === 'rollback')).toEqual([]);
    expect(run.diagnosis).toBe('error_burst');
    expect(run.messages.filter((m) => !m.resolved).length).toBeGreaterThan(0);
  });
});

describe('target tracking alone', () => {
  it('answers a load spike with a scale-out and no message', () => {
    const s = makeScenario('load-spike', 0, 11);

    const run = playTargetTracking(s);

    expect(run.actions.find((a) => a.at >= s.faultMinute * 60)?.action).toBe('scale-out');
    expect(run.messages).toEqual([]);
  });
});
