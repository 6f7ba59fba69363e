import { describe, expect, it } from 'vitest';
import { mergeBatches } from '../../../lib/sources/combined-source';
import type { MetricBatch } from '../../../src/ports';

const batch = (entries: [string, string, [number, number][]][]): MetricBatch => {
  const b: MetricBatch = new Map();
  for (const [service, metric, points] of entries) {
    if (!b.has(service)) b.set(service, new Map());
    b.get(service)!.set(
      metric,
      points.map(([timestamp, value]) => ({ timestamp, value })),
    );
  }
  return b;
};

describe('merging metric sources', () => {
  it('adds pushed series beside CloudWatch ones, in time order, the later source winning a shared minute', () => {
    const cloudwatch = batch([
      [
        'web',
        'cpu',
        [
          [120, 40],
          [60, 35],
        ],
      ],
    ]);
    const pushed = batch([
      ['web', 'active_users', [[60, 900]]],
      ['web', 'cpu', [[120, 42]]],
      ['worker', 'queue_depth', [[60, 12]]],
    ]);

    const merged = mergeBatches([cloudwatch, pushed]);

    expect(merged.get('web')!.get('cpu')).toEqual([
      { timestamp: 60, value: 35 },
      { timestamp: 120, value: 42 },
    ]);
    expect(merged.get('web')!.get('active_users')).toEqual([{ timestamp: 60, value: 900 }]);
    expect(merged.get('worker')!.get('queue_depth')).toEqual([{ timestamp: 60, value: 12 }]);
  });
});
