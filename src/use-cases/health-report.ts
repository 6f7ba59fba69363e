// The autopilot's own health, subsystem by subsystem (SPEC A1): every status is worked out from what
// the functions left behind — their heartbeats, the collector's tick, the failure queue, the oldest
// unfinished decision, the circuit breakers — with the reason whenever it is not OK.
import type { LearningSummary } from '../decision/learning-summary';
import type { Decision } from '../model';
import type { CollectorHeartbeat, FunctionHeartbeat } from '../ports';
import type { BreakerSnapshot } from '../resilience/circuit-breaker';
import {
  judgeFunction,
  secondsSince,
  worst,
  type FunctionCheck,
  type FunctionSpec,
  type SubsystemStatus,
} from './health-functions';

export type { SubsystemStatus } from './health-functions';

/** Where stream records (and undelivered alerts) go once their retries are exhausted. */
export interface FailureQueue {
  pendingCount(): Promise<number>;
}

export interface HealthInput {
  now: Date;
  heartbeat: CollectorHeartbeat | null;
  /** Every function's heartbeat (lib/middleware/heartbeat.ts); a function never run has none. */
  functions: FunctionHeartbeat[];
  recentDecisions: Decision[];
  openAnomalies: number;
  /** When the newest anomaly in the window was detected: work the decide consumer owes. */
  latestAnomalyAt?: string | null;
  switches: Record<string, boolean>;
  /** What verification has learned so far (decision accuracy); absent before the first outcome. */
  learning?: LearningSummary | null;
  /**
   * Failure records waiting in the failure queue: each is work a consumer never did (a decision
   * not taken, an alert not sent) until `npm run replay-failures` re-drives it. null when the queue
   * could not be read; absent when the stack has no queue.
   */
  failedRecords?: number | null;
  /** The circuit breakers of the API's own container (each container keeps its own). */
  breakers?: BreakerSnapshot[];
  /** The collector runs every minute: older than this and it is late. */
  collectorLateAfterSeconds?: number;
}

export type Subsystem = { status: SubsystemStatus; reason?: string } & Record<string, unknown>;

export interface HealthReport {
  status: SubsystemStatus;
  checkedAt: string;
  systems: Record<string, Subsystem>;
}

/** A subsystem made of functions (and other checks): its status is the worst of its parts. */
function subsystem(
  parts: Record<string, { status: SubsystemStatus; reason?: string }>,
  fields: Record<string, unknown>,
  functions: Record<string, FunctionCheck>,
): Subsystem {
  const all = { ...functions, ...parts };
  const reasons = Object.entries(all)
    .filter(([, p]) => p.status !== 'OK' && p.reason)
    .map(([name, p]) => `${name}: ${p.reason}`);
  return {
    status: worst(Object.values(all).map((p) => p.status)),
    ...(reasons.length > 0 ? { reason: reasons.join(' | ') } : {}),
    ...fields,
    functions,
  };
}

export function healthReport(input: HealthInput): HealthReport {
  const now = input.now;
  const beats = new Map(input.functions.map((b) => [b.name, b]));
  const fn = (spec: FunctionSpec) => judgeFunction(now, spec, beats.get(spec.name));

  const lateAfter = input.collectorLateAfterSeconds ?? 180;
  const beat = input.heartbeat;
  const age = beat ? secondsSince(now, beat.ranAt) : null;
  const tick: { status: SubsystemStatus; reason?: string } =
    age === null
      ? { status: 'DOWN', reason: 'the collector never ran' }
      : age > lateAfter * 5
        ? { status: 'DOWN', reason: `no tick for ${age} s` }
        : age > lateAfter
          ? { status: 'DEGRADED', reason: `late: last tick ${age} s ago` }
          : beat && beat.failures > 0
            ? { status: 'DEGRADED', reason: `${beat.failures} service(s) not collected` }
            : beat?.shards && (beat.shardsDone ?? 0) < beat.shards && age > 90
              ? {
                  status: 'DEGRADED',
                  reason: `${beat.shards - (beat.shardsDone ?? 0)} of ${beat.shards} shard(s) not reported`,
                }
              : { status: 'OK' };
  // The last tick that collected something wrote samples: autoscale and notify owe them a run.
  const samplesAt = beat && beat.services > beat.failures ? beat.ranAt : null;

  const done = input.recentDecisions.filter(
    (d) => d.status === 'executed' || d.status === 'failed',
  );
  const failed = done.filter((d) => d.status === 'failed').length;
  const stuck = input.recentDecisions.filter(
    (d) => d.status === 'executing' && now.getTime() - new Date(d.at).getTime() > 10 * 60_000,
  ).length;
  const unfinished = input.recentDecisions
    .filter((d) => d.status === 'approved' || d.status === 'executing')
    .sort((a, b) => a.at.localeCompare(b.at))[0];
  const decisions: { status: SubsystemStatus; reason?: string } =
    stuck > 0
      ? { status: 'DEGRADED', reason: `${stuck} decision(s) executing for over 10 minutes` }
      : done.length > 0 && failed === done.length
        ? { status: 'DEGRADED', reason: `all ${failed} recent action(s) failed` }
        : { status: 'OK' };

  const systems: HealthReport['systems'] = {
    collector: subsystem(
      { tick },
      {
        lastRunAt: beat?.ranAt ?? null,
        lastTickAt: beat?.tickAt ?? null,
        ageSeconds: age,
        services: beat?.services ?? 0,
        series: beat?.series ?? 0,
        failures: beat?.failures ?? 0,
        ...(beat?.shards ? { shards: beat.shards, shardsDone: beat.shardsDone ?? 0 } : {}),
      },
      {
        collect: fn({ name: 'collect', scheduled: true }),
        'collect-shard': fn({ name: 'collect-shard' }),
        wake: fn({ name: 'wake' }),
      },
    ),
    detector: subsystem(
      {
        switch:
          input.switches.anomalyDetection === false
            ? { status: 'DEGRADED', reason: 'anomaly detection is switched off' }
            : { status: 'OK' },
      },
      { enabled: input.switches.anomalyDetection !== false, openAnomalies: input.openAnomalies },
      {},
    ),
    decisionEngine: subsystem(
      {},
      {
        recentDecisions: input.recentDecisions.length,
        proposed: input.recentDecisions.filter((d) => d.status === 'proposed').length,
        verified: input.learning?.verified ?? 0,
        accuracy: input.learning?.accuracy ?? null,
      },
      {
        decide: fn({ name: 'decide', owedSince: input.latestAnomalyAt ?? null }),
        autoscale: fn({ name: 'autoscale', owedSince: samplesAt }),
        // Thresholds and outages are judged on the same samples.
        watch: fn({ name: 'watch', owedSince: samplesAt }),
      },
    ),
    recoveries: subsystem(
      {},
      {
        executed: done.length - failed,
        resolved: input.learning?.resolved ?? 0,
        notResolved: input.learning?.notResolved ?? 0,
        worse: input.learning?.worse ?? 0,
        autoRecovery: input.switches.autoRecovery !== false,
      },
      { verify: fn({ name: 'verify', scheduled: true }) },
    ),
    scaler: subsystem(
      { decisions },
      {
        executed: done.length - failed,
        failed,
        stuck,
        oldestUnfinished: unfinished
          ? {
              decisionId: unfinished.id,
              status: unfinished.status,
              ageSeconds: secondsSince(now, unfinished.at),
            }
          : null,
        autoScaling: input.switches.autoScaling !== false,
      },
      {
        scale: fn({
          name: 'scale',
          owedSince: unfinished?.status === 'approved' ? unfinished.at : null,
        }),
        sweep: fn({ name: 'sweep', scheduled: true }),
      },
    ),
    alerting: subsystem(
      {},
      {},
      {
        notify: fn({ name: 'notify', owedSince: samplesAt }),
        'alert-timers': fn({ name: 'alert-timers', scheduled: true }),
        slack: fn({ name: 'slack' }),
      },
    ),
  };
  if (input.failedRecords !== undefined) {
    const pending = input.failedRecords;
    systems.failureQueue = {
      status: pending === 0 ? 'OK' : 'DEGRADED',
      pending,
      ...(pending === null
        ? { error: 'failure queue unreadable', reason: 'failure queue unreadable' }
        : pending > 0
          ? {
              reason: `${pending} record(s) exhausted their retries`,
              action: 'npm run replay-failures',
            }
          : {}),
    };
  }
  const breakers = [
    ...(input.breakers ?? []).map((breaker) => ({ by: 'api', breaker })),
    ...input.functions.flatMap((f) => f.breakers.map((breaker) => ({ by: f.name, breaker }))),
  ];
  systems.breakers = breakerSubsystem(now, breakers);
  const status = worst(Object.values(systems).map((s) => s.status));
  return { status, checkedAt: now.toISOString(), systems };
}

/**
 * Every breaker reported: the API container's own and those each function's last invocation left in
 * its heartbeat. One still refusing calls means vigia is holding back: degraded, never down.
 */
function breakerSubsystem(
  now: Date,
  reports: { by: string; breaker: BreakerSnapshot }[],
): Subsystem {
  const refusing = reports.filter(
    (r) => r.breaker.state === 'open' && (r.breaker.retryAt ?? '') > now.toISOString(),
  );
  const dependencies: Record<string, unknown[]> = {};
  for (const r of reports)
    (dependencies[r.breaker.dependency] ??= []).push({ ...r.breaker, reportedBy: r.by });
  return {
    status: refusing.length > 0 ? 'DEGRADED' : 'OK',
    ...(refusing.length > 0
      ? {
          reason: refusing
            .map(
              (r) =>
                `${r.breaker.dependency} open in ${r.by} until ${r.breaker.retryAt}: ${r.breaker.lastError ?? '?'}`,
            )
            .join('; '),
        }
      : {}),
    dependencies,
  };
}
