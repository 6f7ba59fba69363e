// Carries out actions on ECS (SPEC X4): UpdateService desiredCount (setting N twice is N), a forced
// new deployment (restart), and a rollback to the previous task definition.
import {
  DescribeServicesCommand,
  ListTaskDefinitionsCommand,
  UpdateServiceCommand,
  type ECSClient,
  type Service as EcsService,
} from '@aws-sdk/client-ecs';
import type { Service, ServiceSnapshot } from '../../src/model';
import type { ServiceActuator } from '../../src/ports';
import { awsError } from '../aws/errors';
import { previousTaskDefinition } from './task-definitions';

export class EcsScaler implements ServiceActuator {
  constructor(
    private readonly ecs: ECSClient,
    private readonly endpoint?: string,
  ) {}

  private what(service: Service) {
    return `ECS service '${service.ecs.service}' in cluster '${service.ecs.cluster}'`;
  }

  private async guarded<T>(service: Service, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      if (err instanceof RollbackUnavailableError) throw err;
      throw awsError(err, this.what(service), this.endpoint);
    }
  }

  private async describe(service: Service): Promise<EcsService> {
    const out = await this.ecs.send(
      new DescribeServicesCommand({
        cluster: service.ecs.cluster,
        services: [service.ecs.service],
      }),
    );
    const current = out.services?.find((s) => s.status !== 'INACTIVE');
    if (!current)
      throw Object.assign(new Error('service not found'), { name: 'NotFoundException' });
    return current;
  }

  private update(
    service: Service,
    change: { desiredCount?: number; taskDefinition?: string; forceNewDeployment?: boolean },
  ) {
    return this.ecs.send(
      new UpdateServiceCommand({
        cluster: service.ecs.cluster,
        service: service.ecs.service,
        ...change,
      }),
    );
  }

  async setDesiredCount(service: Service, desiredCount: number) {
    return this.guarded(service, async () => {
      const current = await this.describe(service);
      await this.update(service, { desiredCount });
      return { previous: current.desiredCount ?? null };
    });
  }

  async snapshot(service: Service): Promise<ServiceSnapshot> {
    return this.guarded(service, async () => {
      const s = await this.describe(service);
      return {
        desiredCount: s.desiredCount ?? null,
        runningCount: s.runningCount ?? null,
        taskDefinition: s.taskDefinition ?? null,
        lastDeploymentAt: newestDeploymentAt(s.deployments ?? []),
      };
    });
  }

  async restart(service: Service): Promise<void> {
    await this.guarded(service, () => this.update(service, { forceNewDeployment: true }));
  }

  async rollback(service: Service, target: string | null) {
    return this.guarded(service, async () => {
      const current = await this.describe(service);
      const from = current.taskDefinition;
      if (!from) throw new RollbackUnavailableError(`${this.what(service)} has no task definition`);
      const to = target ?? (await this.previousOf(current, from));
      if (!to) {
        throw new RollbackUnavailableError(
          `${this.what(service)}: no earlier revision of ${from} to roll back to`,
        );
      }
      await this.update(service, { taskDefinition: to });
      return { from, to };
    });
  }

  /** A deployment still rolling off wins; else the newest older revision of the same family. */
  private async previousOf(current: EcsService, from: string): Promise<string | null> {
    const older = (current.deployments ?? [])
      .filter((d) => d.status !== 'PRIMARY' && d.taskDefinition && d.taskDefinition !== from)
      .sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0));
    if (older[0]?.taskDefinition) return older[0].taskDefinition;
    const family = from.slice(from.lastIndexOf('/') + 1).split(':')[0]!;
    const arns: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.ecs.send(
        new ListTaskDefinitionsCommand({ familyPrefix: family, status: 'ACTIVE', nextToken }),
      );
      arns.push(...(page.taskDefinitionArns ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    return previousTaskDefinition(from, arns);
  }
}

export class RollbackUnavailableError extends Error {
  override name = 'RollbackUnavailableError';
}

function newestDeploymentAt(deployments: readonly { createdAt?: Date }[]): string | null {
  const newest = Math.max(0, ...deployments.map((d) => d.createdAt?.getTime() ?? 0));
  return newest > 0 ? new Date(newest).toISOString() : null;
}
