// Reaction time to a load step under a read cadence, in the scaling simulator: vigia's scaler path
// (bench/scaling/vigia-scaler.ts, fed CloudWatch's one-minute datapoints a minute after they close)
// called only on the minutes the collector reads the service, and an optional sentinel alarm that
// wakes the service between polls. Target tracking and pushed readings are timed the same way.
import { cpuTarget, makeScaler, requestsTargetPercent } from '../scaling/scalers';
import { defaultSimSettings, simulate, type Scaler, type SimView } from '../scaling/service-sim';
import { targetTrackingScaler } from '../scaling/target-tracking-scaler';

/**
 * The sentinel alarm as built (src/collection/sentinel-alarm.ts): ECS CPU above the target less the
 * near-target margin, 1 of 1 one-minute datapoints; its ALARM wakes the service, which is read at
 * once (functions/wake.ts) and stays hot.
 */
export interface SentinelAlarm {
  /** Seconds after a minute closes until its datapoint reaches the alarm (as the scaler's feed). */
  datapointLagSeconds: number;
  /** CloudWatch evaluates once a minute, at this offset from the collector's minute. */
  evaluationOffsetSeconds: number;
  /** Alarm state change → EventBridge → the wake function's conditional write. */
  deliverySeconds: number;
  /** The wake function's read of the service (GetMetricData, the sample written). */
  readSeconds: number;
  /** The threshold as a fraction of the CPU target (1 − the near-target margin). */
  thresholdOfTarget: number;
}

export interface CadenceSettings {
  calmEveryMinutes: number;
  /** Which minutes are a calm service's read minutes: (minute + phase) % K === 0. */
  phase: number;
  /** A read near a target (≥ 90%) or a scaling action keeps the service hot this many minutes. */
  hotMinutes: number;
  alarm: SentinelAlarm | null;
}

/**
 * CloudWatch's one-minute datapoints arrive 1-2 minutes after they close: `lagMinutes` 1 is the
 * scalers' own feed (bench/scaling), 2 shows every CloudWatch reader a minute later.
 */
export type Feed =
  | { kind: 'cloudwatch'; cadence: CadenceSettings; lagMinutes?: 1 | 2 }
  | { kind: 'pushed'; intervalSeconds: number }
  | { kind: 'targetTracking'; lagMinutes?: 1 | 2 };

/** The load step: steady at 60% of the tasks' capacity, doubling over one minute at minute 40. */
export const stepTrace = {
  baseRate: 150,
  stepRate: 300,
  stepMinute: 40,
  minutes: 80,
};

export interface StepResult {
  /** Seconds from the load starting to rise to the first scale-out; null when none came. */
  reactionSeconds: number | null;
  violationMinutes: number;
}

/** Runs the step once through the feed's scaler and times its first scale-out. */
export function reactToStep(feed: Feed): StepResult {
  const sim = defaultSimSettings;
  const rates = Array.from({ length: stepTrace.minutes }, (_, m) =>
    m < stepTrace.stepMinute ? stepTrace.baseRate : stepTrace.stepRate,
  );
  // The rate is interpolated within a minute, so the load starts rising a minute before the step.
  const risesAt = (stepTrace.stepMinute - 1) * 60;
  let reaction: number | null = null;
  const inner = innerScaler(feed);
  const timed: Scaler = {
    name: inner.name,
    tick(view) {
      const next = inner.tick(view);
      if (reaction === null && next !== undefined && next > view.desired && view.t >= risesAt) {
        reaction = view.t - risesAt;
      }
      return next;
    },
  };
  const result = simulate(rates, timed, sim);
  return { reactionSeconds: reaction, violationMinutes: result.violationMinutes };
}

function innerScaler(feed: Feed): Scaler {
  const sim = defaultSimSettings;
  switch (feed.kind) {
    case 'targetTracking':
      // As bench/scaling/scalers.ts configures it, with the datapoint delay of the feed.
      return targetTrackingScaler({
        policies: [
          { metric: 'cpu', target: cpuTarget },
          {
            metric: 'requestsPerTask',
            target: (sim.capacityPerTask * requestsTargetPercent) / 100,
          },
        ],
        scaleOutCooldownSeconds: 300,
        scaleInCooldownSeconds: 300,
        datapointDelayMinutes: feed.lagMinutes ?? 1,
      });
    case 'pushed': {
      // The pushed scaler acts every 15 s; a slower push only hands it a reading that often.
      const pushed = makeScaler('vigia', sim);
      return {
        name: 'pushed',
        tick: (view) => (view.t % feed.intervalSeconds === 0 ? pushed.tick(view) : undefined),
      };
    }
    case 'cloudwatch': {
      const lag = feed.lagMinutes ?? 1;
      return cadenced(late(makeScaler('vigiaCloudWatch', sim), lag - 1), feed.cadence, lag);
    }
  }
}

/**
 * vigia's CloudWatch scaler reads the datapoint closed a minute ago; `minutes` more of lag is the
 * same scaler shown the world that much earlier (its clock too, so the reading is as old).
 */
function late(inner: Scaler, minutes: number): Scaler {
  if (minutes === 0) return inner;
  return { name: inner.name, tick: (view) => inner.tick({ ...view, t: view.t - 60 * minutes }) };
}

/**
 * The collector's cadence around vigia's CloudWatch scaler: the scaler sees a reading only on a
 * minute the service is read; a calm service is read every K minutes, a hot one every minute. The
 * sentinel alarm's wake reads the service as soon as it lands (the datapoints of its minute, as a
 * tick of that minute would) and makes it hot.
 */
export function cadenced(inner: Scaler, c: CadenceSettings, lagMinutes = 1): Scaler {
  const requestsTarget = (defaultSimSettings.capacityPerTask * 75) / 100;
  let hotUntil = -1;
  let alarmInAlarm = false;
  let alarmNextMinute = 0;
  let wakeAt: number | null = null;
  /** When minute `minute`'s datapoint lands as a wake (null: not evaluated yet; -1: no wake). */
  const alarmWake = (view: SimView, minute: number): number | null => {
    const a = c.alarm!;
    const visible = (minute + 1) * 60 + a.datapointLagSeconds;
    // The first evaluation at or after the datapoint is visible.
    const evaluatedAt =
      Math.ceil((visible - a.evaluationOffsetSeconds) / 60) * 60 + a.evaluationOffsetSeconds;
    if (evaluatedAt + a.deliverySeconds > view.t) return null;
    const breaching = view.minutes[minute]!.cpu > a.thresholdOfTarget * cpuTarget;
    const fired = breaching && !alarmInAlarm;
    alarmInAlarm = breaching;
    return fired ? evaluatedAt + a.deliverySeconds : -1;
  };
  const read = (view: SimView, minute: number) => {
    const next = inner.tick(view);
    // The newest datapoint this read brought (the scaler's own).
    const seen = view.minutes[minute - 1 - lagMinutes];
    const nearTarget =
      seen !== undefined &&
      (seen.cpu >= 0.9 * cpuTarget || seen.requestsPerTask >= 0.9 * requestsTarget);
    if (nearTarget || next !== undefined) hotUntil = Math.max(hotUntil, minute + c.hotMinutes);
    return next;
  };
  return {
    name: `${inner.name}-every-${c.calmEveryMinutes}`,
    tick(view) {
      const minute = Math.floor(view.t / 60);
      // Alarm transitions that have landed by now, in order; an OK → ALARM one wakes the service.
      while (c.alarm && alarmNextMinute < view.minutes.length) {
        const wake = alarmWake(view, alarmNextMinute);
        if (wake === null) break;
        if (wake >= 0) wakeAt = wake + c.alarm.readSeconds;
        alarmNextMinute++;
      }
      if (wakeAt !== null && view.t >= wakeAt) {
        wakeAt = null;
        hotUntil = Math.max(hotUntil, minute + c.hotMinutes);
        // What a tick of this minute reads; a tick that already read it leaves nothing new.
        const next = read({ ...view, t: minute * 60 }, minute);
        if (next !== undefined) return next;
      }
      if (view.t % 60 !== 0) return undefined;
      const due = minute < hotUntil || (minute + c.phase) % c.calmEveryMinutes === 0;
      return due ? read(view, minute) : undefined;
    },
  };
}

export interface ReactionSummary {
  meanSeconds: number;
  worstSeconds: number;
  /** Runs without any scale-out (should be 0). */
  missed: number;
  violationMinutes: number;
}

/** Every phase of the K-minute grid (and every alarm evaluation offset) weighs the same. */
export function cadenceReaction(
  calmEveryMinutes: number,
  alarm: Omit<SentinelAlarm, 'evaluationOffsetSeconds'> | null,
  lagMinutes: 1 | 2 = 1,
  hotMinutes = 10,
): ReactionSummary {
  const offsets = alarm ? [0, 15, 30, 45] : [0];
  const runs: StepResult[] = [];
  for (let phase = 0; phase < calmEveryMinutes; phase++) {
    for (const offset of offsets) {
      runs.push(
        reactToStep({
          kind: 'cloudwatch',
          lagMinutes,
          cadence: {
            calmEveryMinutes,
            phase,
            hotMinutes,
            alarm: alarm
              ? {
                  ...alarm,
                  // The alarm's datapoint is as late as the scaler's.
                  datapointLagSeconds: alarm.datapointLagSeconds + 60 * (lagMinutes - 1),
                  evaluationOffsetSeconds: offset,
                }
              : null,
          },
        }),
      );
    }
  }
  return summarise(runs);
}

export function summarise(runs: StepResult[]): ReactionSummary {
  const times = runs.flatMap((r) => (r.reactionSeconds === null ? [] : [r.reactionSeconds]));
  return {
    meanSeconds: times.reduce((a, b) => a + b, 0) / Math.max(1, times.length),
    worstSeconds: Math.max(0, ...times),
    missed: runs.length - times.length,
    violationMinutes: runs.reduce((a, r) => a + r.violationMinutes, 0) / Math.max(1, runs.length),
  };
}
