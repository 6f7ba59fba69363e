// CloudWatch metrics for every service in batched GetMetricData calls (up to 500 queries each): ECS
// utilisation, the configured metrics, and the ALB metrics of services behind a discovered target
// group; every value converted from its unit once, here.
import {
  GetMetricDataCommand,
  type CloudWatchClient,
  type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import { toCanonicalUnit, type CustomMetric, type MetricUnit, type Service } from '../../src/model';
import type { MetricBatch, MetricPoint, MetricSource } from '../../src/ports';
import { awsError } from '../aws/errors';
import { logger } from '../logger';
import { albMetrics, type AlbDiscovery } from './alb-discovery';
import { queueArrivalMetrics } from './queue-source';

const MAX_QUERIES_PER_CALL = 500;
const PERIOD_SECONDS = 60;

interface SeriesQuery {
  serviceId: string;
  metric: string;
  unit: MetricUnit;
  query: MetricDataQuery;
}

/**
 * The queries for one service: ECS CPU and memory utilisation, its configured metrics, then the
 * discovered ones (ALB) whose ids it does not configure itself.
 */
export function seriesQueriesFor(
  service: Service,
  index: number,
  discovered: readonly CustomMetric[] = [],
): SeriesQuery[] {
  const ecsDims = [
    { Name: 'ClusterName', Value: service.ecs.cluster },
    { Name: 'ServiceName', Value: service.ecs.service },
  ];
  const queries: SeriesQuery[] = [
    {
      metric: 'cpu',
      namespace: 'AWS/ECS',
      name: 'CPUUtilization',
      dims: ecsDims,
      stat: 'Average',
      unit: 'percent' as const,
    },
    {
      metric: 'memory',
      namespace: 'AWS/ECS',
      name: 'MemoryUtilization',
      dims: ecsDims,
      stat: 'Average',
      unit: 'percent' as const,
    },
    ...[
      ...service.metrics,
      ...discovered.filter((d) => !service.metrics.some((m) => m.id === d.id)),
    ].map((m) => ({
      metric: m.id,
      namespace: m.namespace,
      name: m.name,
      dims: Object.entries(m.dimensions).map(([Name, Value]) => ({ Name, Value })),
      stat: m.statistic,
      unit: m.unit,
    })),
  ].map((q, j) => ({
    serviceId: service.id,
    metric: q.metric,
    unit: q.unit,
    query: {
      // GetMetricData ids must start with a lowercase letter and be unique within a call.
      Id: `s${index}_${j}`,
      MetricStat: {
        Metric: { Namespace: q.namespace, MetricName: q.name, Dimensions: q.dims },
        Period: PERIOD_SECONDS,
        Stat: q.stat,
      },
      ReturnData: true,
    },
  }));
  return queries;
}

export class CloudWatchSource implements MetricSource {
  constructor(
    private readonly cloudwatch: CloudWatchClient,
    private readonly endpoint?: string,
    /** Finds the ALB target group of each service; without it, no ALB metrics. */
    private readonly alb?: Pick<AlbDiscovery, 'targets'>,
  ) {}

  async fetch(services: readonly Service[], from: Date, to: Date): Promise<MetricBatch> {
    const targets = await this.albTargets(services);
    const series = services.flatMap((s, i) => {
      const target = targets.get(s.id);
      return seriesQueriesFor(s, i, [
        ...(target ? albMetrics(target) : []),
        ...queueArrivalMetrics(s),
      ]);
    });
    const byId = new Map(series.map((s) => [s.query.Id!, s]));
    const batch: MetricBatch = new Map();
    for (const s of series) {
      if (!batch.has(s.serviceId)) batch.set(s.serviceId, new Map());
      batch.get(s.serviceId)!.set(s.metric, []);
    }
    for (let i = 0; i < series.length; i += MAX_QUERIES_PER_CALL) {
      const chunk = series.slice(i, i + MAX_QUERIES_PER_CALL).map((s) => s.query);
      let nextToken: string | undefined;
      do {
        const out = await this.cloudwatch
          .send(
            new GetMetricDataCommand({
              MetricDataQueries: chunk,
              StartTime: from,
              EndTime: to,
              ScanBy: 'TimestampAscending',
              NextToken: nextToken,
            }),
          )
          .catch((err) => {
            throw awsError(err, 'CloudWatch GetMetricData', this.endpoint);
          });
        for (const result of out.MetricDataResults ?? []) {
          const s = byId.get(result.Id ?? '');
          if (!s) continue;
          const points = batch.get(s.serviceId)!.get(s.metric)!;
          (result.Timestamps ?? []).forEach((t, k) => {
            const value = result.Values?.[k];
            if (value !== undefined && Number.isFinite(value))
              points.push({ timestamp: t.getTime(), value: toCanonicalUnit(s.unit, value) });
          });
        }
        nextToken = out.NextToken;
      } while (nextToken);
    }
    for (const [serviceId, metrics] of batch) {
      for (const [metric, points] of metrics) metrics.set(metric, dedupeSorted(points));
      if (targets.has(serviceId)) addErrorRate(metrics);
    }
    return batch;
  }

  /** A failed discovery costs the ALB metrics of this tick, not the ECS ones. */
  private async albTargets(services: readonly Service[]) {
    if (!this.alb) return new Map();
    return this.alb.targets(services).catch((err: Error) => {
      logger.warn('ALB target groups not discovered; no ALB metrics this tick', {
        error: err.message,
      });
      return new Map();
    });
  }
}

/**
 * error_rate in % of requests. The ALB publishes no HTTPCode_Target_5XX_Count for a minute without
 * a 5xx, so a minute with requests and no 5xx point had 0 errors (and says so in errors_5xx too).
 */
function addErrorRate(metrics: Map<string, MetricPoint[]>): void {
  const requests = metrics.get('requests') ?? [];
  const errors = new Map((metrics.get('errors_5xx') ?? []).map((p) => [p.timestamp, p.value]));
  const filled: MetricPoint[] = [];
  const rate: MetricPoint[] = [];
  for (const r of requests) {
    const count = errors.get(r.timestamp) ?? 0;
    filled.push({ timestamp: r.timestamp, value: count });
    // requests are per second by now; the rate is over the minute's requests.
    if (r.value > 0) rate.push({ timestamp: r.timestamp, value: (100 * count) / (r.value * 60) });
  }
  for (const [timestamp, value] of errors) {
    if (!filled.some((p) => p.timestamp === timestamp)) filled.push({ timestamp, value });
  }
  metrics.set(
    'errors_5xx',
    filled.sort((a, b) => a.timestamp - b.timestamp),
  );
  metrics.set('error_rate', rate);
}

function dedupeSorted(points: MetricPoint[]): MetricPoint[] {
  const byTime = new Map<number, number>();
  for (const p of points) byTime.set(p.timestamp, p.value);
  return [...byTime.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([timestamp, value]) => ({ timestamp, value }));
}
