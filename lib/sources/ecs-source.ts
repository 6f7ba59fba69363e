// ECS service state (desired / running / pending, deployments) with DescribeServices, 10 at a time.
import { DescribeServicesCommand, type ECSClient } from '@aws-sdk/client-ecs';
import type { EcsState, Service } from '../../src/model';
import type { EcsStateSource } from '../../src/ports';
import { awsError } from '../aws/errors';

const MAX_SERVICES_PER_CALL = 10;

export class EcsSource implements EcsStateSource {
  constructor(
    private readonly ecs: ECSClient,
    private readonly endpoint?: string,
  ) {}

  async describe(services: readonly Service[]): Promise<Map<string, EcsState | null>> {
    const result = new Map<string, EcsState | null>();
    const byCluster = new Map<string, Service[]>();
    for (const s of services) {
      result.set(s.id, null);
      byCluster.set(s.ecs.cluster, [...(byCluster.get(s.ecs.cluster) ?? []), s]);
    }
    for (const [cluster, members] of byCluster) {
      for (let i = 0; i < members.length; i += MAX_SERVICES_PER_CALL) {
        const chunk = members.slice(i, i + MAX_SERVICES_PER_CALL);
        const out = await this.ecs
          .send(new DescribeServicesCommand({ cluster, services: chunk.map((s) => s.ecs.service) }))
          .catch((err) => {
            throw awsError(err, `ECS cluster '${cluster}'`, this.endpoint);
          });
        for (const svc of out.services ?? []) {
          const owner = chunk.find(
            (s) =>
              s.ecs.service === svc.serviceName || svc.serviceArn?.endsWith(`/${s.ecs.service}`),
          );
          if (!owner) continue;
          const primary = svc.deployments?.find((d) => d.status === 'PRIMARY');
          const lastDeployment = (svc.deployments ?? [])
            .map((d) => d.createdAt?.getTime() ?? 0)
            .reduce((a, b) => Math.max(a, b), 0);
          result.set(owner.id, {
            desiredCount: svc.desiredCount ?? 0,
            runningCount: svc.runningCount ?? 0,
            pendingCount: svc.pendingCount ?? 0,
            taskDefinition: svc.taskDefinition ?? '',
            deployments: svc.deployments?.length ?? 0,
            rolloutState: primary?.rolloutState ?? null,
            lastDeploymentAt: lastDeployment > 0 ? new Date(lastDeployment).toISOString() : null,
          });
        }
      }
    }
    return result;
  }
}
