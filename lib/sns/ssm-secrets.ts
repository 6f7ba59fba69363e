// The routed receivers' secrets (webhook URLs, PagerDuty routing keys, Opsgenie API keys): SSM
// SecureString parameters, cached a few minutes per container so a rotated secret is picked up.
import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { awsError } from '../aws/errors';
import type { Secrets } from './route-delivery';

const CACHE_MS = 5 * 60_000;

export class SsmSecrets implements Secrets {
  private readonly cached = new Map<string, { value: string | null; until: number }>();

  constructor(
    private readonly ssm: SSMClient,
    private readonly endpoint: string | undefined,
    private readonly now: () => number = Date.now,
  ) {}

  async value(parameter: string): Promise<string | null> {
    const hit = this.cached.get(parameter);
    if (hit && hit.until > this.now()) return hit.value;
    const value = await this.ssm
      .send(new GetParameterCommand({ Name: parameter, WithDecryption: true }))
      .then((out) => out.Parameter?.Value?.trim() || null)
      .catch((err: { name?: string }) => {
        if (err.name === 'ParameterNotFound') return null;
        throw awsError(err, `SSM parameter '${parameter}'`, this.endpoint);
      });
    this.cached.set(parameter, { value, until: this.now() + CACHE_MS });
    return value;
  }
}
