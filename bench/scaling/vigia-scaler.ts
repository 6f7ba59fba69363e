// vigia's scaler in the simulator: planTargetScaling, the code the autoscale function runs on each
// reading, fed the way a deployed stack feeds it:
// - 'pushed': the service pushes cpu, requests and tasks through POST /metrics every 15 s, each a
//   30 s window ending 15 s before vigia acts on it — the data the HPA reference sees, at its pace;
// - 'cloudwatch': the collector's one-minute sample, the datapoint that closed a minute earlier,
//   made into a reading by readingOfSample as autoscale does: the sample carries ECS's state at the
//   collector's tick, not the tasks that produced the datapoint, and target scaling pairs them.
import {
  allSwitchesOn,
  emptyScalingState,
  planTargetScaling,
  type ScalingState,
} from '../../src/decision';
import { collectDetector, type CollectedSeriesState } from '../../src/detection';
import type { Decision, Sample, ScalingReading, Service } from '../../src/model';
import { readingOfSample, requestForecastFor } from '../../src/use-cases/autoscale';
import type { Scaler, SimView, StepRecord } from './service-sim';

export interface VigiaBenchSettings {
  service: Service;
  feed: 'pushed' | 'cloudwatch';
  /** Epoch ms of t = 0, so cooldowns and the hourly cap see real dates. */
  startMs: number;
}

const PUSH_SECONDS = 15;
const PUSH_WINDOW_SECONDS = 30;
const PUSH_DELAY_SECONDS = 15;
/** CloudWatch datapoints are read a minute after they close. */
const DATAPOINT_DELAY_MINUTES = 1;

export function vigiaScaler(settings: VigiaBenchSettings): Scaler {
  const { service } = settings;
  let state: ScalingState = emptyScalingState();
  const decisions: Decision[] = [];
  // The detector's state of the service's `requests` series, as collect keeps it: each one-minute
  // datapoint (stamped with its minute's start) once the collector has read it.
  let detector: CollectedSeriesState = collectDetector.init();
  let fedMinute = -1;
  let lastTick = -Infinity;
  const date = (t: number) => new Date(settings.startMs + t * 1000).toISOString();

  function feedForecaster(lastClosedMinute: number, view: SimView) {
    for (let m = fedMinute + 1; m <= lastClosedMinute; m++) {
      const point = {
        timestamp: settings.startMs + m * 60_000,
        value: view.minutes[m]!.requestRate,
      };
      detector = collectDetector.update(detector, point).state;
    }
    fedMinute = Math.max(fedMinute, lastClosedMinute);
  }

  function reading(view: SimView): ScalingReading | null {
    if (settings.feed === 'pushed') {
      const end = view.t - PUSH_DELAY_SECONDS;
      const window = view.steps
        .slice(-8)
        .filter((s) => s.t >= end - PUSH_WINDOW_SECONDS && s.t < end);
      if (window.length === 0) return null;
      feedForecaster(Math.floor(end / 60) - 1, view);
      return { serviceId: service.id, at: date(end), source: 'pushed', ...averages(window) };
    }
    const latest = view.t / 60 - 1 - DATAPOINT_DELAY_MINUTES;
    if (latest < 0) return null;
    feedForecaster(latest, view);
    const point = view.minutes[latest]!;
    const sample: Sample = {
      serviceId: service.id,
      at: date(latest * 60),
      metrics: { cpu: point.cpu, requests: point.requestRate },
      ecs: {
        desiredCount: view.desired,
        runningCount: view.running,
        pendingCount: view.pending,
        taskDefinition: 'bench:1',
        deployments: 1,
        rolloutState: 'COMPLETED',
        lastDeploymentAt: null,
      },
    };
    return readingOfSample(sample);
  }

  return {
    name: settings.feed === 'pushed' ? 'vigia' : 'vigiaCloudWatch',
    tick(view: SimView) {
      const period = settings.feed === 'pushed' ? PUSH_SECONDS : 60;
      if (view.t - lastTick < period) return undefined;
      lastTick = view.t;
      const r = reading(view);
      if (!r) return undefined;
      const now = new Date(settings.startMs + view.t * 1000);
      // The forecast autoscale computes from the stored model of `requests`.
      const models = [
        { metric: 'requests', state: { lastTimestamp: detector.t, detector } as unknown },
      ];
      const result = planTargetScaling({
        service,
        reading: r,
        ecs: { desiredCount: view.desired, runningCount: view.running, pendingCount: view.pending },
        forecastRequestRate: requestForecastFor(service, models, now),
        scalingState: state,
        recentDecisions: decisions,
        switches: allSwitchesOn,
        now,
      });
      if (result.kind === 'ignored') return undefined;
      state = result.scalingState;
      // A skipped decision (forecast-only) only records what pre-scaling would have done.
      if (result.kind === 'hold' || result.decision.status !== 'approved') return undefined;
      // The hourly cap reads the last hour's decisions; older ones can go.
      decisions.push({ ...result.decision, status: 'executed' });
      const hourAgo = settings.startMs + (view.t - 3600) * 1000;
      while (decisions.length > 0 && Date.parse(decisions[0]!.at) < hourAgo) decisions.shift();
      return result.decision.toCount ?? undefined;
    },
  };
}

function averages(window: readonly StepRecord[]) {
  const mean = (f: (s: StepRecord) => number) =>
    window.reduce((a, s) => a + f(s), 0) / window.length;
  return {
    cpu: mean((s) => s.cpu),
    requests: mean((s) => s.arrivalRate),
    tasks: mean((s) => s.running),
  };
}
