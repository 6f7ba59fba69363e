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
import { isOutcomeUnknown, OutcomeUnknownError } from '../../src/errors';
import { isCircuitOpen } from '../../src/resilience/circuit-breaker';
import { awsError } from '../aws/errors';
import { previousTaskDefinition } from './task-definitions';

export class EcsScaler implements ServiceActuator {
  /** `actions` sends UpdateService; production gives it a client that never retries by itself. */
  constructor(
    private readonly ecs: ECSClient,
    private readonly endpoint?: string,
    private readonly actions: ECSClient = ecs,
  ) {}

  private what(service: Service) {
    return `ECS service '${service.ecs.service}' in cluster '${service.ecs.cluster}'`;
  }

  private async guarded<T>(service: Service, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      if (err instanceof RollbackUnavailableError || isOutcomeUnknown(err)) throw err;
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

  /**
   * UpdateService, sent so that it acts at most once: a throttled call (refused, not applied) is
   * sent again after a pause; a call that got no answer is an unknown outcome, never resent here.
   */
  private async update(
    service: Service,
    change: { desiredCount?: number; taskDefinition?: string; forceNewDeployment?: boolean },
  ) {
    const command = new UpdateServiceCommand({
      cluster: service.ecs.cluster,
      service: service.ecs.service,
      ...change,
    });
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.actions.send(command);
      } catch (err) {
        if (isThrottled(err) && attempt < THROTTLED_ATTEMPTS) {
          await new Promise((r) => setTimeout(r, 100 * 2 ** attempt * (0.5 + Math.random())));
          continue;
        }
        if (mayHaveApplied(err)) {
          throw new OutcomeUnknownError(
            `${this.what(service)}: UpdateService got no answer (${errorName(err)}); it may have been applied`,
            err,
          );
        }
        throw err;
      }
    }
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

const THROTTLED_ATTEMPTS = 4;

function errorName(err: unknown): string {
  const e = err as { name?: string; code?: string } | null;
  return e?.code ?? e?.name ?? 'Error';
}

function httpStatusOf(err: unknown): number | undefined {
  return (err as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
}

function isThrottled(err: unknown): boolean {
  const name = errorName(err);
  return (
    httpStatusOf(err) === 429 ||
    name === 'ThrottlingException' ||
    name === 'TooManyRequestsException' ||
    name === 'RequestLimitExceeded'
  );
}

/** ECS answered with a refusal (4xx) only when it did not act; no status or a 5xx may hide a change. */
function mayHaveApplied(err: unknown): boolean {
  if (isCircuitOpen(err)) return false;
  const status = httpStatusOf(err);
  return status === undefined || status >= 500;
}
