// Every unit a configured metric may declare converts to the unit vigia reasons in, and the ALB
// metrics a target group brings carry the units that make the default policies right.
import { describe, expect, it } from 'vitest';
import {
  albMetrics,
  loadBalancerDimension,
  targetGroupDimension,
} from '../../../lib/sources/alb-discovery';
import { seriesQueriesFor } from '../../../lib/sources/cloudwatch-source';
import { metricUnits, toCanonicalUnit, type MetricUnit } from '../../../src/model';
import { aService } from '../../support/builders';

describe('metric units', () => {
  it.each<[MetricUnit, number, number, string]>([
    ['none', 42, 42, ''],
    ['percent', 42, 42, '%'],
    ['fraction', 0.05, 5, '%'],
    ['milliseconds', 250, 250, 'ms'],
    ['seconds', 2.5, 2500, 'ms'],
    ['microseconds', 1500, 1.5, 'ms'],
    ['per-second', 20, 20, '/s'],
    ['per-minute', 1200, 20, '/s'],
    ['bytes', 3_000_000, 3, 'MB'],
    ['kilobytes', 2500, 2.5, 'MB'],
    ['megabytes', 512, 512, 'MB'],
    ['gigabytes', 1.5, 1500, 'MB'],
  ])('%s: %d → %d %s', (unit, value, expected, to) => {
    expect(toCanonicalUnit(unit, value)).toBeCloseTo(expected, 9);
    expect(metricUnits[unit].to).toBe(to);
  });

  it('covers every unit the configuration accepts', () => {
    expect(Object.keys(metricUnits)).toHaveLength(12);
  });

  it('defaults a configured metric to none, and keeps its declared unit', () => {
    const service = aService({
      metrics: [
        { id: 'orders', namespace: 'Shop', name: 'Orders' },
        {
          id: 'queue_age',
          namespace: 'AWS/SQS',
          name: 'Age',
          statistic: 'Maximum',
          unit: 'seconds',
        },
      ],
    });
    const units = seriesQueriesFor(service, 0).map((q) => `${q.metric}:${q.unit}`);
    expect(units).toEqual(['cpu:percent', 'memory:percent', 'orders:none', 'queue_age:seconds']);
  });
});

describe('ALB metrics', () => {
  const lb =
    'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/shop/50dc6c495c0c9188';
  const tg =
    'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/shop-tg/73e2d6bc24d8a067';

  it('take their dimensions from the ARNs', () => {
    expect(loadBalancerDimension(lb)).toBe('app/shop/50dc6c495c0c9188');
    expect(targetGroupDimension(tg)).toBe('targetgroup/shop-tg/73e2d6bc24d8a067');
  });

  it('read latency as p95 seconds, requests as a per-minute Sum, 5xx as a Sum', () => {
    const metrics = albMetrics({
      loadBalancer: 'app/shop/1',
      targetGroup: 'targetgroup/shop-tg/2',
    });
    expect(metrics.map((m) => [m.id, m.name, m.statistic, m.unit])).toEqual([
      ['latency_p95', 'TargetResponseTime', 'p95', 'seconds'],
      ['requests', 'RequestCount', 'Sum', 'per-minute'],
      ['errors_5xx', 'HTTPCode_Target_5XX_Count', 'Sum', 'none'],
    ]);
    expect(metrics[0]!.dimensions).toEqual({
      LoadBalancer: 'app/shop/1',
      TargetGroup: 'targetgroup/shop-tg/2',
    });
  });

  it('give way to a metric the service configures under the same id', () => {
    const service = aService({
      metrics: [{ id: 'requests', namespace: 'Shop', name: 'Hits', unit: 'per-second' }],
    });
    const queries = seriesQueriesFor(
      service,
      0,
      albMetrics({ loadBalancer: 'a', targetGroup: 'b' }),
    );
    expect(queries.map((q) => `${q.metric}:${q.unit}`)).toEqual([
      'cpu:percent',
      'memory:percent',
      'requests:per-second',
      'latency_p95:seconds',
      'errors_5xx:none',
    ]);
  });
});
