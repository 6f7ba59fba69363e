// The two comparators bench:incidents plays on the same scenarios: AWS target tracking alone (the
// documented algorithm of bench/scaling/target-tracking-scaler.ts, CPU and requests policies), and a
// static runbook with the seed thresholds — CPU 80 / 30, memory 85 / 40, latency 2 s, error rate
// 10 % — as CloudWatch alarms: scale out on CPU or latency, in when idle, restart on memory, alert
// on errors. Each alarm messages people on ALARM and on OK, as an SNS action on both states does.
import { cpuTarget, requestsTargetPercent } from '../scaling/scalers';
import { targetTrackingScaler } from '../scaling/target-tracking-scaler';
import type { Scaler } from '../scaling/service-sim';
import type { FleetMinute, FleetSim } from './fleet-sim';

export function targetTracking(capacityPerTask: number): Scaler {
  return targetTrackingScaler({
    policies: [
      { metric: 'cpu', target: cpuTarget },
      { metric: 'requestsPerTask', target: (capacityPerTask * requestsTargetPercent) / 100 },
    ],
    scaleOutCooldownSeconds: 300,
    scaleInCooldownSeconds: 300,
    datapointDelayMinutes: 1,
  });
}

/** One alarm of the runbook: breaching, not, or no data (which keeps the alarm's state). */
interface Alarm {
  name: string;
  breaching(m: FleetMinute): boolean | null;
  /** What a person reading the runbook would call it. */
  diagnosis: string;
  action: 'scale-out' | 'restart' | 'alert';
  notifies: boolean;
}

export const RUNBOOK = {
  cpuHigh: 80,
  cpuLow: 30,
  memoryHigh: 85,
  memoryLow: 40,
  latencyMs: 2000,
  errorPercent: 10,
  /** CloudWatch alarms: this many datapoints in a row to go to ALARM, and to go back to OK. */
  datapoints: 2,
  scaleCooldownMinutes: 5,
  restartCooldownMinutes: 10,
};

const alarms: Alarm[] = [
  {
    name: 'cpu-high',
    breaching: (m) => (m.cpuReported === null ? null : m.cpuReported > RUNBOOK.cpuHigh),
    diagnosis: 'overload',
    action: 'scale-out',
    notifies: true,
  },
  {
    name: 'latency-high',
    breaching: (m) => (m.latencyReported === null ? null : m.latencyReported > RUNBOOK.latencyMs),
    diagnosis: 'overload',
    action: 'scale-out',
    notifies: true,
  },
  {
    name: 'memory-high',
    breaching: (m) => (m.memory === null ? null : m.memory > RUNBOOK.memoryHigh),
    diagnosis: 'memory_leak',
    action: 'restart',
    notifies: true,
  },
  {
    name: 'errors-high',
    breaching: (m) => m.errorRate >= RUNBOOK.errorPercent,
    diagnosis: 'error_burst',
    action: 'alert',
    notifies: true,
  },
  {
    name: 'idle',
    breaching: (m) =>
      m.cpuReported === null || m.memory === null
        ? null
        : m.cpuReported < RUNBOOK.cpuLow && m.memory < RUNBOOK.memoryLow,
    diagnosis: 'idle',
    action: 'alert',
    notifies: false,
  },
];

export interface RunbookEvent {
  /** Simulated seconds. */
  at: number;
  alarm: string;
  state: 'ALARM' | 'OK';
  diagnosis: string;
  notified: boolean;
}

/** The static runbook, evaluated once a minute on the newest datapoint CloudWatch published. */
export class StaticRunbook {
  readonly events: RunbookEvent[] = [];
  private readonly state = new Map<string, { alarm: boolean; run: number }>();
  private lastScaleAt = -Infinity;
  private lastRestartAt = -Infinity;

  tick(sim: FleetSim, latest: FleetMinute): void {
    const t = sim.now();
    for (const alarm of alarms) {
      const breaching = alarm.breaching(latest);
      if (breaching === null) continue;
      const s = this.state.get(alarm.name) ?? { alarm: false, run: 0 };
      s.run = breaching === s.alarm ? 0 : s.run + 1;
      if (s.run >= RUNBOOK.datapoints) {
        s.alarm = !s.alarm;
        s.run = 0;
        this.events.push({
          at: t,
          alarm: alarm.name,
          state: s.alarm ? 'ALARM' : 'OK',
          diagnosis: alarm.diagnosis,
          notified: alarm.notifies,
        });
      }
      this.state.set(alarm.name, s);
    }
    this.act(sim, t);
  }

  /** Alarms in ALARM act every minute they stay there, outside their cooldown. */
  private act(sim: FleetSim, t: number): void {
    const on = (name: string) => this.state.get(name)?.alarm === true;
    if (on('memory-high') && t - this.lastRestartAt >= RUNBOOK.restartCooldownMinutes * 60) {
      sim.restart();
      this.lastRestartAt = t;
    }
    if (t - this.lastScaleAt < RUNBOOK.scaleCooldownMinutes * 60) return;
    const desired = sim.ecsState().desiredCount;
    if (on('cpu-high') || on('latency-high')) {
      // +50 %, at least one task: the usual step of a hand-written scaling policy.
      sim.setDesired(Math.max(desired + 1, Math.ceil(desired * 1.5)));
      this.lastScaleAt = t;
    } else if (on('idle')) {
      sim.setDesired(desired - 1);
      this.lastScaleAt = t;
    }
  }
}
