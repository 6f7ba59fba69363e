// The sentinel alarm of a service (SPEC C7, issue #15 part 5): one CloudWatch alarm on the one
// metric a load step shows first, evaluated inside CloudWatch every minute, whose state change wakes
// the service's reads between calm polls. What the alarm should be is derived from the service alone,
// so vigia can reconcile the alarms it owns with the fleet at any time (create, update, delete).
//
// The metric: when the service scales on requests behind a declared target group, the ALB's
// RequestCountPerTarget (the load itself, before any CPU moves); otherwise the ECS service's
// CPUUtilization, which every ECS service has without an ALB. The threshold is the scale-out target
// less the cadence's near-target margin: the alarm trips on the same reading that makes the read
// cadence call the service hot, so the woken service stays hot for as long as the load is high.
import { serviceIdSchema } from '../model/common';
import type { Service } from '../model';
import type { CadenceSettings } from './read-cadence';

export interface SentinelAlarmSpec {
  name: string;
  serviceId: string;
  namespace: 'AWS/ECS' | 'AWS/ApplicationELB';
  metricName: 'CPUUtilization' | 'RequestCountPerTarget';
  dimensions: { name: string; value: string }[];
  statistic: 'Average' | 'Sum';
  /** One-minute datapoints, one of one breaching: the alarm trips on the first high minute. */
  periodSeconds: 60;
  evaluationPeriods: 1;
  threshold: number;
  comparison: 'GreaterThanThreshold';
  /** No datapoint (a stopped service, an idle target group) is no load. */
  treatMissingData: 'notBreaching';
}

/** An alarm as CloudWatch describes it: whatever is there, compared field by field with the spec. */
export interface ExistingAlarm {
  name: string;
  namespace: string;
  metricName: string;
  dimensions: { name: string; value: string }[];
  statistic: string;
  periodSeconds: number;
  evaluationPeriods: number;
  threshold: number;
  comparison: string;
  treatMissingData: string;
}

/** Every alarm vigia owns on a stage starts with this; IAM grants nothing beyond it. */
export function sentinelPrefix(stage: string): string {
  return `vigia-${stage}-sentinel-`;
}

export function sentinelAlarmName(stage: string, serviceId: string): string {
  return `${sentinelPrefix(stage)}${serviceId}`;
}

/** The service an alarm of this stage watches; null for any other alarm. */
export function serviceOfSentinel(stage: string, alarmName: string): string | null {
  const prefix = sentinelPrefix(stage);
  if (!alarmName.startsWith(prefix)) return null;
  const id = alarmName.slice(prefix.length);
  // Any id a service may have (dashes included: `shop-api`), or its alarm would never wake it.
  return serviceIdSchema.safeParse(id).success ? id : null;
}

/** The target group's CloudWatch dimension (`targetgroup/<name>/<id>`) from its ARN. */
function targetGroupDimension(arn: string): string | null {
  const at = arn.indexOf(':targetgroup/');
  return at < 0 ? null : arn.slice(at + 1);
}

const round = (n: number) => Math.round(n * 1000) / 1000;

/** The alarm the service should have. */
export function sentinelSpec(
  service: Service,
  stage: string,
  cadence: Pick<CadenceSettings, 'nearTargetPercent'>,
): SentinelAlarmSpec {
  const margin = 1 - cadence.nearTargetPercent / 100;
  const name = sentinelAlarmName(stage, service.id);
  const perTask = service.scaling.requestsPerTaskCapacity;
  const targetGroup = service.targetGroupArn ? targetGroupDimension(service.targetGroupArn) : null;
  if (perTask !== undefined && targetGroup) {
    // Requests per task per second at the target, as a one-minute sum per target.
    const perMinute = ((perTask * service.scaling.requestsTargetPercent) / 100) * 60;
    return {
      name,
      serviceId: service.id,
      namespace: 'AWS/ApplicationELB',
      metricName: 'RequestCountPerTarget',
      dimensions: [{ name: 'TargetGroup', value: targetGroup }],
      statistic: 'Sum',
      periodSeconds: 60,
      evaluationPeriods: 1,
      threshold: round(perMinute * margin),
      comparison: 'GreaterThanThreshold',
      treatMissingData: 'notBreaching',
    };
  }
  return {
    name,
    serviceId: service.id,
    namespace: 'AWS/ECS',
    metricName: 'CPUUtilization',
    dimensions: [
      { name: 'ClusterName', value: service.ecs.cluster },
      { name: 'ServiceName', value: service.ecs.service },
    ],
    statistic: 'Average',
    periodSeconds: 60,
    evaluationPeriods: 1,
    threshold: round(service.targets.cpu * margin),
    comparison: 'GreaterThanThreshold',
    treatMissingData: 'notBreaching',
  };
}

/** Two specs describe the same alarm (dimensions in any order). */
export function sameAlarm(a: ExistingAlarm, b: ExistingAlarm): boolean {
  const dims = (s: ExistingAlarm) =>
    s.dimensions
      .map((d) => `${d.name}=${d.value}`)
      .sort()
      .join(',');
  return (
    a.name === b.name &&
    a.namespace === b.namespace &&
    a.metricName === b.metricName &&
    a.statistic === b.statistic &&
    a.periodSeconds === b.periodSeconds &&
    a.evaluationPeriods === b.evaluationPeriods &&
    a.threshold === b.threshold &&
    a.comparison === b.comparison &&
    a.treatMissingData === b.treatMissingData &&
    dims(a) === dims(b)
  );
}

export interface SentinelPlan {
  /** Alarms to create or overwrite (PutMetricAlarm creates or replaces by name). */
  put: SentinelAlarmSpec[];
  /** Alarms of services no longer in the fleet (or all of them, with the sentinel switched off). */
  remove: string[];
}

/** What turns the alarms that exist into the ones the fleet should have. */
export function planSentinels(
  desired: readonly SentinelAlarmSpec[],
  existing: readonly ExistingAlarm[],
): SentinelPlan {
  const have = new Map(existing.map((s) => [s.name, s]));
  const want = new Set(desired.map((s) => s.name));
  return {
    put: desired.filter((s) => {
      const current = have.get(s.name);
      return !current || !sameAlarm(current, s);
    }),
    remove: existing.filter((s) => !want.has(s.name)).map((s) => s.name),
  };
}

/** A short fingerprint of the alarms the fleet should have: unchanged fleet, nothing to do. */
export function fleetFingerprint(desired: readonly SentinelAlarmSpec[]): string {
  let h = 2166136261;
  const text = desired
    .map((s) => JSON.stringify(s))
    .sort()
    .join('\n');
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return `${desired.length}:${(h >>> 0).toString(16)}`;
}
