// One function's health from its heartbeat (lib/middleware/heartbeat.ts): late when a schedule
// stopped, failing when its last invocations threw or failed records, stalled when work it owes has
// waited too long without a success since.
import type { FunctionHeartbeat } from '../ports';

export type SubsystemStatus = 'OK' | 'DEGRADED' | 'DOWN';

/** Scheduled functions run every minute: a success older than this is late. */
export const SCHEDULE_LATE_AFTER_S = 150;
/** …and one this old means the schedule is not running at all. */
export const SCHEDULE_DOWN_AFTER_S = 900;
/** A failure this recent keeps its function DEGRADED even after a success (flapping). */
export const RECENT_FAILURE_S = 300;
/** Work older than this that its consumer has not succeeded since: the consumer has stopped. */
export const STALLED_AFTER_S = 90;

export interface FunctionSpec {
  name: string;
  scheduled?: boolean;
  /** When the oldest work this consumer owes appeared; null when it owes none. */
  owedSince?: string | null;
}

export interface FunctionCheck {
  status: SubsystemStatus;
  reason?: string;
  lastSuccessAt: string | null;
  lastFailureAt: string | null;
  errors: number;
  lastError?: string;
}

export const rank: Record<SubsystemStatus, number> = { OK: 0, DEGRADED: 1, DOWN: 2 };
export const worst = (statuses: SubsystemStatus[]): SubsystemStatus =>
  statuses.reduce<SubsystemStatus>((w, s) => (rank[s] > rank[w] ? s : w), 'OK');
export const secondsSince = (now: Date, iso: string) =>
  Math.round((now.getTime() - Date.parse(iso)) / 1000);

/** One function's status from its heartbeat: late, failing, or stalled with work waiting. */
export function judgeFunction(
  now: Date,
  spec: FunctionSpec,
  beat: FunctionHeartbeat | undefined,
): FunctionCheck {
  const problems: { status: SubsystemStatus; reason: string }[] = [];
  const lastSuccessAt = beat?.lastSuccessAt ?? null;
  const lastFailureAt = beat?.lastFailureAt ?? null;
  if (spec.scheduled) {
    if (lastSuccessAt === null) {
      problems.push({ status: 'DEGRADED', reason: 'no successful run recorded yet' });
    } else {
      const age = secondsSince(now, lastSuccessAt);
      if (age > SCHEDULE_DOWN_AFTER_S) {
        problems.push({ status: 'DOWN', reason: `no successful run for ${age} s` });
      } else if (age > SCHEDULE_LATE_AFTER_S) {
        problems.push({ status: 'DEGRADED', reason: `late: last success ${age} s ago` });
      }
    }
  }
  if (lastFailureAt !== null) {
    const age = secondsSince(now, lastFailureAt);
    const stillFailing = lastSuccessAt === null || lastFailureAt > lastSuccessAt;
    if (stillFailing || age <= RECENT_FAILURE_S) {
      const when = stillFailing ? 'last run failed' : 'failed';
      problems.push({
        status: 'DEGRADED',
        reason: `${when} ${age} s ago (${beat!.errors} error(s)): ${beat!.lastError ?? '?'}`,
      });
    }
  }
  if (spec.owedSince) {
    const waiting = secondsSince(now, spec.owedSince);
    if (waiting > STALLED_AFTER_S && (lastSuccessAt === null || lastSuccessAt < spec.owedSince)) {
      problems.push({
        status: 'DEGRADED',
        reason: `stalled: work from ${spec.owedSince} still waiting after ${waiting} s`,
      });
    }
  }
  const status = worst(problems.map((p) => p.status));
  return {
    status,
    ...(problems.length > 0 ? { reason: problems.map((p) => p.reason).join('; ') } : {}),
    lastSuccessAt,
    lastFailureAt,
    errors: beat?.errors ?? 0,
    ...(beat?.lastError && lastFailureAt ? { lastError: beat.lastError } : {}),
  };
}
