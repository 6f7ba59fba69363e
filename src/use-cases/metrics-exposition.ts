// GET /metrics (SPEC O6): vigia's own gauges and each service's latest values, health score and open
// incidents, for a Prometheus to scrape. Only what the table answers cheaply: per service its latest
// sample, its anomalies of the last hour, its open incidents and its detector models; the fleet's decisions of the last
// day; the collector's heartbeat; the failure queue's depth when there is one.
import type { Anomaly, Sample, Service } from '../model';
import type { CollectorHeartbeat, ModelRecord } from '../ports';
import type { MetricFamily } from './prometheus-text';
import { healthOfService } from './service-outlook';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Decisions read for the daily counts; beyond this the counts say "at least". */
export const MAX_DECISIONS_COUNTED = 2_000;

export interface ExpositionPorts {
  services(): Promise<Service[]>;
  latestSample(serviceId: string): Promise<Sample | null>;
  anomaliesSince(serviceId: string, since: Date): Promise<Anomaly[]>;
  openIncidentCount(serviceId: string): Promise<number>;
  /** Decisions of every service recorded since then (loosely typed: stored items), up to max. */
  decisionsSince(since: Date, max: number): Promise<Record<string, unknown>[]>;
  lastCollectorRun(): Promise<CollectorHeartbeat | null>;
  /** Messages waiting in the stream failure queue; null when there is no queue or it is unreadable. */
  failureQueueDepth(): Promise<number | null>;
  /** The detector models, for the health score of the calm series (as /status computes it). */
  models?(serviceId: string): Promise<Pick<ModelRecord, 'metric' | 'state'>[]>;
}

interface ServiceFacts {
  service: Service;
  latest: Sample | null;
  anomalies: Anomaly[];
  openIncidents: number;
  models: Pick<ModelRecord, 'metric' | 'state'>[];
}

export async function metricsExposition(
  ports: ExpositionPorts,
  now: Date,
): Promise<MetricFamily[]> {
  const [services, heartbeat, decisions, queueDepth] = await Promise.all([
    ports.services(),
    ports.lastCollectorRun(),
    ports.decisionsSince(new Date(now.getTime() - DAY), MAX_DECISIONS_COUNTED),
    ports.failureQueueDepth(),
  ]);
  const hourAgo = new Date(now.getTime() - HOUR);
  const facts: ServiceFacts[] = await Promise.all(
    services.map(async (service) => {
      const [latest, anomalies, openIncidents, models] = await Promise.all([
        ports.latestSample(service.id),
        ports.anomaliesSince(service.id, hourAgo),
        ports.openIncidentCount(service.id),
        ports.models ? ports.models(service.id) : Promise.resolve([]),
      ]);
      return { service, latest, anomalies, openIncidents, models };
    }),
  );
  // Health is judged against data time, so a delayed feed does not read as healthy by default.
  const reference = heartbeat ? Date.parse(heartbeat.tickAt) : now.getTime();
  return [
    ...fleetFamilies(facts, decisions, heartbeat, queueDepth, now),
    ...serviceFamilies(facts, reference),
  ];
}

function fleetFamilies(
  facts: readonly ServiceFacts[],
  decisions: readonly Record<string, unknown>[],
  heartbeat: CollectorHeartbeat | null,
  queueDepth: number | null,
  now: Date,
): MetricFamily[] {
  const families: MetricFamily[] = [
    gauge('vigia_services', 'Services vigia watches.', [{ value: facts.length }]),
    gauge('vigia_open_incidents', 'Open incidents across every service.', [
      { value: sum(facts.map((f) => f.openIncidents)) },
    ]),
    gauge('vigia_anomalies_last_hour', 'Anomalies raised in the last hour, every service.', [
      { value: sum(facts.map((f) => f.anomalies.length)) },
    ]),
    gauge(
      'vigia_decisions_last_day',
      'Decisions recorded in the last 24 hours, by their status now.',
      countBy(decisions, 'status').map(([status, value]) => ({ labels: { status }, value })),
    ),
    gauge(
      'vigia_actions_last_day',
      'Actions executed on ECS in the last 24 hours, by kind.',
      countBy(
        decisions.filter((d) => d.status === 'executed'),
        'action',
      ).map(([action, value]) => ({ labels: { action }, value })),
    ),
  ];
  if (heartbeat) {
    const ranAt = Date.parse(heartbeat.ranAt);
    families.push(
      gauge('vigia_collect_last_run_timestamp_seconds', 'When the last collect tick finished.', [
        { value: ranAt / 1000 },
      ]),
      gauge('vigia_collect_last_run_age_seconds', 'Seconds since the last collect tick finished.', [
        { value: Math.max(0, (now.getTime() - ranAt) / 1000) },
      ]),
      gauge('vigia_collect_last_run_duration_seconds', 'How long the last collect tick took.', [
        { value: heartbeat.durationMs / 1000 },
      ]),
      gauge('vigia_collect_last_run_failures', 'Services the last collect tick failed on.', [
        { value: heartbeat.failures },
      ]),
    );
  }
  if (queueDepth !== null) {
    families.push(
      gauge(
        'vigia_failure_queue_messages',
        'Stream records that failed every retry and wait in the failure queue.',
        [{ value: queueDepth }],
      ),
    );
  }
  return families;
}

function serviceFamilies(facts: readonly ServiceFacts[], reference: number): MetricFamily[] {
  const values: MetricFamily['samples'] = [];
  const tasks: MetricFamily['samples'] = [];
  const sampledAt: MetricFamily['samples'] = [];
  for (const { service, latest } of facts) {
    if (!latest) continue;
    sampledAt.push({ labels: { service: service.id }, value: Date.parse(latest.at) / 1000 });
    for (const [metric, value] of Object.entries(latest.metrics)) {
      if (value !== null) values.push({ labels: { service: service.id, metric }, value });
    }
    if (latest.ecs) {
      for (const [state, value] of [
        ['desired', latest.ecs.desiredCount],
        ['running', latest.ecs.runningCount],
        ['pending', latest.ecs.pendingCount],
      ] as const) {
        tasks.push({ labels: { service: service.id, state }, value });
      }
    }
  }
  const perService = (pick: (f: ServiceFacts) => number) =>
    facts.map((f) => ({ labels: { service: f.service.id }, value: pick(f) }));
  return [
    gauge('vigia_service_metric', "The service's latest collected value of each metric.", values),
    gauge('vigia_service_sample_timestamp_seconds', 'The minute of the latest sample.', sampledAt),
    gauge('vigia_service_tasks', 'ECS tasks at the latest sample, by state.', tasks),
    gauge(
      'vigia_service_health_score',
      'Health 0..100 as on /status: the latest judgement of each series, no task running (0), an open incident (at most 79).',
      perService((f) => healthOfService({ ...f, reference: new Date(reference) }).score),
    ),
    gauge(
      'vigia_service_open_incidents',
      'Open incidents of the service.',
      perService((f) => f.openIncidents),
    ),
    gauge(
      'vigia_service_anomalies_last_hour',
      'Anomalies raised on the service in the last hour.',
      perService((f) => f.anomalies.length),
    ),
  ];
}

function gauge(name: string, help: string, samples: MetricFamily['samples']): MetricFamily {
  return { name, help, type: 'gauge', samples };
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function countBy(items: readonly Record<string, unknown>[], field: string): [string, number][] {
  const counts = new Map<string, number>();
  for (const item of items) {
    const key = item[field];
    if (typeof key === 'string') counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].sort(([a], [b]) => (a < b ? -1 : 1));
}
