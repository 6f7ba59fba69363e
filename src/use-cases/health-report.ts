// The autopilot's own health, subsystem by subsystem (SPEC A1).
import type { LearningSummary } from '../decision/learning-summary';
import type { Decision } from '../model';
import type { CollectorHeartbeat } from '../ports';

export type SubsystemStatus = 'OK' | 'DEGRADED' | 'DOWN';

/** Where stream records (and undelivered alerts) go once their retries are exhausted. */
export interface FailureQueue {
  pendingCount(): Promise<number>;
}

export interface HealthInput {
  now: Date;
  heartbeat: CollectorHeartbeat | null;
  recentDecisions: Decision[];
  openAnomalies: number;
  switches: Record<string, boolean>;
  /** What verification has learned so far (decision accuracy); absent before the first outcome. */
  learning?: LearningSummary | null;
  /**
   * Failure records waiting in the failure queue: each is work a consumer never did (a decision
   * not taken, an alert not sent) until `npm run replay-failures` re-drives it. null when the queue
   * could not be read; absent when the stack has no queue.
   */
  failedRecords?: number | null;
  /** The collector runs every minute: older than this and it is late. */
  collectorLateAfterSeconds?: number;
}

export interface HealthReport {
  status: SubsystemStatus;
  checkedAt: string;
  systems: Record<string, { status: SubsystemStatus } & Record<string, unknown>>;
}

export function healthReport(input: HealthInput): HealthReport {
  const lateAfter = input.collectorLateAfterSeconds ?? 180;
  const beat = input.heartbeat;
  const age = beat
    ? Math.round((input.now.getTime() - new Date(beat.ranAt).getTime()) / 1000)
    : null;
  const collectorStatus: SubsystemStatus =
    age === null || age > lateAfter * 5
      ? 'DOWN'
      : age > lateAfter || (beat && beat.failures > 0)
        ? 'DEGRADED'
        : 'OK';

  const done = input.recentDecisions.filter(
    (d) => d.status === 'executed' || d.status === 'failed',
  );
  const failed = done.filter((d) => d.status === 'failed').length;
  const stuck = input.recentDecisions.filter(
    (d) => d.status === 'executing' && input.now.getTime() - new Date(d.at).getTime() > 10 * 60_000,
  ).length;
  const scalerStatus: SubsystemStatus =
    stuck > 0 || (done.length > 0 && failed === done.length) ? 'DEGRADED' : 'OK';

  const systems: HealthReport['systems'] = {
    collector: {
      status: collectorStatus,
      lastRunAt: beat?.ranAt ?? null,
      lastTickAt: beat?.tickAt ?? null,
      ageSeconds: age,
      services: beat?.services ?? 0,
      series: beat?.series ?? 0,
      failures: beat?.failures ?? 0,
    },
    detector: {
      status: input.switches.anomalyDetection === false ? 'DEGRADED' : 'OK',
      enabled: input.switches.anomalyDetection !== false,
      openAnomalies: input.openAnomalies,
    },
    decisionEngine: {
      status: 'OK',
      recentDecisions: input.recentDecisions.length,
      proposed: input.recentDecisions.filter((d) => d.status === 'proposed').length,
      verified: input.learning?.verified ?? 0,
      accuracy: input.learning?.accuracy ?? null,
    },
    recoveries: {
      status: 'OK',
      executed: done.length - failed,
      resolved: input.learning?.resolved ?? 0,
      notResolved: input.learning?.notResolved ?? 0,
      worse: input.learning?.worse ?? 0,
      autoRecovery: input.switches.autoRecovery !== false,
    },
    scaler: {
      status: scalerStatus,
      executed: done.length - failed,
      failed,
      stuck,
      autoScaling: input.switches.autoScaling !== false,
    },
  };
  if (input.failedRecords !== undefined) {
    const pending = input.failedRecords;
    systems.failureQueue = {
      status: pending === 0 ? 'OK' : 'DEGRADED',
      pending,
      ...(pending === null
        ? { error: 'failure queue unreadable' }
        : pending > 0
          ? { action: 'npm run replay-failures' }
          : {}),
    };
  }
  const statuses = Object.values(systems).map((s) => s.status);
  const status: SubsystemStatus = statuses.includes('DOWN')
    ? 'DOWN'
    : statuses.includes('DEGRADED')
      ? 'DEGRADED'
      : 'OK';
  return { status, checkedAt: input.now.toISOString(), systems };
}
