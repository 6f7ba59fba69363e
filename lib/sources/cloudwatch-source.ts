// CloudWatch metrics for every service in batched GetMetricData calls (up to 500 queries each).
import {
  GetMetricDataCommand,
  type CloudWatchClient,
  type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import type { Service } from '../../src/model';
import type { MetricBatch, MetricPoint, MetricSource } from '../../src/ports';
import { awsError } from '../aws/errors';

const MAX_QUERIES_PER_CALL = 500;
const PERIOD_SECONDS = 60;

interface SeriesQuery {
  serviceId: string;
  metric: string;
  query: MetricDataQuery;
}

/** The queries for one service: ECS CPU and memory utilisation, then its custom metrics. */
export function seriesQueriesFor(service: Service, index: number): SeriesQuery[] {
  const ecsDims = [
    { Name: 'ClusterName', Value: service.ecs.cluster },
    { Name: 'ServiceName', Value: service.ecs.service },
  ];
  const queries: SeriesQuery[] = [
    { metric: 'cpu', namespace: 'AWS/ECS', name: 'CPUUtilization', dims: ecsDims, stat: 'Average' },
    {
      metric: 'memory',
      namespace: 'AWS/ECS',
      name: 'MemoryUtilization',
      dims: ecsDims,
      stat: 'Average',
    },
    ...service.metrics.map((m) => ({
      metric: m.id,
      namespace: m.namespace,
      name: m.name,
      dims: Object.entries(m.dimensions).map(([Name, Value]) => ({ Name, Value })),
      stat: m.statistic,
    })),
  ].map((q, j) => ({
    serviceId: service.id,
    metric: q.metric,
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
  ) {}

  async fetch(services: readonly Service[], from: Date, to: Date): Promise<MetricBatch> {
    const series = services.flatMap((s, i) => seriesQueriesFor(s, i));
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
              points.push({ timestamp: t.getTime(), value });
          });
        }
        nextToken = out.NextToken;
      } while (nextToken);
    }
    for (const metrics of batch.values()) {
      for (const [metric, points] of metrics) metrics.set(metric, dedupeSorted(points));
    }
    return batch;
  }
}

function dedupeSorted(points: MetricPoint[]): MetricPoint[] {
  const byTime = new Map<number, number>();
  for (const p of points) byTime.set(p.timestamp, p.value);
  return [...byTime.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([timestamp, value]) => ({ timestamp, value }));
}
