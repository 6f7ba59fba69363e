// Plays one scenario with one system on its own copy of the fleet: history first (what the collector
// backfills), then live minutes in which the system looks at what CloudWatch and ECS show and acts
// before the next one is simulated. What each system did comes back as a SystemRun for scoring.
import { serviceSchema, type Service } from '../../src/model';
import { cpuTarget, requestsTargetPercent } from '../scaling/scalers';
import { StaticRunbook, targetTracking } from './comparators';
import { FleetSim, fleetSeed, type FleetAction, type FleetMinute } from './fleet-sim';
import type { Scenario } from './scenarios';
import type { MemoryTable } from './memory-ports';
import { DATAPOINT_DELAY_MINUTES } from './sim-adapters';
import {
  productionSwitches,
  runVigiaTick,
  scheduledStepsFor,
  vigiaStack,
  type Cadence,
  type ScheduledStep,
  type StreamConsumer,
} from './vigia-pipeline';

export const systems = ['vigia', 'targetTracking', 'runbook'] as const;
export type SystemName = (typeof systems)[number];

export interface RunMessage {
  /** Simulated seconds. */
  at: number;
  resolved: boolean;
}

export interface SystemRun {
  system: SystemName;
  minutes: FleetMinute[];
  actions: FleetAction[];
  messages: RunMessage[];
  /** Minute (tick) at which the system first noticed something at or after the fault. */
  detectedAtMinute: number | null;
  /**
   * What the system named the problem first on evidence of the fault (a datapoint at or after it,
   * or ECS's live state); null when it names nothing.
   */
  diagnosis: string | null;
  /**
   * The scoring before session 10: the first name given from the tick after the fault's minute
   * on, whatever the evidence's age — at that tick a CloudWatch reader has only datapoints from
   * before the fault, so this names the noise of the minute before as often as the fault.
   */
  diagnosisFromTick?: string | null;
}

export function newSim(s: Scenario): FleetSim {
  return new FleetSim(s.settings, s.conditions, s.init, fleetSeed(s.seed, 0, 2));
}

/** The simulated service as vigia's configuration: product defaults, the comparators' targets. */
export function scenarioService(s: Scenario): Service {
  return serviceSchema.parse({
    id: 'shop-api',
    name: 'Shop API',
    type: 'api',
    ecs: { cluster: 'bench', service: 'shop-api' },
    minTasks: s.settings.minTasks,
    maxTasks: s.settings.maxTasks,
    targets: { cpu: cpuTarget, memory: 75 },
    scaling: { requestsPerTaskCapacity: s.settings.capacityPerTask, requestsTargetPercent },
    dependencies: [{ name: 'payments', url: 'https://payments.example.com/health' }],
  });
}

function history(sim: FleetSim, s: Scenario): void {
  for (let m = 0; m < s.liveFromMinute; m++) sim.runMinute();
}

export interface PipelineSteps {
  /** The collector's cadence (default `minute`); `steps` default to its schedules. */
  cadence?: Cadence;
  steps?: readonly ScheduledStep[];
  consumers?: readonly StreamConsumer[];
}

export async function playVigia(s: Scenario, pipeline: PipelineSteps = {}): Promise<SystemRun> {
  const sim = newSim(s);
  history(sim, s);
  const cadence = pipeline.cadence ?? 'minute';
  const stack = vigiaStack(scenarioService(s), sim, productionSwitches, cadence);
  const steps = pipeline.steps ?? scheduledStepsFor(cadence);
  for (let m = s.liveFromMinute; m < s.endMinute; m++) {
    await runVigiaTick(stack, new Date(s.settings.startMs + m * 60_000), steps, pipeline.consumers);
    sim.runMinute();
  }
  const start = s.settings.startMs;
  const minuteOf = (iso: string) => Math.round((Date.parse(iso) - start) / 60_000);
  const anomalies = [...stack.table.anomalies.values()]
    .map((a) => minuteOf(a.at))
    .filter((m) => m >= s.faultMinute);
  const named = vigiaNamed(stack.table, start + s.faultMinute * 60_000);
  return {
    system: 'vigia',
    minutes: sim.minutes,
    actions: sim.actions,
    messages: stack.notifier.sent.map((x) => ({
      at: (x.at - start) / 1000,
      resolved: x.kind === 'resolved',
    })),
    // An anomaly of minute m is known once its datapoint is published and collected.
    detectedAtMinute: anomalies.length
      ? Math.min(...anomalies) + 1 + DATAPOINT_DELAY_MINUTES
      : null,
    diagnosis: named.onFaultEvidence,
    diagnosisFromTick: named.fromTick,
  };
}

/**
 * What vigia named first among the decisions it made once the fault could be seen: from the tick
 * after the fault's minute (a tick runs before its minute is simulated), on evidence of the fault.
 * A decision's `at` is its evidence's time: a datapoint at or after the fault's minute, or one from
 * before it read with ECS's state now (an outage: 0 running tasks, seen live). A decision at the
 * fault's + 1 tick on a CloudWatch datapoint from before the fault answers that minute's noise, not
 * the fault: no CloudWatch reader sees the fault before + 2. `fromTick` is the session-9 scoring
 * (the first decision from the + 1 tick, whatever its evidence).
 */
export function vigiaNamed(
  table: Pick<MemoryTable, 'decisions' | 'decidedAt' | 'anomalies'>,
  faultAtMs: number,
): { onFaultEvidence: string | null; fromTick: string | null } {
  const decidedAt = (d: { id: string; at: string }) =>
    table.decidedAt.get(d.id) ?? Date.parse(d.at);
  const decided = [...table.decisions.values()]
    .filter((d) => d.requestedBy === 'vigia:decide' && decidedAt(d) >= faultAtMs + 60_000)
    .sort((a, b) => decidedAt(a) - decidedAt(b) || a.at.localeCompare(b.at));
  const onFaultEvidence = (d: { at: string; anomalyId: string }) =>
    Date.parse(d.at) >= faultAtMs || table.anomalies.get(d.anomalyId)?.source === 'outage';
  return {
    onFaultEvidence: decided.find(onFaultEvidence)?.diagnosis ?? null,
    fromTick: decided[0]?.diagnosis ?? null,
  };
}

export function playTargetTracking(s: Scenario): SystemRun {
  const sim = newSim(s);
  history(sim, s);
  const scaler = targetTracking(s.settings.capacityPerTask);
  for (let m = s.liveFromMinute; m < s.endMinute; m++) {
    const wanted = scaler.tick(sim.view());
    if (wanted !== undefined) sim.setDesired(wanted);
    sim.runMinute();
  }
  const first = sim.actions.find((a) => a.at >= s.faultMinute * 60);
  return {
    system: 'targetTracking',
    minutes: sim.minutes,
    actions: sim.actions,
    messages: [],
    detectedAtMinute: first ? first.at / 60 : null,
    diagnosis: null,
  };
}

export function playRunbook(s: Scenario): SystemRun {
  const sim = newSim(s);
  history(sim, s);
  const runbook = new StaticRunbook();
  for (let m = s.liveFromMinute; m < s.endMinute; m++) {
    runbook.tick(sim, sim.minutes[m - 1 - DATAPOINT_DELAY_MINUTES]!);
    sim.runMinute();
  }
  const fired = runbook.events.filter((e) => e.state === 'ALARM' && e.at >= s.faultMinute * 60);
  // Named on evidence of the fault: at tick m the runbook reads minute m - 1 - delay.
  const faultDataFrom = (s.faultMinute + 1 + DATAPOINT_DELAY_MINUTES) * 60;
  return {
    system: 'runbook',
    minutes: sim.minutes,
    actions: sim.actions,
    messages: runbook.events
      .filter((e) => e.notified)
      .map((e) => ({ at: e.at, resolved: e.state === 'OK' })),
    detectedAtMinute: fired[0] ? fired[0].at / 60 : null,
    diagnosis: fired.find((e) => e.notified && e.at >= faultDataFrom)?.diagnosis ?? null,
    diagnosisFromTick: fired.find((e) => e.notified)?.diagnosis ?? null,
  };
}
