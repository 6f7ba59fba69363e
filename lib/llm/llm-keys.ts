// The providers' API keys: SSM SecureString parameters (never the environment), through the shared
// cached reader so a rotated key is picked up.
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { LlmProvider } from '../../src/decision/llm-fallback';
import type { LlmKeys } from '../../src/use-cases/llm-diagnosis';
import { SsmSecrets } from '../aws/ssm-secrets';
import type { Clock } from '../../src/ports';

export class SsmLlmKeys implements LlmKeys {
  private readonly secrets: SsmSecrets;

  constructor(ssm: SSMClient, clock: Clock, endpoint: string | undefined) {
    this.secrets = new SsmSecrets(ssm, endpoint, () => clock.now().getTime());
  }

  /** null: the provider needs no key; undefined: its parameter is missing or empty. */
  async apiKey(provider: LlmProvider): Promise<string | null | undefined> {
    const name = provider.apiKeyParameter;
    if (!name) return null;
    return (await this.secrets.value(name)) ?? undefined;
  }
}
