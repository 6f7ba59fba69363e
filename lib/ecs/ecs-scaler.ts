// Carries out scaling on ECS: UpdateService desiredCount (idempotent by nature: setting N twice is N).
import { DescribeServicesCommand, UpdateServiceCommand, type ECSClient } from '@aws-sdk/client-ecs';
import type { Service } from '../../src/model';
import type { Scaler } from '../../src/ports';
import { awsError } from '../aws/errors';

export class EcsScaler implements Scaler {
  constructor(
    private readonly ecs: ECSClient,
    private readonly endpoint?: string,
  ) {}

  async setDesiredCount(service: Service, desiredCount: number) {
    const what = `ECS service '${service.ecs.service}' in cluster '${service.ecs.cluster}'`;
    try {
      const before = await this.ecs.send(
        new DescribeServicesCommand({
          cluster: service.ecs.cluster,
          services: [service.ecs.service],
        }),
      );
      const current = before.services?.[0];
      if (!current)
        throw Object.assign(new Error('service not found'), { name: 'NotFoundException' });
      await this.ecs.send(
        new UpdateServiceCommand({
          cluster: service.ecs.cluster,
          service: service.ecs.service,
          desiredCount,
        }),
      );
      return { previous: current.desiredCount ?? null };
    } catch (err) {
      throw awsError(err, what, this.endpoint);
    }
  }
}
