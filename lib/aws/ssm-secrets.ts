// Secrets kept as SSM SecureString parameters (receivers' webhook URLs and keys, probe headers, LLM
// provider keys): read decrypted, cached a few minutes per container so a rotated secret is picked
// up without a read per use. A missing parameter is null; any other failure names the parameter.
import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { awsError } from './errors';

const CACHE_MS = 5 * 60_000;

export class SsmSecrets {
  private readonly cached = new Map<string, { value: string | null; until: number }>();

  constructor(
    private readonly ssm: SSMClient,
    private readonly endpoint: string | undefined,
    private readonly now: () => number = Date.now,
  ) {}

  /** `at`: the caller's own clock, when it has one (the probe run's minute). */
  async value(parameter: string, at?: Date): Promise<string | null> {
    const now = at?.getTime() ?? this.now();
    const hit = this.cached.get(parameter);
    if (hit && hit.until > now) return hit.value;
    const value = await this.ssm
      .send(new GetParameterCommand({ Name: parameter, WithDecryption: true }))
      .then((out) => out.Parameter?.Value?.trim() || null)
      .catch((err: { name?: string }) => {
        if (err.name === 'ParameterNotFound') return null;
        throw awsError(err, `SSM parameter '${parameter}'`, this.endpoint);
      });
    this.cached.set(parameter, { value, until: now + CACHE_MS });
    return value;
  }
}
