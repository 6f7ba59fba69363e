// Which ALB target group serves each service, and so which AWS/ApplicationELB metrics describe it:
// the target group ECS shows for the service (DescribeServices' loadBalancers) or the one its
// configuration names, and the load balancer that target group belongs to (ELBv2
// DescribeTargetGroups). Both change only with a redeployment, so the answer is kept a few minutes.
import {
  DescribeTargetGroupsCommand,
  type ElasticLoadBalancingV2Client,
  type TargetGroup,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { DescribeServicesCommand, type ECSClient } from '@aws-sdk/client-ecs';
import type { CustomMetric, Service } from '../../src/model';
import { awsError } from '../aws/errors';

/** CloudWatch dimension values of one target group behind one load balancer. */
export interface AlbTarget {
  /** `app/<name>/<id>`, from the load balancer ARN. */
  loadBalancer: string;
  /** `targetgroup/<name>/<id>`, from the target group ARN. */
  targetGroup: string;
}

const MAX_SERVICES_PER_CALL = 10;
const MAX_TARGET_GROUPS_PER_CALL = 20;
const CACHE_MS = 5 * 60_000;

/** The part of an ELBv2 ARN CloudWatch uses as a dimension value (after `loadbalancer/`, or the resource). */
export function loadBalancerDimension(arn: string): string {
  return arn.slice(arn.indexOf(':loadbalancer/') + ':loadbalancer/'.length);
}

export function targetGroupDimension(arn: string): string {
  return arn.slice(arn.lastIndexOf(':') + 1);
}

/**
 * The ALB metrics of a service behind `target`, each converted to vigia's units: latency_p95 in ms
 * (TargetResponseTime is in seconds), requests per second (RequestCount is a per-minute Sum) and
 * errors_5xx per minute; error_rate is derived from the last two by the source.
 */
export function albMetrics(target: AlbTarget): CustomMetric[] {
  const dimensions = { LoadBalancer: target.loadBalancer, TargetGroup: target.targetGroup };
  const metric = (
    id: string,
    name: string,
    statistic: CustomMetric['statistic'],
    unit: CustomMetric['unit'],
  ): CustomMetric => ({ id, namespace: 'AWS/ApplicationELB', name, dimensions, statistic, unit });
  return [
    metric('latency_p95', 'TargetResponseTime', 'p95', 'seconds'),
    metric('requests', 'RequestCount', 'Sum', 'per-minute'),
    metric('errors_5xx', 'HTTPCode_Target_5XX_Count', 'Sum', 'none'),
  ];
}

export class AlbDiscovery {
  private cached: { at: number; key: string; targets: Map<string, AlbTarget> } | null = null;

  constructor(
    private readonly ecs: ECSClient,
    private readonly elbv2: ElasticLoadBalancingV2Client,
    private readonly endpoint?: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** serviceId → its target group (the first, when ECS shows several); services without one are absent. */
  async targets(services: readonly Service[]): Promise<Map<string, AlbTarget>> {
    const key = services.map((s) => `${s.id}=${s.targetGroupArn ?? ''}`).join(',');
    if (this.cached && this.cached.key === key && this.now() - this.cached.at < CACHE_MS) {
      return this.cached.targets;
    }
    const groupOf = await this.targetGroupArns(services);
    const lbOf = await this.loadBalancerArns([...new Set(groupOf.values())]);
    const targets = new Map<string, AlbTarget>();
    for (const [serviceId, tg] of groupOf) {
      const lb = lbOf.get(tg);
      // A target group no load balancer forwards to has no metrics yet.
      if (lb) {
        targets.set(serviceId, {
          loadBalancer: loadBalancerDimension(lb),
          targetGroup: targetGroupDimension(tg),
        });
      }
    }
    this.cached = { at: this.now(), key, targets };
    return targets;
  }

  private async targetGroupArns(services: readonly Service[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const byCluster = new Map<string, Service[]>();
    for (const s of services) {
      if (s.targetGroupArn) out.set(s.id, s.targetGroupArn);
      else byCluster.set(s.ecs.cluster, [...(byCluster.get(s.ecs.cluster) ?? []), s]);
    }
    for (const [cluster, members] of byCluster) {
      for (let i = 0; i < members.length; i += MAX_SERVICES_PER_CALL) {
        const chunk = members.slice(i, i + MAX_SERVICES_PER_CALL);
        const described = await this.ecs
          .send(new DescribeServicesCommand({ cluster, services: chunk.map((s) => s.ecs.service) }))
          .catch((err) => {
            throw awsError(err, `ECS cluster '${cluster}'`, this.endpoint);
          });
        for (const svc of described.services ?? []) {
          const owner = chunk.find(
            (s) =>
              s.ecs.service === svc.serviceName || svc.serviceArn?.endsWith(`/${s.ecs.service}`),
          );
          const tg = svc.loadBalancers?.find((lb) => lb.targetGroupArn)?.targetGroupArn;
          if (owner && tg) out.set(owner.id, tg);
        }
      }
    }
    return out;
  }

  private async loadBalancerArns(targetGroupArns: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (let i = 0; i < targetGroupArns.length; i += MAX_TARGET_GROUPS_PER_CALL) {
      const chunk = targetGroupArns.slice(i, i + MAX_TARGET_GROUPS_PER_CALL);
      for (const tg of await this.describeTargetGroups(chunk)) {
        const lb = tg.LoadBalancerArns?.[0];
        if (tg.TargetGroupArn && lb) out.set(tg.TargetGroupArn, lb);
      }
    }
    return out;
  }

  /**
   * One unknown ARN (a deleted target group still named in the configuration) fails the whole call:
   * then each is asked alone, so the others keep their metrics.
   */
  private async describeTargetGroups(arns: string[]): Promise<TargetGroup[]> {
    const describe = (TargetGroupArns: string[]) =>
      this.elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns }));
    try {
      return (await describe(arns)).TargetGroups ?? [];
    } catch (err) {
      if ((err as Error).name !== 'TargetGroupNotFoundException') {
        throw awsError(err, 'ELBv2 DescribeTargetGroups', this.endpoint);
      }
      if (arns.length === 1) return [];
      const each = await Promise.all(arns.map((arn) => this.describeTargetGroups([arn])));
      return each.flat();
    }
  }
}
