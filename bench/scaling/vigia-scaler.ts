// vigia's scaler in the simulator: the same planScaling the scale function runs, called once a
// minute (the collect tick) with the latest CloudWatch datapoint and a load forecast.
import type { ScalingConfig } from '../../src/decision/scaling-config';
import { planScaling } from '../../src/decision/scaling-plan';
import { emptyScalingState, type ScalingState } from '../../src/decision/scaling-state';
import { holtForecaster } from './load-forecast';
import type { Scaler, SimView } from './service-sim';

export interface VigiaBenchSettings {
  config: ScalingConfig;
  datapointDelayMinutes: number;
  /** Epoch ms of t = 0, so cooldowns see real dates. */
  startMs: number;
  /** Width of the forecast band in standard deviations; 0 leaves the band out. */
  bandZ?: number;
}

export function vigiaScaler(settings: VigiaBenchSettings): Scaler {
  let state: ScalingState = emptyScalingState();
  let lastMinute = -1;
  const forecaster = holtForecaster();
  return {
    name: 'vigia',
    tick(view: SimView) {
      if (view.t % 60 !== 0) return undefined;
      const latest = view.t / 60 - 1 - settings.datapointDelayMinutes;
      if (latest < 0 || latest === lastMinute) return undefined;
      for (let m = lastMinute + 1; m <= latest; m++)
        forecaster.observe(view.minutes[m]!.requestRate);
      lastMinute = latest;
      const point = view.minutes[latest]!;
      const lead = settings.config.preScaling.leadMinutes + settings.datapointDelayMinutes;
      const plan = planScaling(
        {
          desiredCount: view.desired,
          runningCount: view.running,
          pendingCount: view.pending,
          metricTaskCount: point.tasks,
          cpu: point.cpu,
          requestsPerTask: point.requestsPerTask,
          // The forecast starts after the last datapoint; skip the minutes already past.
          forecastRequestRate: forecaster.forecast(lead).slice(settings.datapointDelayMinutes),
          forecastRequestRateUpper: settings.bandZ
            ? forecaster.upper(lead, settings.bandZ).slice(settings.datapointDelayMinutes)
            : null,
        },
        state,
        settings.config,
        new Date(settings.startMs + view.t * 1000),
      );
      state = plan.state;
      return plan.action === 'hold' ? undefined : plan.desired;
    },
  };
}
