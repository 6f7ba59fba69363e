import { describe, expect, it } from 'vitest';
import {
  fleetFingerprint,
  planSentinels,
  sentinelSpec,
  serviceOfSentinel,
} from '../../../src/collection/sentinel-alarm';
import { aService } from '../../support/builders';

const margin = { nearTargetPercent: 10 };

describe('sentinel alarm', () => {
  it("watches the ECS service's CPU at its target less the near-target margin", () => {
    const spec = sentinelSpec(aService({ targets: { cpu: 70, memory: 75 } }), 'prod', margin);
    expect(spec).toMatchObject({
      name: 'vigia-prod-sentinel-web',
      namespace: 'AWS/ECS',
      metricName: 'CPUUtilization',
      statistic: 'Average',
      periodSeconds: 60,
      evaluationPeriods: 1,
      threshold: 63,
      dimensions: [
        { name: 'ClusterName', value: 'prod' },
        { name: 'ServiceName', value: 'web' },
      ],
    });
  });

  it('watches requests per target when the service scales on requests behind its target group', () => {
    const service = aService({
      targetGroupArn:
        'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-tg/6d0ecf831eec9f09',
      scaling: { requestsPerTaskCapacity: 50, requestsTargetPercent: 80 },
    });
    // 50 req/s per task at 80 % is 40 req/s, 2,400 a minute; less 10 %: 2,160.
    expect(sentinelSpec(service, 'prod', margin)).toMatchObject({
      namespace: 'AWS/ApplicationELB',
      metricName: 'RequestCountPerTarget',
      statistic: 'Sum',
      threshold: 2160,
      dimensions: [{ name: 'TargetGroup', value: 'targetgroup/web-tg/6d0ecf831eec9f09' }],
    });
  });

  it('knows its own alarms by stage and name, and no other', () => {
    expect(serviceOfSentinel('prod', 'vigia-prod-sentinel-web')).toBe('web');
    // Found by bench:incidents --cadence sentinel: a service id with a dash was never woken.
    expect(serviceOfSentinel('prod', 'vigia-prod-sentinel-shop-api')).toBe('shop-api');
    expect(serviceOfSentinel('prod', 'vigia-prod-sentinel-2nd-api')).toBe('2nd-api');
    expect(serviceOfSentinel('prod', 'vigia-dev-sentinel-web')).toBeNull();
    expect(serviceOfSentinel('prod', 'vigia-prod-sentinel-Web!')).toBeNull();
    expect(serviceOfSentinel('prod', 'TargetTracking-web-AlarmHigh')).toBeNull();
  });

  it('plans the puts for missing or changed alarms and the deletes for services that left', () => {
    const web = sentinelSpec(aService({ id: 'web' }), 'dev', margin);
    const api = sentinelSpec(aService({ id: 'api' }), 'dev', margin);
    const gone = sentinelSpec(aService({ id: 'gone' }), 'dev', margin);
    const plan = planSentinels(
      [web, api],
      [{ ...web, dimensions: [...web.dimensions].reverse() }, { ...api, threshold: 1 }, gone],
    );
    expect(plan.put.map((s) => s.name)).toEqual(['vigia-dev-sentinel-api']);
    expect(plan.remove).toEqual(['vigia-dev-sentinel-gone']);
  });

  it("fingerprints the fleet's alarms whatever the order, and changes with a threshold", () => {
    const web = sentinelSpec(aService({ id: 'web' }), 'dev', margin);
    const api = sentinelSpec(aService({ id: 'api' }), 'dev', margin);
    expect(fleetFingerprint([web, api])).toBe(fleetFingerprint([api, web]));
    expect(fleetFingerprint([web, { ...api, threshold: 50 }])).not.toBe(
      fleetFingerprint([web, api]),
    );
  });
});
