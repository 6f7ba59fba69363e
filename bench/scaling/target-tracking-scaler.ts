// AWS Application Auto Scaling target tracking for ECS, as documented: per policy a high alarm
// (3 consecutive one-minute datapoints above target) and a low alarm (15 consecutive datapoints
// below 90% of target); capacity changes in proportion to metric ÷ target; 300 s scale-out and
// scale-in cooldowns. With several policies, any may scale out; scale-in needs all of them.
// The proportional step is taken on the tasks that produced the datapoint (its average running
// count): the documented intent of counting, during a scale-out cooldown, capacity already added
// towards the next scale-out, without double-counting tasks that are still starting.
import type { MinuteDatapoint, Scaler, SimView } from './service-sim';

export interface TargetTrackingPolicy {
  metric: 'cpu' | 'requestsPerTask';
  target: number;
}

export interface TargetTrackingSettings {
  policies: TargetTrackingPolicy[];
  scaleOutCooldownSeconds: number;
  scaleInCooldownSeconds: number;
  /** Datapoint of minute m is visible to the alarm this many minutes after it ends. */
  datapointDelayMinutes: number;
}

export function targetTrackingScaler(settings: TargetTrackingSettings): Scaler {
  let lastMinuteEvaluated = -1;
  let scaleInAt = -Infinity;
  return {
    name: 'targetTracking',
    tick(view: SimView) {
      if (view.t % 60 !== 0) return undefined;
      const latest = view.t / 60 - 1 - settings.datapointDelayMinutes;
      if (latest < 0 || latest === lastMinuteEvaluated) return undefined;
      lastMinuteEvaluated = latest;
      // The alarms look at most 15 datapoints back.
      const points = view.minutes.slice(Math.max(0, latest - 14), latest + 1);
      const current = view.desired;

      const last = points[points.length - 1]!;
      const base = Math.max(last.tasks, 1);
      const outs = settings.policies.filter((p) => consecutive(points, p, 3, (v) => v > p.target));
      if (outs.length > 0) {
        // Within the scale-out cooldown only capacity beyond what was already added is added; as
        // the step is sized on the serving tasks, that is the same rule as outside it.
        const wanted = Math.max(
          ...outs.map((p) => Math.ceil((base * valueOf(last, p)) / p.target - 1e-9)),
        );
        return wanted > current ? wanted : undefined;
      }

      const allLow = settings.policies.every((p) =>
        consecutive(points, p, 15, (v) => v < 0.9 * p.target),
      );
      if (!allLow) return undefined;
      if (view.t - scaleInAt < settings.scaleInCooldownSeconds) return undefined;
      const wanted = Math.max(
        ...settings.policies.map((p) => Math.ceil((base * valueOf(last, p)) / p.target - 1e-9)),
      );
      if (wanted >= current) return undefined;
      scaleInAt = view.t;
      return wanted;
    },
  };
}

function valueOf(d: MinuteDatapoint, p: TargetTrackingPolicy): number {
  return p.metric === 'cpu' ? d.cpu : d.requestsPerTask;
}

function consecutive(
  points: readonly MinuteDatapoint[],
  p: TargetTrackingPolicy,
  n: number,
  breaching: (v: number) => boolean,
): boolean {
  if (points.length < n) return false;
  return points.slice(-n).every((d) => breaching(valueOf(d, p)));
}
