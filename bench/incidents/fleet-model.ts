// What the incident fleet is made of, as data: its settings, the world a scenario puts around it
// (load, dependency, revisions, crashes, leaks, blips), the minute it reports and the actions taken
// on it. The simulation itself is fleet-sim.ts.
import type { MinuteDatapoint, SimSettings } from '../scaling/service-sim';

export interface FleetSettings extends SimSettings {
  /** A fresh task's memory utilisation, percent. */
  memoryBasePercent: number;
  /** 5xx share of a healthy service, percent. */
  baseErrorPercent: number;
  taskFamily: string;
  /** Epoch ms of t = 0. */
  startMs: number;
}

/** What is wrong with a revision's code. */
export interface RevisionTraits {
  errorPercent: number;
  extraLatencyMs: number;
}

/** The world around the service, as functions of simulated seconds; a scenario supplies them. */
export interface Conditions {
  /** Requests per second arriving in minute `minute`, before noise. */
  rate(minute: number): number;
  /** Work per request relative to normal (a heavier request mix raises it). */
  costFactor(t: number): number;
  /** Latency added to every request (a slow downstream query). */
  extraLatencyMs(t: number): number;
  /** The dependency's effect now; null while it is healthy. */
  dependency(t: number): { errorPercent: number; extraLatencyMs: number } | null;
  /** True when a task of this revision dies before it can serve (a crash loop). */
  crashes(t: number, revision: number): boolean;
  /** Memory a task of this revision leaks per minute of age since `from`. */
  leak: { from: number; percentPerMinute: number; revision: number } | null;
  revisions: ReadonlyMap<number, RevisionTraits>;
  /** Deployments nobody in the benchmark chose (the release that goes bad). */
  deployments: ReadonlyArray<{ at: number; revision: number }>;
  /** Short blips with no fault behind them (noise scenarios): added to a minute's datapoint. */
  blip(minute: number): { cpu?: number; latencyMs?: number; memory?: number } | null;
}

/** One minute as CloudWatch and ECS report it, and what the benchmark knows of its state. */
export interface FleetMinute extends MinuteDatapoint {
  /** Null when no task reported (nothing running). */
  cpuReported: number | null;
  memory: number | null;
  latencyReported: number | null;
  errorRate: number;
  probeFailures: number;
  desired: number;
  running: number;
  pending: number;
  /** Revisions of the tasks serving at the minute's end. */
  servingRevisions: number[];
  /** Memory the serving tasks have leaked on average at the minute's end, percent. */
  leakedPercent: number;
  /** When the current deployment began (s), and whether it replaced every older task. */
  deploymentStartedAt: number;
  rolloutComplete: boolean;
}

export interface FleetAction {
  at: number;
  action: 'scale-out' | 'scale-in' | 'restart' | 'rollback';
  detail: string;
}
