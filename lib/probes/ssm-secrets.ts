// Probe header values from SSM parameters (SecureString decrypted), cached a few minutes per
// container so a rotated credential is picked up without a read per probe.
import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { awsError } from '../aws/errors';

const CACHE_MS = 5 * 60_000;

export class SsmSecrets {
  private readonly cached = new Map<string, { value: string | null; until: number }>();

  constructor(
    private readonly ssm: SSMClient,
    private readonly endpoint?: string,
  ) {}

  async value(name: string, now: Date): Promise<string | null> {
    const hit = this.cached.get(name);
    if (hit && hit.until > now.getTime()) return hit.value;
    const value = await this.ssm
      .send(new GetParameterCommand({ Name: name, WithDecryption: true }))
      .then((out) => out.Parameter?.Value ?? null)
      .catch((err: { name?: string }) => {
        if (err.name === 'ParameterNotFound') return null;
        throw awsError(err, `SSM parameter '${name}'`, this.endpoint);
      });
    this.cached.set(name, { value, until: now.getTime() + CACHE_MS });
    return value;
  }
}
