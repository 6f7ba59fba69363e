// Diagnosis (SPEC X1): named signatures over the latest sample, the open anomalies, the
// detector's forecast and the ECS state, each with the evidence it matched and a confidence.
import type { Anomaly } from '../model/anomaly';
import type { Sample } from '../model/sample';

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
    latencyRegression(m, thresholds),
    saturation(m, input, thresholds),
    crashLoop(input, thresholds),
  ].filter((d): d is Diagnosis => d !== null);
  return found.sort((a, b) => b.confidence - a.confidence || a.name.localeCompare(b.name));
}

/** The single diagnosis policies and learning key on; 'unknown' when nothing matched. */
export function primaryDiagnosis(diagnoses: readonly Diagnosis[]): DiagnosisName | 'unknown' {
  return diagnoses[0]?.name ?? 'unknown';
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
  if (m.cpu != null && m.cpu >= t.cpuHigh) evidence.push(`cpu ${fmt(m.cpu)}% ≥ ${t.cpuHigh}%`);
  if (evidence.length === 0) return null;
  if (m.latency_p95 != null && m.latency_p95 >= t.latencyP95HighMs / 2) {
    evidence.push(`latency_p95 ${fmt(m.latency_p95)} ms rising with load`);
  }
  if (hasAnomaly(input, 'requests', 'up')) evidence.push('requests above their usual level');
  return { name: 'overload', confidence: Math.min(1, 0.5 + 0.2 * (evidence.length - 1)), evidence };
}

function memoryLeak(m: Metrics, input: DiagnosisInput, t: DiagnosisThresholds): Diagnosis | null {
  const breach = input.forecasts?.find(
    (f) => f.metric === 'memory' && f.minutesToBreach <= t.leakHorizonMinutes,
  );
  if (!breach) return null;
  const evidence = [`memory forecast to reach its limit in ${fmt(breach.minutesToBreach)} min`];
  if (m.memory != null) evidence.push(`memory at ${fmt(m.memory)}%`);
  // A climb without more work is the leak's fingerprint; with high CPU it may just be load.
  const cpuCalm = m.cpu == null || m.cpu < t.cpuHigh;
  if (cpuCalm) evidence.push('cpu not elevated');
  return { name: 'memory_leak', confidence: cpuCalm ? 0.8 : 0.5, evidence };
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
  if (failures == null || failures < t.probeFailuresHigh) return null;
  const evidence = [`${fmt(failures)} consecutive probe failures`];
  const cpuNormal = m.cpu == null || m.cpu < t.cpuNormal;
  if (cpuNormal) evidence.push('cpu normal: the service itself is not busy');
  return { name: 'failing_dependency', confidence: cpuNormal ? 0.85 : 0.6, evidence };
}

function badDeploy(input: DiagnosisInput, t: DiagnosisThresholds): Diagnosis | null {
  const deployedAt = input.sample.ecs?.lastDeploymentAt;
  if (!deployedAt || input.openAnomalies.length === 0) return null;
  // A service's very first deployment replaced nothing: there is no earlier revision to blame or to
  // roll back to, so a new service under load is overloaded, not badly deployed.
  const revision = Number(/:(\d+)$/.exec(input.sample.ecs!.taskDefinition)?.[1] ?? NaN);
  if (revision === 1) return null;
  const deployMs = Date.parse(deployedAt);
  const first = Math.min(...input.openAnomalies.map((a) => Date.parse(a.at)));
  const minutesAfter = (first - deployMs) / 60000;
  if (minutesAfter < 0 || minutesAfter > t.deployWindowMinutes) return null;
  const evidence = [
    `anomalies began ${fmt(minutesAfter)} min after the deployment at ${deployedAt}`,
    `task definition ${input.sample.ecs!.taskDefinition}`,
  ];
  // The sooner after the deploy, the likelier it is the cause.
  const confidence = 0.9 - 0.4 * (minutesAfter / t.deployWindowMinutes);
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
  const deployedAt = ecs.lastDeploymentAt ? Date.parse(ecs.lastDeploymentAt) : null;
  const minutes = deployedAt === null ? null : (input.now.getTime() - deployedAt) / 60000;
  if (minutes !== null && minutes >= 0 && minutes <= t.deployWindowMinutes) {
    evidence.push(`deployed ${fmt(minutes)} min ago (${ecs.taskDefinition})`);
  }
  return { name: 'crash_loop', confidence: 0.95, evidence };
}

function latencyRegression(m: Metrics, t: DiagnosisThresholds): Diagnosis | null {
  if (m.latency_p95 == null || m.latency_p95 < t.latencyP95HighMs) return null;
  const evidence = [`latency_p95 ${fmt(m.latency_p95)} ms ≥ ${t.latencyP95HighMs} ms`];
  const cpuNormal = m.cpu == null || m.cpu < t.cpuHigh;
  if (!cpuNormal) return null; // slow because busy: that is overload
  evidence.push('cpu not elevated: slower per request, not busier');
  return { name: 'latency_regression', confidence: 0.7, evidence };
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

function hasAnomaly(input: DiagnosisInput, metric: string, direction: 'up' | 'down'): boolean {
  return input.openAnomalies.some((a) => a.metric === metric && a.direction === direction);
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}
