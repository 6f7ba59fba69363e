// Diagnosis (SPEC X1): named signatures over the latest sample, the open anomalies, the
// detector's forecast and the ECS state, each with the evidence it matched and a confidence.
import type { Anomaly } from '../model/anomaly';
import { ACT_ON_CONFIDENCE } from '../model/decision';
import type { Sample } from '../model/sample';
import type { Release } from './release';
import { memoryClimb, memoryClimbing } from './memory-climb';
import {
  hasOpenAnomaly,
  heldBefore,
  isRaised,
  SHAPE,
  shapeFor,
  type SymptomShape,
} from './symptom-shape';

export const diagnosisNames = [
  'overload',
  'memory_leak',
  'error_burst',
  'failing_dependency',
  'bad_deploy',
  'latency_regression',
  'saturation',
  'crash_loop',
] as const;
export type DiagnosisName = (typeof diagnosisNames)[number];

export interface Diagnosis {
  name: DiagnosisName;
  /** 0..1: how many of the signature's clues matched, and how strongly. */
  confidence: number;
  /** Human-readable facts that matched, e.g. "cpu 93% ≥ 80%". */
  evidence: string[];
}

export interface DiagnosisForecast {
  /** Minutes until the metric crosses its limit, if the detector expects it to. */
  metric: string;
  minutesToBreach: number;
}

export interface DiagnosisInput {
  sample: Sample;
  openAnomalies: readonly Anomaly[];
  forecasts?: readonly DiagnosisForecast[];
  now: Date;
  /**
   * The latest release still running (release.ts: vigia's own restarts and rollbacks are not
   * releases); null: none to blame. Absent: ECS's latest deployment, whoever made it.
   */
  release?: Release | null;
  /** The service's samples of the last half hour or so (any order), for trends; may be empty. */
  history?: readonly Sample[];
}

export interface DiagnosisThresholds {
  cpuHigh: number;
  cpuNormal: number;
  memoryHigh: number;
  /** A memory breach forecast within this many minutes is a leak, not a blip. */
  leakHorizonMinutes: number;
  latencyP95HighMs: number;
  /** 5xx share of requests, 0..1. */
  errorRateHigh: number;
  probeFailuresHigh: number;
  /** An anomaly starting within this long after a deployment blames the deployment. */
  deployWindowMinutes: number;
}

export const defaultDiagnosisThresholds: DiagnosisThresholds = {
  cpuHigh: 80,
  cpuNormal: 60,
  memoryHigh: 85,
  leakHorizonMinutes: 120,
  latencyP95HighMs: 2000,
  errorRateHigh: 0.1,
  probeFailuresHigh: 5,
  deployWindowMinutes: 30,
};

type Metrics = Record<string, number | null | undefined>;

/** Every signature that matches, most confident first. */
export function diagnose(
  input: DiagnosisInput,
  thresholds: DiagnosisThresholds = defaultDiagnosisThresholds,
): Diagnosis[] {
  const m: Metrics = input.sample.metrics;
  const found = [
    overload(m, input, thresholds),
    memoryLeak(m, input, thresholds),
    errorBurst(m, thresholds),
    failingDependency(m, thresholds),
    badDeploy(input, thresholds),
    latencyRegression(m, input, thresholds),
    saturation(m, input, thresholds),
    crashLoop(input, thresholds),
  ].filter((d): d is Diagnosis => d !== null);
  return found.sort((a, b) => b.confidence - a.confidence || a.name.localeCompare(b.name));
}

/**
 * A suspicion's confidence, under ACT_ON_CONFIDENCE: the likeliest name for what the first minutes
 * show (memory above its usual and rising, more requests than usual), told to people but not acted
 * on.
 */
const SUSPICION = 0.3;

/** The single diagnosis vigia names (a suspicion included); 'unknown' when nothing matched. */
export function primaryDiagnosis(diagnoses: readonly Diagnosis[]): DiagnosisName | 'unknown' {
  return diagnoses[0]?.name ?? 'unknown';
}

/** The diagnosis policies and learned choice act on: the primary one, unless only a suspicion. */
export function actionableDiagnosis(diagnoses: readonly Diagnosis[]): DiagnosisName | 'unknown' {
  const first = diagnoses[0];
  return first && first.confidence >= ACT_ON_CONFIDENCE ? first.name : 'unknown';
}

/**
 * 5xx share of requests, 0..1: a ready-made error_rate (in %, from the load balancer source or a
 * push) is used as is; otherwise errors_5xx ÷ requests.
 */
export function errorRate(m: Metrics): number | null {
  if (m.error_rate != null && Number.isFinite(m.error_rate)) return m.error_rate / 100;
  const errors = m.errors_5xx;
  const requests = m.requests;
  if (errors == null || requests == null || requests <= 0) return null;
  return errors / requests;
}

function overload(m: Metrics, input: DiagnosisInput, t: DiagnosisThresholds): Diagnosis | null {
  const evidence: string[] = [];
  const cpu = shapeFor(input, 'cpu');
  const requests = shapeFor(input, 'requests');
  // More requests than usual (the detector, or their own recent shape), or held past their share
  // of capacity (a threshold on request_utilisation, e.g. the seed's 75 % for 3 min): either way,
  // load the service serves.
  const moreRequests =
    hasOpenAnomaly(input, 'requests', 'up') ||
    hasOpenAnomaly(input, 'request_utilisation', 'up') ||
    isRaised(requests);
  // CPU moving up with them: above this service's usual by its noise (its own baseline when the
  // samples tell it; without them, above the normal line).
  const cpuUp = cpu ? cpu.z >= 1 : m.cpu != null && m.cpu >= t.cpuNormal;
  if (m.cpu != null && m.cpu >= t.cpuHigh) evidence.push(`cpu ${fmt(m.cpu)}% ≥ ${t.cpuHigh}%`);
  // Before CPU reaches the line: more requests than usual, already working the service harder.
  else if (moreRequests && cpuUp && m.cpu != null)
    evidence.push(
      cpu
        ? `cpu ${fmt(m.cpu)}% rising with the requests: ${describeShift(cpu)}`
        : `cpu ${fmt(m.cpu)}% and rising with the requests`,
    );
  if (evidence.length === 0) return suspectedLoad(m, input);
  // Slow because busy: a CPU under its line does not explain requests slower than the latency line.
  const busy = m.cpu != null && m.cpu >= t.cpuHigh;
  if (m.latency_p95 != null && m.latency_p95 >= t.latencyP95HighMs / 2 && busy) {
    evidence.push(`latency_p95 ${fmt(m.latency_p95)} ms rising with load`);
  }
  if (requests && isRaised(requests)) evidence.push(`requests ${describeShift(requests)}`);
  else if (moreRequests) evidence.push('requests above their usual level');
  return { name: 'overload', confidence: Math.min(1, 0.5 + 0.2 * (evidence.length - 1)), evidence };
}

/**
 * More load than usual that has not yet worked the service harder: requests above their usual level
 * (the detector's judgement, or their own shape) with CPU not held below its own, or requests and CPU
 * both beyond their noise in the latest minute. Before CPU follows, a ramp looks like this and so
 * can noise: a suspicion, told, not acted on (target scaling sizes the service either way).
 */
function suspectedLoad(m: Metrics, input: DiagnosisInput): Diagnosis | null {
  const cpu = shapeFor(input, 'cpu');
  const requests = shapeFor(input, 'requests');
  if (!cpu || !requests || m.cpu == null) return null;
  const moreRequests =
    hasOpenAnomaly(input, 'requests', 'up') ||
    hasOpenAnomaly(input, 'request_utilisation', 'up') ||
    isRaised(requests);
  const together = requests.z >= 2 && cpu.z >= 2;
  if (!(moreRequests && !isRaised(cpu, 'down')) && !together) return null;
  return {
    name: 'overload',
    confidence: SUSPICION,
    evidence: [
      `suspected: requests ${describeShift(requests)}`,
      `cpu ${describeShift(cpu)}: not yet working the service harder`,
    ],
  };
}

/**
 * Memory above its usual level (held beyond noise, or judged unusual by the detector now) and
 * rising, with no one-minute jump past its noise and
 * requests not above theirs: how a leak's first minutes look, before its climb can be told from
 * noise (isClimb). A suspicion: told, not restarted on.
 */
function suspectedLeak(m: Metrics, input: DiagnosisInput): Diagnosis | null {
  const memory = shapeFor(input, 'memory');
  // Above usual: held beyond noise, or judged unusual by the detector in the last minutes.
  const above =
    memory !== null && (isRaised(memory) || (memory.from === 'detector' && memory.z >= 2));
  if (!memory || !above || memory.slopeZ <= 0) return null;
  if (memory.maxJumpZ > SHAPE.noiseJumpZ + memory.slopeZ) return null;
  if (isRaised(shapeFor(input, 'requests'))) return null;
  const evidence = [`suspected: memory ${describeShift(memory)}, rising, no jump beyond its noise`];
  if (m.memory != null) evidence.push(`memory at ${fmt(m.memory)}%`);
  return { name: 'memory_leak', confidence: SUSPICION, evidence };
}

function memoryLeak(m: Metrics, input: DiagnosisInput, t: DiagnosisThresholds): Diagnosis | null {
  const breach = input.forecasts?.find(
    (f) => f.metric === 'memory' && f.minutesToBreach <= t.leakHorizonMinutes,
  );
  const climb = breach ? null : memoryClimb(input, t.leakHorizonMinutes);
  const early = breach || climb ? null : memoryClimbing(input);
  if (!breach && !climb && !early) return suspectedLeak(m, input);
  const evidence = breach
    ? [`memory forecast to reach its limit in ${fmt(breach.minutesToBreach)} min`]
    : climb
      ? [
          `memory climbing ${fmt(round1(climb.perMinute))}%/min steadily for ${climb.minutes} min, ` +
            `at its limit in about ${Math.round(climb.minutesToLimit)} min`,
        ]
      : [
          `memory climbing: ${describeShift(early!)}, rising ${fmt(round1(early!.slopeZ * early!.sigma))}%/min ` +
            'with no jump beyond its noise',
          'requests not above their usual level',
        ];
  if (m.memory != null) evidence.push(`memory at ${fmt(m.memory)}%`);
  // A climb without more work is the leak's fingerprint; with high CPU it may just be load. One
  // minute over the line on a CPU that does not hold above its own usual level is noise, not load.
  const cpu = shapeFor(input, 'cpu');
  const cpuCalm = m.cpu == null || m.cpu < t.cpuHigh || (cpu !== null && !isRaised(cpu));
  if (cpuCalm) evidence.push('cpu not elevated');
  return { name: 'memory_leak', confidence: cpuCalm ? 0.8 : 0.5, evidence };
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

function errorBurst(m: Metrics, t: DiagnosisThresholds): Diagnosis | null {
  const rate = errorRate(m);
  if (rate === null || rate < t.errorRateHigh) return null;
  const evidence = [`5xx rate ${fmt(rate * 100)}% ≥ ${fmt(t.errorRateHigh * 100)}%`];
  const cpuNormal = m.cpu != null && m.cpu < t.cpuNormal;
  if (cpuNormal) evidence.push(`cpu normal at ${fmt(m.cpu!)}%`);
  return { name: 'error_burst', confidence: cpuNormal ? 0.8 : 0.55, evidence };
}

function failingDependency(m: Metrics, t: DiagnosisThresholds): Diagnosis | null {
  const failures = m.probe_failures;
  if (failures == null || failures < 1) return null;
  // Errors that start while a dependency's probe fails are the dependency's, from the first failed
  // probe: waiting for the probe threshold first names them an error burst, and restarts a service
  // that is not broken. A probe failing alone needs the threshold.
  const rate = errorRate(m);
  const erring = rate !== null && rate >= t.errorRateHigh;
  if (failures < t.probeFailuresHigh && !erring) return null;
  const evidence = [`${fmt(failures)} consecutive probe failures`];
  if (erring) evidence.push(`5xx rate ${fmt(rate! * 100)}% while the dependency fails`);
  const cpuNormal = m.cpu == null || m.cpu < t.cpuNormal;
  if (cpuNormal) evidence.push('cpu normal: the service itself is not busy');
  // The dependency's own probes failing past their threshold while the service errs is measured,
  // not inferred: it outranks an overload that a busy minute suggests (which errors do not follow).
  const confirmed = erring && failures >= t.probeFailuresHigh;
  const confidence = confirmed ? 0.95 : cpuNormal || erring ? 0.85 : 0.6;
  return { name: 'failing_dependency', confidence, evidence };
}

/** Metrics a release cannot be blamed for: more traffic is the users', not the code's. */
const NOT_THE_RELEASE = new Set(['requests']);
/** Metrics that follow the load: busier with more requests, idler and faster with fewer. */
const FOLLOWS_LOAD = new Set(['cpu', 'latency_p95']);

/**
 * An anomaly the traffic explains: CPU or latency moving the way the requests moved in the same
 * minute (a dip of load lowers both). Not the release's doing, whenever it went out.
 */
function movedWithLoad(a: Anomaly, open: readonly Anomaly[]): boolean {
  return (
    FOLLOWS_LOAD.has(a.metric) &&
    open.some((r) => r.metric === 'requests' && r.at === a.at && r.direction === a.direction)
  );
}

function releaseOf(input: DiagnosisInput): Release | null {
  if (input.release !== undefined) return input.release;
  const ecs = input.sample.ecs;
  return ecs?.lastDeploymentAt
    ? { taskDefinition: ecs.taskDefinition, at: ecs.lastDeploymentAt }
    : null;
}

function badDeploy(input: DiagnosisInput, t: DiagnosisThresholds): Diagnosis | null {
  const release = releaseOf(input);
  if (!release) return null;
  // A service's very first deployment replaced nothing: there is no earlier revision to blame or to
  // roll back to, so a new service under load is overloaded, not badly deployed.
  const revision = Number(/:(\d+)$/.exec(release.taskDefinition)?.[1] ?? NaN);
  if (revision === 1) return null;
  const deployMs = Date.parse(release.at);
  // What went wrong after the release and was not already wrong before it: a noisy minute before
  // the release does not hide it, and a fault that was there before is not its doing.
  // An earlier anomaly is the same fault only if the metric was still away from usual when the
  // release went out: a noisy minute that had passed does not excuse the release.
  const before = input.openAnomalies.filter(
    (a) => Date.parse(a.at) < deployMs && stillAwayAt(input, a, deployMs),
  );
  const since = input.openAnomalies.filter(
    (a) =>
      Date.parse(a.at) >= deployMs &&
      !NOT_THE_RELEASE.has(a.metric) &&
      !movedWithLoad(a, input.openAnomalies) &&
      !before.some((b) => b.metric === a.metric && b.direction === a.direction),
  );
  if (since.length === 0) return null;
  const first = Math.min(...since.map((a) => Date.parse(a.at)));
  const minutesAfter = (first - deployMs) / 60000;
  if (minutesAfter > t.deployWindowMinutes) return null;
  const evidence = [
    `anomalies began ${fmt(minutesAfter)} min after the deployment at ${release.at}`,
    `task definition ${release.taskDefinition}`,
  ];
  // The sooner after the deploy, the likelier it is the cause: a cause named soon after a release
  // outranks its symptoms (an error burst, a latency regression), never the crash loop.
  const confidence = 0.93 - 0.33 * (minutesAfter / t.deployWindowMinutes);
  return { name: 'bad_deploy', confidence, evidence };
}

/**
 * No task running while some are desired: tasks crash on start, the image does not pull, the
 * health check kills them. Named above every other signature — utilisation, errors and latency
 * come from tasks that are not there. Its cure (the default policies) is a rollback when a
 * deployment is recent, else a person.
 */
function crashLoop(input: DiagnosisInput, t: DiagnosisThresholds): Diagnosis | null {
  const ecs = input.sample.ecs;
  if (!ecs || ecs.runningCount > 0 || ecs.desiredCount === 0) return null;
  const evidence = [`0 of ${ecs.desiredCount} desired tasks running`];
  if (ecs.pendingCount > 0) evidence.push(`${ecs.pendingCount} pending: tasks start and stop`);
  const release = releaseOf(input);
  const deployedAt = release ? Date.parse(release.at) : null;
  const minutes = deployedAt === null ? null : (input.now.getTime() - deployedAt) / 60000;
  if (minutes !== null && minutes >= 0 && minutes <= t.deployWindowMinutes) {
    evidence.push(`released ${fmt(minutes)} min ago (${release!.taskDefinition})`);
  }
  return { name: 'crash_loop', confidence: 0.95, evidence };
}

function latencyRegression(
  m: Metrics,
  input: DiagnosisInput,
  t: DiagnosisThresholds,
): Diagnosis | null {
  if (m.latency_p95 == null) return null;
  const over = m.latency_p95 >= t.latencyP95HighMs;
  const cpu = shapeFor(input, 'cpu');
  const requests = shapeFor(input, 'requests');
  // Neither more requests nor a busier CPU than this service's usual (their own baselines when the
  // samples tell them; without, no requests anomaly and CPU under the normal line).
  const loadCalm = requests ? !isRaised(requests) : !hasOpenAnomaly(input, 'requests', 'up');
  const cpuCalm = cpu ? !isRaised(cpu) : m.cpu != null && m.cpu < t.cpuNormal;
  // Below the line, a latency anomaly with neither more requests nor a busy CPU is the same story
  // told early: each request got slower.
  // Below the line the step must hold beyond noise over the last readings (its shape's held mean),
  // not be one slow minute at the start of a ramp, and latency must still be up now (a blip a
  // minute ago holds the mean up, not the latest reading).
  const latency = shapeFor(input, 'latency_p95');
  const stepHolds = latency ? latency.heldZ >= 3 && latency.z >= 2 : true;
  const early =
    !over && hasOpenAnomaly(input, 'latency_p95', 'up') && loadCalm && cpuCalm && stepHolds;
  if (!over && !early) return null;
  // Over the line with more requests than usual by their own baseline: the load's doing, not each
  // request's.
  if (over && requests && isRaised(requests)) return null;
  const cpuNormal = m.cpu == null || m.cpu < t.cpuHigh;
  if (!cpuNormal) return null; // slow because busy: that is overload
  const evidence = over
    ? [`latency_p95 ${fmt(m.latency_p95)} ms ≥ ${t.latencyP95HighMs} ms`]
    : [
        latency
          ? `latency_p95 ${fmt(m.latency_p95)} ms: ${describeShift(latency)}, requests not`
          : `latency_p95 ${fmt(m.latency_p95)} ms above its usual level, requests not`,
      ];
  evidence.push(
    cpu && !isRaised(cpu)
      ? `cpu at its usual ${fmt(round1(cpu.baseline))}%: slower per request, not busier`
      : 'cpu not elevated: slower per request, not busier',
  );
  // Slower while no busier, and both judged on the service's own baselines: more sure than a line.
  if (over && cpu && !isRaised(cpu) && loadCalm) {
    return { name: 'latency_regression', confidence: 0.8, evidence };
  }
  return { name: 'latency_regression', confidence: over ? 0.7 : 0.6, evidence };
}

function saturation(m: Metrics, input: DiagnosisInput, t: DiagnosisThresholds): Diagnosis | null {
  const ecs = input.sample.ecs;
  const evidence: string[] = [];
  if (ecs && ecs.pendingCount > 0 && ecs.runningCount < ecs.desiredCount) {
    evidence.push(
      `${ecs.pendingCount} tasks pending, ${ecs.runningCount}/${ecs.desiredCount} running`,
    );
  }
  if (m.memory != null && m.memory >= t.memoryHigh) {
    evidence.push(`memory ${fmt(m.memory)}% ≥ ${t.memoryHigh}%`);
  }
  if (m.cpu != null && m.cpu >= 95) evidence.push(`cpu pinned at ${fmt(m.cpu)}%`);
  if (evidence.length === 0) return null;
  return { name: 'saturation', confidence: Math.min(0.9, 0.4 + 0.2 * evidence.length), evidence };
}

/** The anomaly's metric was still away from usual over the minutes before `atMs` (unknown: yes). */
function stillAwayAt(input: DiagnosisInput, anomaly: Anomaly, atMs: number): boolean {
  const shape = shapeFor(input, anomaly.metric);
  if (!shape) return true;
  const samples = [...(input.history ?? []), input.sample];
  return heldBefore(shape, samples, atMs, anomaly.direction === 'down' ? 'down' : 'up');
}

/** "61.6, 4.7σ above its usual 59.1 (σ 0.5)". */
function describeShift(shape: SymptomShape): string {
  const side = shape.z >= 0 ? 'above' : 'below';
  return (
    `${fmt(round1(shape.latest))}, ${fmt(round1(Math.abs(shape.z)))}σ ${side} its usual ` +
    `${fmt(round1(shape.baseline))} (σ ${fmt(round1(shape.sigma))})`
  );
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}
