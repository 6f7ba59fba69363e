// The outside world of one simulated stack, as the ports see it: the fleet simulator is CloudWatch
// (one-minute datapoints), ECS (state, desired count, deployments) and the scaler's target; the
// notifier keeps every message with its simulated time so the benchmark can count and judge them.
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
