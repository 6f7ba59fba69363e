// The incident scenarios of bench:incidents: eight kinds, each with seeded variants (size, load,
// severity, timing) and noise. A scenario knows its fault, its cure (the first action a good
// operator takes), the diagnoses that name it, whether the autopilot can cure it at all, and when
// the service is healthy again.
import { seededRandom, type Random } from '../../src/decision/seeded-random';
import { defaultSimSettings } from '../scaling/service-sim';
import { fleetSeed, type Conditions, type FleetMinute, type FleetSettings } from './fleet-sim';

export const scenarioKinds = [
  'load-spike',
  'slow-ramp',
  'memory-leak',
  'bad-deploy',
  'failing-dependency',
  'crash-loop',
  'false-alarm',
  'plateau',
] as const;
export type ScenarioKind = (typeof scenarioKinds)[number];

/** The first thing that should touch the service; notify: tell people and leave it; none: nothing. */
export type Cure = 'scale-out' | 'restart' | 'rollback' | 'notify' | 'none';

export interface Scenario {
  name: string;
  kind: ScenarioKind;
  /** One line on what this variant is. */
  description: string;
  seed: number;
  settings: FleetSettings;
  conditions: Conditions;
  init: { tasks: number; revision: number; deployedAt: number };
  /** Minutes of history the collector backfills, then live minutes from here on. */
  liveFromMinute: number;
  faultMinute: number;
  endMinute: number;
  cure: Cure;
  /** Diagnoses that name the fault (the names vigia's engine uses, and the ones issue 14 adds). */
  diagnoses: readonly string[];
  /** Can an autopilot end it (vs. only tell people)? */
  resolvable: boolean;
  falseAlarm: boolean;
  /** The fault's own cause is gone (the bad revision replaced, the leaking tasks restarted). */
  cleared(m: FleetMinute): boolean;
}

export const HISTORY_MINUTES = 180;
const WARM_LIVE_MINUTES = 20;
const SCENARIO_MINUTES = 80;
/** What users notice: a p95 over the objective, 5xx above this share, memory at the runbook's line. */
export const SLO = { errorPercent: 5, memoryPercent: 85 };

/**
 * Healthy: the cause is gone and users are served within the objective. Before the fault there is
 * no cause to clear (a fault no autopilot can end has `cleared: never`, which must not make the
 * calm minutes before it unhealthy).
 */
export function isHealthy(s: Scenario, m: FleetMinute): boolean {
  return (
    (m.minute < s.faultMinute || s.cleared(m)) &&
    m.running > 0 &&
    m.p95Ms <= s.settings.objectiveMs &&
    m.errorRate < SLO.errorPercent &&
    (m.memory === null || m.memory < SLO.memoryPercent)
  );
}

const always = () => true;
const never = () => false;

export function makeScenarios(seed: number, perKind: number): Scenario[] {
  const out: Scenario[] = [];
  scenarioKinds.forEach((kind, k) => {
    for (let v = 0; v < perKind; v++)
      out.push(makeScenario(kind, v, fleetSeed(seed, k * 100 + v, 1)));
  });
  return out;
}

export function makeScenario(kind: ScenarioKind, variant: number, seed: number): Scenario {
  const r = seededRandom(seed);
  const tasks = 3 + Math.floor(r() * 7);
  // Sized at the shared CPU target (70 %), where every scaler is content.
  const baseRate = tasks * defaultSimSettings.capacityPerTask * between(r, 0.67, 0.7);
  const faultMinute = HISTORY_MINUTES + WARM_LIVE_MINUTES + Math.floor(r() * 10);
  const F = faultMinute * 60;
  const revision = 5 + Math.floor(r() * 20);
  const settings: FleetSettings = {
    ...defaultSimSettings,
    minTasks: 2,
    maxTasks: 40,
    memoryBasePercent: between(r, 45, 52),
    baseErrorPercent: between(r, 0.1, 0.4),
    taskFamily: 'shop-api',
    startMs: Date.UTC(2026, 2, 2, 6, 0),
  };
  const conditions: Conditions = {
    rate: () => baseRate,
    costFactor: () => 1,
    extraLatencyMs: () => 0,
    dependency: () => null,
    crashes: () => false,
    leak: null,
    revisions: new Map(),
    deployments: [],
    blip: () => null,
  };
  const base = {
    name: `${kind}#${variant + 1}`,
    kind,
    seed,
    settings,
    conditions,
    // The running revision went out two days before.
    init: { tasks, revision, deployedAt: -2 * 86_400 },
    liveFromMinute: HISTORY_MINUTES,
    faultMinute,
    endMinute: faultMinute + SCENARIO_MINUTES,
    resolvable: true,
    falseAlarm: false,
    cleared: always,
  };
  switch (kind) {
    case 'load-spike': {
      const factor = between(r, 1.7, 2.8);
      conditions.rate = (m) => (m >= faultMinute ? baseRate * factor : baseRate);
      return {
        ...base,
        description: `requests ×${factor.toFixed(1)} at once, sustained (${tasks} tasks)`,
        cure: 'scale-out',
        diagnoses: ['overload', 'saturation'],
      };
    }
    case 'slow-ramp': {
      const factor = between(r, 1.8, 2.6);
      const over = 30 + Math.floor(r() * 30);
      conditions.rate = (m) =>
        baseRate * (1 + (factor - 1) * Math.min(1, Math.max(0, (m - faultMinute) / over)));
      return {
        ...base,
        description: `requests rise to ×${factor.toFixed(1)} over ${over} min, then hold`,
        cure: 'scale-out',
        diagnoses: ['overload', 'saturation'],
      };
    }
    case 'memory-leak': {
      settings.memoryBasePercent = between(r, 55, 60);
      const rate = between(r, 0.45, 0.6);
      conditions.leak = { from: F, percentPerMinute: rate, revision };
      return {
        ...base,
        description: `memory leaks ${rate.toFixed(2)} %/min per task from ${settings.memoryBasePercent.toFixed(0)} %`,
        cure: 'restart',
        diagnoses: ['memory_leak'],
        // Cured by fresh tasks: a deployment (restart or rollback) since the leak began.
        cleared: (m) => m.deploymentStartedAt > F && m.rolloutComplete,
      };
    }
    case 'bad-deploy': {
      const errors = between(r, 15, 35);
      conditions.revisions = new Map([
        [revision + 1, { errorPercent: errors, extraLatencyMs: between(r, 0, 150) }],
      ]);
      conditions.deployments = [{ at: F, revision: revision + 1 }];
      return {
        ...base,
        description: `revision ${revision + 1} answers ${errors.toFixed(0)} % errors`,
        cure: 'rollback',
        diagnoses: ['bad_deploy'],
        cleared: (m) => !m.servingRevisions.includes(revision + 1),
      };
    }
    case 'failing-dependency': {
      const errors = between(r, 12, 30);
      const latency = between(r, 200, 700);
      conditions.dependency = (t) =>
        t >= F ? { errorPercent: errors, extraLatencyMs: latency } : null;
      return {
        ...base,
        description: `payments dependency fails: ${errors.toFixed(0)} % errors, +${latency.toFixed(0)} ms`,
        cure: 'notify',
        diagnoses: ['failing_dependency'],
        resolvable: false,
        cleared: never,
      };
    }
    case 'crash-loop': {
      if (variant % 2 === 0) {
        // Tasks of the new revision pass their health checks, then crash from the first job on.
        const deployAt = F - (3 + Math.floor(r() * 6)) * 60;
        conditions.deployments = [{ at: deployAt, revision: revision + 1 }];
        conditions.crashes = (t, rev) => rev === revision + 1 && t >= F;
        return {
          ...base,
          description: `revision ${revision + 1}, deployed ${(F - deployAt) / 60} min before, crash-loops: 0 running`,
          cure: 'rollback',
          diagnoses: ['bad_deploy', 'outage', 'crash_loop'],
          cleared: (m) => m.running > 0,
        };
      }
      // A secret deleted under the service: every revision crashes at start.
      conditions.crashes = (t) => t >= F;
      return {
        ...base,
        description: 'every task crashes at start (no deployment): 0 running',
        cure: 'notify',
        diagnoses: ['outage', 'crash_loop'],
        resolvable: false,
        cleared: never,
      };
    }
    case 'false-alarm': {
      const blips = new Map<number, { cpu?: number; latencyMs?: number; memory?: number }>();
      for (let i = 0; i < 3; i++) {
        const at = faultMinute + i * 20 + Math.floor(r() * 10);
        const which = Math.floor(r() * 3);
        blips.set(
          at,
          which === 0
            ? { cpu: between(r, 18, 28) }
            : which === 1
              ? { latencyMs: between(r, 300, 900) }
              : { memory: between(r, 6, 12) },
        );
      }
      conditions.blip = (m) => blips.get(m) ?? null;
      return {
        ...base,
        description: `three one-minute blips in the metrics (${[...blips.values()].map((b) => Object.keys(b)[0]).join(', ')}), no fault`,
        cure: 'none',
        diagnoses: [],
        resolvable: false,
        falseAlarm: true,
      };
    }
    case 'plateau': {
      if (variant % 2 === 0) {
        const cost = between(r, 1.3, 1.45);
        conditions.costFactor = (t) => (t >= F ? cost : 1);
        return {
          ...base,
          description: `each request costs ×${cost.toFixed(2)} from now on: CPU plateaus near 90 %`,
          cure: 'scale-out',
          diagnoses: ['overload', 'saturation'],
        };
      }
      const extra = between(r, 1500, 2600);
      conditions.extraLatencyMs = (t) => (t >= F ? extra : 0);
      return {
        ...base,
        description: `a slow downstream query adds ${extra.toFixed(0)} ms to every request, for good`,
        cure: 'notify',
        diagnoses: ['latency_regression'],
        resolvable: false,
        cleared: never,
      };
    }
  }
}

function between(r: Random, lo: number, hi: number): number {
  return lo + (hi - lo) * r();
}
