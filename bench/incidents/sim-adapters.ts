// The outside world of one simulated stack, as the ports see it: the fleet simulator is CloudWatch
// (one-minute datapoints), ECS (state, desired count, deployments) and the scaler's target; the
// notifier keeps every message with its simulated time so the benchmark can count and judge them.
import type { SentinelAlarmSpec } from '../../src/collection/sentinel-alarm';
import type { Service } from '../../src/model';
import type {
  Clock,
  EcsStateSource,
  MetricBatch,
  MetricPoint,
  MetricSource,
  Notifier,
  OutboundMessage,
  ServiceActuator,
} from '../../src/ports';
import type { FleetMinute, FleetSim } from './fleet-sim';

/** The series collect reads, as the CloudWatch, ALB and probe sources name them. */
const SERIES: ReadonlyArray<[string, (m: FleetMinute) => number | null]> = [
  ['cpu', (m) => m.cpuReported],
  ['memory', (m) => m.memory],
  ['requests', (m) => m.requestRate],
  ['latency_p95', (m) => m.latencyReported],
  ['error_rate', (m) => m.errorRate],
  ['probe_failures', (m) => m.probeFailures],
];

/**
 * CloudWatch publishes a one-minute datapoint about a minute after it closes: at tick m the newest
 * readable is minute m - 2. Every system in the benchmark reads with this same delay (target
 * tracking's documented one, bench/scaling's vigiaCloudWatch feed).
 */
export const DATAPOINT_DELAY_MINUTES = 1;

export class SimMetricSource implements MetricSource {
  constructor(
    private readonly sim: FleetSim,
    private readonly serviceId: string,
  ) {}
  async fetch(_services: readonly Service[], from: Date, to: Date): Promise<MetricBatch> {
    const start = this.sim.settings.startMs;
    const published = to.getTime() - (1 + DATAPOINT_DELAY_MINUTES) * 60_000;
    const series = new Map<string, MetricPoint[]>();
    for (const m of this.sim.minutes) {
      const timestamp = start + m.minute * 60_000;
      if (timestamp < from.getTime() || timestamp > published) continue;
      for (const [id, read] of SERIES) {
        const value = read(m);
        // A series with no datapoint this minute (nothing running to report CPU) has a gap.
        if (value === null) continue;
        const points = series.get(id) ?? [];
        points.push({ timestamp, value });
        series.set(id, points);
      }
    }
    return new Map([[this.serviceId, series]]);
  }
}

export class SimEcs implements EcsStateSource, ServiceActuator {
  constructor(private readonly sim: FleetSim) {}
  async describe(services: readonly Service[]) {
    return new Map(services.map((s) => [s.id, this.sim.ecsState()]));
  }
  async snapshot() {
    return this.sim.snapshot();
  }
  async setDesiredCount(_service: Service, desiredCount: number) {
    return this.sim.setDesired(desiredCount);
  }
  async restart() {
    this.sim.restart();
  }
  async rollback(_service: Service, target: string | null) {
    return this.sim.rollback(target);
  }
}

/** A state change of the simulated sentinel alarm, as EventBridge delivers it to the wake function. */
export interface AlarmStateChange {
  alarmName: string;
  state: 'ALARM' | 'OK';
  /** Simulated epoch ms. */
  changedAt: number;
}

/**
 * The service's sentinel alarm as CloudWatch evaluates it, by the spec's own rule (one one-minute
 * datapoint of the spec's metric and statistic, compared with its threshold, missing data not
 * breaching), on the newest datapoint published at the tick — the same delay every reader has.
 */
export class SimSentinelAlarm {
  private state: 'ALARM' | 'OK' | 'INSUFFICIENT_DATA' = 'INSUFFICIENT_DATA';
  constructor(
    private readonly sim: FleetSim,
    readonly spec: SentinelAlarmSpec,
  ) {}

  /** The datapoint the alarm sees at the tick: null when there is none (nothing running). */
  datapoint(tickAt: Date): number | null {
    const minute =
      Math.round((tickAt.getTime() - this.sim.settings.startMs) / 60_000) -
      1 -
      DATAPOINT_DELAY_MINUTES;
    const m = this.sim.minutes[minute];
    if (!m) return null;
    if (this.spec.metricName === 'CPUUtilization') return m.cpuReported;
    // RequestCountPerTarget, Sum over the minute: requests per second × 60 per running target.
    return m.running > 0 ? (m.requestRate * 60) / m.running : null;
  }

  /** Evaluates the alarm at the tick; a change of state is returned (only ALARM wakes). */
  evaluate(tickAt: Date): AlarmStateChange | null {
    const value = this.datapoint(tickAt);
    const next = value !== null && value > this.spec.threshold ? 'ALARM' : 'OK';
    if (next === this.state) return null;
    this.state = next;
    return { alarmName: this.spec.name, state: next, changedAt: tickAt.getTime() };
  }
}

export interface SentMessage {
  /** Simulated epoch ms. */
  at: number;
  kind: string;
  subject: string;
}

export class CountingNotifier implements Notifier {
  readonly sent: SentMessage[] = [];
  constructor(private readonly clock: Clock) {}
  async publish(message: OutboundMessage) {
    this.sent.push({
      at: this.clock.now().getTime(),
      kind: message.attributes.kind,
      subject: message.subject,
    });
    return { messageId: `m-${this.sent.length}` };
  }
}
