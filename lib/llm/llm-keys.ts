// The providers' API keys: SSM SecureString parameters (never the environment), read once per
// container and cached for a few minutes so a rotated key is picked up.
import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import type { LlmProvider } from '../../src/decision/llm-fallback';
import type { LlmKeys } from '../../src/use-cases/llm-diagnosis';
import { awsError } from '../aws/errors';
import type { Clock } from '../../src/ports';

const CACHE_MS = 5 * 60_000;

export class SsmLlmKeys implements LlmKeys {
  private readonly cached = new Map<string, { key: string | undefined; until: number }>();

  constructor(
    private readonly ssm: SSMClient,
    private readonly clock: Clock,
    private readonly endpoint: string | undefined,
  ) {}

  async apiKey(provider: LlmProvider): Promise<string | null | undefined> {
    const name = provider.apiKeyParameter;
    if (!name) return null;
    const now = this.clock.now().getTime();
    const hit = this.cached.get(name);
    if (hit && hit.until > now) return hit.key;
    const key = await this.ssm
      .send(new GetParameterCommand({ Name: name, WithDecryption: true }))
      .then((out) => out.Parameter?.Value?.trim() || undefined)
      .catch((err: { name?: string }) => {
        if (err.name === 'ParameterNotFound') return undefined;
        throw awsError(err, `SSM parameter '${name}'`, this.endpoint);
      });
    this.cached.set(name, { key, until: now + CACHE_MS });
    return key;
  }
}
