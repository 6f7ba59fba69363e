// Several metric sources read as one (CloudWatch, pushed metrics, …): their batches are merged per
// service and metric; when two sources have a point for the same minute, the later source wins.
import type { Service } from '../../src/model';
import type { MetricBatch, MetricPoint, MetricSource, SourceFailure } from '../../src/ports';

export class CombinedMetricSource implements MetricSource {
  constructor(private readonly sources: readonly MetricSource[]) {}

  async fetch(
    services: readonly Service[],
    from: Date,
    to: Date,
    report?: (failure: SourceFailure) => void,
    history?: boolean,
  ): Promise<MetricBatch> {
    const batches = await Promise.all(
      this.sources.map((s) => s.fetch(services, from, to, report, history)),
    );
    return mergeBatches(batches);
  }
}

export function mergeBatches(batches: readonly MetricBatch[]): MetricBatch {
  const merged: MetricBatch = new Map();
  for (const batch of batches) {
    for (const [serviceId, metrics] of batch) {
      const target = merged.get(serviceId) ?? new Map<string, MetricPoint[]>();
      merged.set(serviceId, target);
      for (const [metric, points] of metrics) {
        const byTime = new Map((target.get(metric) ?? []).map((p) => [p.timestamp, p.value]));
        for (const p of points) byTime.set(p.timestamp, p.value);
        target.set(
          metric,
          [...byTime]
            .sort((a, b) => a[0] - b[0])
            .map(([timestamp, value]) => ({ timestamp, value })),
        );
      }
    }
  }
  return merged;
}
