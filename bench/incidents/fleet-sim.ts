// The simulated ECS service of bench:incidents: the scaling simulator's service model (capacity per
// task, start-up delay, a queue that carries backlog, the utilisation → latency curve of
// bench/scaling/service-sim.ts) extended with what incidents are made of — revisions and rolling
// deployments (a restart is a new deployment of the same revision; a rollback restores the
// previous one), memory per task (a leak grows with a task's age until it is replaced or killed
// out of memory), errors, extra latency, a dependency that fails, and tasks that crash.
import { seededRandom, standardNormal, type Random } from '../../src/decision/seeded-random';
import type { EcsState, ServiceSnapshot } from '../../src/model';
import { p95Latency, type SimView, type StepRecord } from '../scaling/service-sim';
import type { Conditions, FleetAction, FleetMinute, FleetSettings } from './fleet-model';

export type { Conditions, FleetAction, FleetMinute, FleetSettings } from './fleet-model';

interface Task {
  revision: number;
  generation: number;
  startedAt: number;
  readyAt: number;
}

export class FleetSim {
  readonly steps: StepRecord[] = [];
  readonly minutes: FleetMinute[] = [];
  readonly actions: FleetAction[] = [];
  private tasks: Task[];
  private desired: number;
  private revision: number;
  private generation = 0;
  private deployedAt: number;
  private backlog = 0;
  private probeFailures = 0;
  private t = 0;
  private readonly random: Random;

  constructor(
    readonly settings: FleetSettings,
    private readonly conditions: Conditions,
    init: { tasks: number; revision: number; deployedAt: number },
    seed: number,
  ) {
    this.random = seededRandom(seed);
    this.desired = init.tasks;
    this.revision = init.revision;
    this.deployedAt = init.deployedAt;
    this.tasks = Array.from({ length: init.tasks }, () => ({
      revision: init.revision,
      generation: 0,
      startedAt: init.deployedAt,
      readyAt: -Infinity,
    }));
  }

  now(): number {
    return this.t;
  }

  // ── what ECS shows ──
  ecsState(): EcsState {
    const running = this.serving(this.t).length;
    return {
      desiredCount: this.desired,
      runningCount: running,
      pendingCount: this.tasks.length - running,
      taskDefinition: this.taskDefinition(this.revision),
      deployments: this.tasks.some((k) => k.generation !== this.generation) ? 2 : 1,
      rolloutState: this.tasks.some((k) => k.generation !== this.generation)
        ? 'IN_PROGRESS'
        : 'COMPLETED',
      lastDeploymentAt: new Date(this.settings.startMs + this.deployedAt * 1000).toISOString(),
    };
  }

  snapshot(): ServiceSnapshot {
    const e = this.ecsState();
    return {
      desiredCount: e.desiredCount,
      runningCount: e.runningCount,
      taskDefinition: e.taskDefinition,
      lastDeploymentAt: e.lastDeploymentAt,
    };
  }

  taskDefinition(revision: number): string {
    return `arn:aws:ecs:eu-west-1:123456789012:task-definition/${this.settings.taskFamily}:${revision}`;
  }

  /** What a target-tracking scaler (bench/scaling) may look at. */
  view(): SimView {
    const running = this.serving(this.t).length;
    return {
      t: this.t,
      desired: this.desired,
      running,
      pending: this.tasks.length - running,
      readyAt: this.tasks.map((k) => k.readyAt),
      settings: this.settings,
      steps: this.steps,
      minutes: this.minutes,
    };
  }

  // ── actions ──
  setDesired(count: number): { previous: number } {
    const previous = this.desired;
    const next = Math.min(
      Math.max(Math.round(count), this.settings.minTasks),
      this.settings.maxTasks,
    );
    if (next === previous) return { previous };
    const current = this.tasks.filter((k) => k.generation === this.generation);
    if (next > current.length) {
      for (let i = current.length; i < next; i++) this.tasks.push(this.newTask(this.revision));
    } else {
      // Starting tasks go first, then the newest.
      const drop = new Set(
        [...current].sort((a, b) => b.readyAt - a.readyAt).slice(0, current.length - next),
      );
      this.tasks = this.tasks.filter((k) => !drop.has(k));
    }
    this.desired = next;
    this.actions.push({
      at: this.t,
      action: next > previous ? 'scale-out' : 'scale-in',
      detail: `${previous} → ${next}`,
    });
    return { previous };
  }

  restart(): void {
    this.startDeployment(this.revision);
    this.actions.push({ at: this.t, action: 'restart', detail: `revision ${this.revision}` });
  }

  /** Back to `target` (an ARN) or to the revision deployed before the current one. */
  rollback(target: string | null): { from: string; to: string } {
    const from = this.revision;
    const wanted = target ? Number(/:(\d+)$/.exec(target)?.[1]) : NaN;
    const to = Number.isFinite(wanted) ? wanted : this.previousRevision();
    this.startDeployment(to);
    this.actions.push({ at: this.t, action: 'rollback', detail: `${from} → ${to}` });
    return { from: this.taskDefinition(from), to: this.taskDefinition(to) };
  }

  /**
   * As lib/ecs/ecs-scaler.ts finds it: a deployment still rolling off wins, else the newest older
   * revision of the family (every revision below the current one is registered).
   */
  private previousRevision(): number {
    const rollingOff = this.tasks
      .filter((k) => k.generation !== this.generation && k.revision !== this.revision)
      .sort((a, b) => b.generation - a.generation);
    return rollingOff[0]?.revision ?? Math.max(1, this.revision - 1);
  }

  private startDeployment(revision: number): void {
    this.generation++;
    this.revision = revision;
    this.deployedAt = this.t;
    for (let i = 0; i < this.desired; i++) this.tasks.push(this.newTask(revision));
  }

  private newTask(revision: number): Task {
    return {
      revision,
      generation: this.generation,
      startedAt: this.t,
      readyAt: this.t + this.settings.startupSeconds,
    };
  }

  // ── time ──
  /** Simulates the minute that starts now and returns its datapoint. */
  runMinute(): FleetMinute {
    const s = this.settings;
    const minute = Math.round(this.t / 60);
    const base = Math.max(0, this.conditions.rate(minute));
    const rate = Math.max(0, base + Math.sqrt(base) * standardNormal(this.random));
    const slices: Array<StepRecord & { errors: number; memory: number | null }> = [];
    for (let k = 0; k < 60 / s.stepSeconds; k++) {
      this.applyScheduled();
      this.retireOldGeneration();
      slices.push(this.step(rate));
      this.t += s.stepSeconds;
    }
    const failing = this.conditions.dependency(this.t - 1) !== null;
    this.probeFailures = failing ? this.probeFailures + 1 : 0;
    const withTasks = slices.filter((x) => x.running > 0);
    const arrivals = rate * 60;
    const errors = slices.reduce((a, x) => a + x.errors, 0);
    const blip = this.conditions.blip(minute) ?? {};
    const cpu = withTasks.length ? mean(withTasks.map((x) => x.cpu)) : null;
    const mem = slices.filter((x) => x.memory !== null).map((x) => x.memory!);
    const p95 = Math.max(...slices.map((x) => x.p95Ms));
    const noise = () => standardNormal(this.random);
    const point: FleetMinute = {
      minute,
      cpu: cpu ?? 0,
      cpuReported: cpu === null ? null : clamp(cpu + 1.5 * noise() + (blip.cpu ?? 0), 0, 100),
      memory: mem.length ? clamp(mean(mem) + 0.5 * noise() + (blip.memory ?? 0), 0, 100) : null,
      requestRate: rate,
      requestsPerTask: withTasks.length ? rate / mean(withTasks.map((x) => x.running)) : 0,
      // A blip is in what is measured, not in what users get.
      p95Ms: p95,
      latencyReported: withTasks.length
        ? Math.max(1, (p95 + (blip.latencyMs ?? 0)) * (1 + 0.06 * noise()))
        : null,
      tasks: mean(slices.map((x) => x.running)),
      errorRate: clamp(
        (arrivals > 0 ? (100 * errors) / arrivals : 0) + Math.abs(0.1 * noise()),
        0,
        100,
      ),
      probeFailures: this.probeFailures,
      desired: this.desired,
      running: slices.at(-1)!.running,
      pending: slices.at(-1)!.pending,
      servingRevisions: [...new Set(this.serving(this.t).map((k) => k.revision))].sort(),
      leakedPercent: mean(this.serving(this.t).map((k) => this.leaked(k, this.t))),
      deploymentStartedAt: this.deployedAt,
      rolloutComplete: this.tasks.every((k) => k.generation === this.generation),
    };
    this.minutes.push(point);
    if (this.steps.length > 400) this.steps.splice(0, this.steps.length - 200);
    return point;
  }

  private step(rate: number): StepRecord & { errors: number; memory: number | null } {
    const s = this.settings;
    const dt = s.stepSeconds;
    this.killOutOfMemory();
    const serving = this.serving(this.t);
    const running = serving.length;
    const arrivals = rate * dt;
    const capacity = (running * s.capacityPerTask * dt) / this.conditions.costFactor(this.t);
    const work = this.backlog + arrivals;
    const served = Math.min(work, capacity);
    const backlog = Math.min(work - served, rate * s.maxQueueSeconds);
    const dropped = Math.max(0, work - served - backlog);
    this.backlog = backlog;
    const rho = capacity > 0 ? served / capacity : 1;
    const dependency = this.conditions.dependency(this.t);
    const traits = serving.map((k) => this.conditions.revisions.get(k.revision));
    const revisionErrors = mean(traits.map((r) => r?.errorPercent ?? 0));
    const revisionLatency = mean(traits.map((r) => r?.extraLatencyMs ?? 0));
    const errorPercent =
      running === 0 ? 100 : s.baseErrorPercent + revisionErrors + (dependency?.errorPercent ?? 0);
    const errors = Math.min(arrivals, dropped + (Math.min(100, errorPercent) / 100) * served);
    const record = {
      t: this.t,
      running,
      pending: this.tasks.length - running,
      arrivalRate: rate,
      cpu: 100 * rho,
      p95Ms:
        p95Latency(rho, backlog, running, s) +
        (running > 0
          ? revisionLatency +
            (dependency?.extraLatencyMs ?? 0) +
            this.conditions.extraLatencyMs(this.t)
          : 0),
      errors,
      memory: running > 0 ? mean(serving.map((k) => this.memoryOf(k, this.t))) : null,
    };
    this.steps.push(record);
    return record;
  }

  private serving(t: number): Task[] {
    return this.tasks.filter((k) => k.readyAt <= t && !this.conditions.crashes(t, k.revision));
  }

  private leaked(task: Task, t: number): number {
    const leak = this.conditions.leak;
    if (!leak || task.revision !== leak.revision || t <= leak.from) return 0;
    return (leak.percentPerMinute * (t - Math.max(leak.from, task.startedAt))) / 60;
  }

  private memoryOf(task: Task, t: number): number {
    return this.settings.memoryBasePercent + this.leaked(task, t);
  }

  /** A task out of memory is killed and replaced; the replacement starts fresh. */
  private killOutOfMemory(): void {
    for (const k of this.tasks) {
      if (k.readyAt <= this.t && this.memoryOf(k, this.t) >= 100) {
        k.startedAt = this.t;
        k.readyAt = this.t + this.settings.startupSeconds;
      }
    }
  }

  /** ECS stops the old deployment's tasks once the new one has its desired count serving. */
  private retireOldGeneration(): void {
    const fresh = this.serving(this.t).filter((k) => k.generation === this.generation).length;
    if (fresh >= this.desired)
      this.tasks = this.tasks.filter((k) => k.generation === this.generation);
  }

  private applyScheduled(): void {
    for (const d of this.conditions.deployments) {
      if (d.at >= this.t && d.at < this.t + this.settings.stepSeconds)
        this.startDeployment(d.revision);
    }
  }
}

/** A seed per scenario and purpose, so the fleet's noise does not depend on who else drew. */
export function fleetSeed(seed: number, index: number, purpose: number): number {
  return (seed * 1_000_003 + index * 9_973 + purpose * 101) >>> 0;
}

function mean(xs: readonly number[]): number {
  return xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length;
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}
