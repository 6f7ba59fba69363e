// The Slack incoming-webhook URL: from the environment (local), or an SSM SecureString parameter
// (AWS), read once per container and cached for a few minutes so a rotated URL is picked up.
import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { awsError } from '../aws/errors';
import type { AppConfig } from '../config';

const CACHE_MS = 5 * 60_000;

export interface WebhookUrlSource {
  /** null when Slack is not configured. */
  slackUrl(now: Date): Promise<string | null>;
}

export class ConfiguredWebhookUrl implements WebhookUrlSource {
  private cached: { url: string | null; until: number } | null = null;

  constructor(
    private readonly c: Pick<AppConfig, 'outbound' | 'endpoint' | 'region'>,
    private readonly ssm: SSMClient,
  ) {}

  async slackUrl(now: Date): Promise<string | null> {
    if (this.c.outbound.slackWebhookUrl) return this.c.outbound.slackWebhookUrl;
    const name = this.c.outbound.slackWebhookParameter;
    if (!name) return null;
    if (this.cached !== null && this.cached.until > now.getTime()) return this.cached.url;
    const url = await this.ssm
      .send(new GetParameterCommand({ Name: name, WithDecryption: true }))
      .then((out) => out.Parameter?.Value ?? null)
      .catch((err: { name?: string }) => {
        if (err.name === 'ParameterNotFound') return null;
        throw awsError(err, `SSM parameter '${name}'`, this.c.endpoint);
      });
    this.cached = {
      url: url && url.trim() !== '' ? url.trim() : null,
      until: now.getTime() + CACHE_MS,
    };
    return this.cached.url;
  }
}
