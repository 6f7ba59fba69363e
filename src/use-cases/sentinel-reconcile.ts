// Keeps the sentinel alarms vigia owns in step with the fleet (services of config/services.json and
// those registered through the API): one alarm per service, updated when its targets change, deleted
// when it leaves, all of them deleted when the sentinel is switched off. Run by the collect
// dispatcher on the fleet it has just listed; the cheap check (the fleet's fingerprint against the
// last one this container reconciled) makes an unchanged fleet cost no CloudWatch call, and a full
// pass every `fullEveryMinutes` repairs alarms changed or deleted by hand. A large first rollout is
// spread over ticks, `maxChangesPerTick` at a time, without listing the alarms again.
import {
  fleetFingerprint,
  planSentinels,
  sentinelPrefix,
  sentinelSpec,
  type ExistingAlarm,
  type SentinelPlan,
  type SentinelAlarmSpec,
} from '../collection/sentinel-alarm';
import type { Service } from '../model';

/** The alarms themselves (CloudWatch): listed by name prefix, created or replaced, deleted. */
export interface SentinelAlarmStore {
  list(prefix: string): Promise<ExistingAlarm[]>;
  put(spec: SentinelAlarmSpec): Promise<void>;
  remove(names: readonly string[]): Promise<void>;
}

export interface SentinelSettings {
  enabled: boolean;
  stage: string;
  /** The read cadence's near-target margin: the alarm's threshold is the target less it. */
  nearTargetPercent: number;
  /** A full comparison with CloudWatch at least this often, even for an unchanged fleet. */
  fullEveryMinutes: number;
  /** Alarms created, updated or deleted in one tick at most (PutMetricAlarm allows ~3 a second). */
  maxChangesPerTick: number;
}

/** What the reconciler remembers between ticks (per warm container; empty after a cold start). */
export interface ReconcileMemory {
  /** The fleet the last comparison was for. */
  fingerprint: string | null;
  /** When the last comparison's changes were all made. */
  fullAt: number | null;
  /** Changes of the last comparison not made yet (more than one tick's share). */
  pending: SentinelPlan | null;
}

export const emptyReconcileMemory = (): ReconcileMemory => ({
  fingerprint: null,
  fullAt: null,
  pending: null,
});

export interface ReconcileResult {
  /** True when CloudWatch's alarms were listed and compared with the fleet this tick. */
  compared: boolean;
  put: string[];
  removed: string[];
  /** Changes left for the next ticks (PutMetricAlarm's quota is a few calls a second). */
  pending: number;
}

export function desiredSentinels(
  services: readonly Service[],
  settings: SentinelSettings,
): SentinelAlarmSpec[] {
  if (!settings.enabled) return [];
  return services.map((s) => sentinelSpec(s, settings.stage, settings));
}

export async function reconcileSentinels(
  alarms: SentinelAlarmStore,
  memory: ReconcileMemory,
  services: readonly Service[],
  nowMs: number,
  settings: SentinelSettings,
): Promise<ReconcileResult> {
  const desired = desiredSentinels(services, settings);
  const fingerprint = fleetFingerprint(desired);
  const sameFleet = memory.fingerprint === fingerprint;
  const fresh =
    memory.fullAt !== null && nowMs - memory.fullAt < settings.fullEveryMinutes * 60_000;
  if (sameFleet && fresh && !memory.pending)
    return { compared: false, put: [], removed: [], pending: 0 };

  let compared = false;
  if (!sameFleet || !memory.pending) {
    const existing = await alarms.list(sentinelPrefix(settings.stage));
    memory.fingerprint = fingerprint;
    memory.pending = planSentinels(desired, existing);
    compared = true;
  }
  const plan = memory.pending!;
  const put: string[] = [];
  const removed: string[] = [];
  // Each change leaves the pending plan once made: a failure is picked up where it stopped.
  while (plan.put.length > 0 && put.length + removed.length < settings.maxChangesPerTick) {
    const spec = plan.put[0]!;
    await alarms.put(spec);
    plan.put.shift();
    put.push(spec.name);
  }
  const room = Math.max(0, settings.maxChangesPerTick - put.length);
  if (plan.remove.length > 0 && room > 0) {
    const names = plan.remove.slice(0, room);
    await alarms.remove(names);
    plan.remove.splice(0, names.length);
    removed.push(...names);
  }
  const pending = plan.put.length + plan.remove.length;
  if (pending === 0) {
    memory.pending = null;
    memory.fullAt = nowMs;
  }
  return { compared, put, removed, pending };
}
