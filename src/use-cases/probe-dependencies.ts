// Dependency probes (SPEC C4): every minute, each service's declared dependencies are checked (status,
// body, timeout), a few at a time, and the outcome is written as pushed metrics the next collect tick
// merges like any other: probe_latency_ms (slowest answer), availability (% of dependencies up) and
// probe_failures (consecutive runs with a dependency down). The detector, the policies and the
// failing_dependency diagnosis read them from the sample.
//
// The count carries on from the last value written before this minute, so a run repeated within the
// same minute writes the same value again instead of counting twice.
import type { Dependency, Service } from '../model';
import type { Clock, MetricSource, ServiceRegistry } from '../ports';
import { minuteOf, type PushedPoint } from './pushed-metrics';
import { mapBounded } from '../bounded-map';

export interface ProbeRequest {
  url: string;
  method: Dependency['method'];
  headers: Record<string, string>;
  timeoutMs: number;
}

export type ProbeAnswer =
  | { kind: 'answered'; status: number; body: string; latencyMs: number }
  | { kind: 'failed'; error: string; latencyMs: number };

export interface ProbeDeps {
  clock: Clock;
  registry: ServiceRegistry;
  prober: { probe(request: ProbeRequest): Promise<ProbeAnswer> };
  /** The value of an SSM parameter; null when it does not exist. */
  secrets: { value(name: string, now: Date): Promise<string | null> };
  /** Where the metrics go, and where the last count is read back from (the pushed-metric store). */
  metrics: Pick<MetricSource, 'fetch'> & {
    putPush(points: readonly PushedPoint[], reading: null): Promise<void>;
  };
}

export interface DependencyCheck {
  serviceId: string;
  dependency: string;
  ok: boolean;
  /** Why it failed: status, body, timeout, connection. */
  reason: string | null;
  latencyMs: number;
}

export interface ProbeRunResult {
  checks: DependencyCheck[];
  /** serviceId → consecutive failing runs, after this one. */
  failures: Record<string, number>;
  errors: { serviceId: string; error: string }[];
}

const MINUTE = 60_000;
/** Checks in flight at once: a large fleet must not open hundreds of sockets in one run. */
export const PROBE_CONCURRENCY = 8;
/** A count older than this is a probe that stopped running: start again from zero. */
const CARRY_MINUTES = 10;

/** Whether an answer is what the dependency promises. */
export function judge(
  dep: Dependency,
  answer: ProbeAnswer,
): { ok: boolean; reason: string | null } {
  if (answer.kind === 'failed') return { ok: false, reason: answer.error };
  if (answer.status !== dep.expectStatus) {
    return { ok: false, reason: `status ${answer.status}, expected ${dep.expectStatus}` };
  }
  if (dep.bodyMatch !== undefined && !answer.body.includes(dep.bodyMatch)) {
    return { ok: false, reason: `body does not contain '${dep.bodyMatch}'` };
  }
  return { ok: true, reason: null };
}

export async function probeDependencies(deps: ProbeDeps): Promise<ProbeRunResult> {
  const now = deps.clock.now();
  const services = (await deps.registry.list()).filter((s) => s.dependencies.length > 0);
  const jobs = services.flatMap((s) => s.dependencies.map((d) => ({ service: s, dep: d })));
  const checks = await mapBounded(jobs, PROBE_CONCURRENCY, ({ service, dep }) =>
    check(deps, service, dep, now),
  );
  const result: ProbeRunResult = { checks, failures: {}, errors: [] };
  const minute = minuteOf(now);
  const previous = await lastCounts(deps, services, now);
  for (const s of services) {
    const mine = checks.filter((c) => c.serviceId === s.id);
    const down = mine.filter((c) => !c.ok).length;
    const count = down > 0 ? (previous.get(s.id) ?? 0) + 1 : 0;
    result.failures[s.id] = count;
    // A timeout counts its full wait: the slowest dependency is what callers of the service feel.
    const values: Record<string, number> = {
      availability: (100 * (mine.length - down)) / mine.length,
      probe_failures: count,
      probe_latency_ms: Math.max(...mine.map((c) => c.latencyMs)),
    };
    const points = Object.entries(values).map(([metric, value]) => ({
      serviceId: s.id,
      metric,
      minute,
      value: Math.round(value * 1000) / 1000,
      pushedAt: now.toISOString(),
    }));
    try {
      await deps.metrics.putPush(points, null);
    } catch (err) {
      result.errors.push({ serviceId: s.id, error: (err as Error).message });
    }
  }
  return result;
}

async function check(
  deps: ProbeDeps,
  service: Service,
  dep: Dependency,
  now: Date,
): Promise<DependencyCheck> {
  const base = { serviceId: service.id, dependency: dep.name };
  const headers: Record<string, string> = {};
  for (const [header, parameter] of Object.entries(dep.headersFromSsm)) {
    const value = await deps.secrets.value(parameter, now).catch(() => null);
    // Probing without the credential would report the dependency down when the setup is at fault.
    if (value === null) {
      return {
        ...base,
        ok: false,
        reason: `SSM parameter '${parameter}' unreadable`,
        latencyMs: 0,
      };
    }
    headers[header] = value;
  }
  const answer = await deps.prober.probe({
    url: dep.url,
    method: dep.method,
    headers,
    timeoutMs: dep.timeoutMs,
  });
  const verdict = judge(dep, answer);
  return { ...base, ...verdict, latencyMs: answer.latencyMs };
}

/** The last probe_failures written before this minute, per service (absent: none recently). */
async function lastCounts(deps: ProbeDeps, services: readonly Service[], now: Date) {
  const minuteStart = Date.parse(minuteOf(now));
  const batch = await deps.metrics.fetch(
    services,
    new Date(minuteStart - CARRY_MINUTES * MINUTE),
    new Date(minuteStart - 1),
  );
  const counts = new Map<string, number>();
  for (const s of services) {
    const points = (batch.get(s.id)?.get('probe_failures') ?? []).filter(
      (p) => p.timestamp < minuteStart,
    );
    const last = points[points.length - 1];
    if (last) counts.set(s.id, last.value);
  }
  return counts;
}
