// The demo scenario, shared by `npm run demo` and the end-to-end test: three hours of normal history,
// then minute-by-minute ticks in accelerated time, with a load spike on one service.
import type { Service } from '../../src/model';
import type { DemoMetricsFeeder } from './demo-fleet';
import type { FleetWatch } from './fleet-watch';
import { invokeFunction } from './offline';

export interface Scenario {
  /** The first simulated minute (epoch minutes). Ticks run ahead of the wall clock, so the real
   *  once-a-minute schedule of serverless offline finds nothing new and stays out of the way. */
  startMinute: number;
  historyMinutes: number;
}

export function newScenario(now: Date, historyMinutes = 180): Scenario {
  return { startMinute: Math.floor(now.getTime() / 60_000) + 1, historyMinutes };
}

export async function seedHistory(
  feeder: DemoMetricsFeeder,
  watch: FleetWatch,
  services: readonly Service[],
  s: Scenario,
) {
  const tasks = await watch.desiredCounts(services);
  await feeder.backfill(s.startMinute - s.historyMinutes, s.startMinute, tasks);
}

/** Puts the datapoints of one simulated minute, then runs collect for the tick that completes it. */
export async function simulateMinute(
  minute: number,
  feeder: DemoMetricsFeeder,
  watch: FleetWatch,
  services: readonly Service[],
  lambdaUrl: string,
  collectFunctionName: string,
) {
  const tasks = await watch.desiredCounts(services);
  await feeder.put(feeder.datums(minute, tasks));
  const time = new Date((minute + 1) * 60_000).toISOString();
  return invokeFunction(lambdaUrl, collectFunctionName, {
    version: '0',
    id: `demo-${minute}`,
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    time,
    region: 'us-east-1',
    resources: [],
    detail: {},
  });
}

/** Runs the alert timers now (group wait, repeat, resolved) instead of waiting for the minute schedule. */
export async function flushAlerts(lambdaUrl: string, alertTimersFunctionName: string) {
  return invokeFunction(lambdaUrl, alertTimersFunctionName, {
    version: '0',
    id: 'demo-alert-timers',
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    time: new Date().toISOString(),
    region: 'us-east-1',
    resources: [],
    detail: {},
  });
}
