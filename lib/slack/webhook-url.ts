// The outbound webhook URLs (Slack incoming webhook, generic JSON webhook): from the environment
// (local), or SSM SecureString parameters (AWS) so no URL sits in plaintext in the function's
// configuration; read once per container and cached for a few minutes so a rotated URL is picked up.
import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { awsError } from '../aws/errors';
import type { AppConfig } from '../config';

const CACHE_MS = 5 * 60_000;

export interface WebhookUrlSource {
  /** null when Slack is not configured. */
  slackUrl(now: Date): Promise<string | null>;
  /** null when the generic webhook is not configured. */
  genericUrl(now: Date): Promise<string | null>;
}

type Outbound = Pick<AppConfig['outbound'], 'slackWebhookUrl' | 'slackWebhookParameter'> &
  Partial<Pick<AppConfig['outbound'], 'webhookUrl' | 'webhookParameter'>>;

export class ConfiguredWebhookUrl implements WebhookUrlSource {
  private readonly cached = new Map<string, { url: string | null; until: number }>();

  constructor(
    private readonly c: Pick<AppConfig, 'endpoint' | 'region'> & { outbound: Outbound },
    private readonly ssm: SSMClient,
  ) {}

  async slackUrl(now: Date): Promise<string | null> {
    const { slackWebhookUrl, slackWebhookParameter } = this.c.outbound;
    return slackWebhookUrl ?? this.fromParameter(slackWebhookParameter, now);
  }

  async genericUrl(now: Date): Promise<string | null> {
    const { webhookUrl, webhookParameter } = this.c.outbound;
    return webhookUrl ?? this.fromParameter(webhookParameter, now);
  }

  private async fromParameter(name: string | undefined, now: Date): Promise<string | null> {
    if (!name) return null;
    const hit = this.cached.get(name);
    if (hit && hit.until > now.getTime()) return hit.url;
    const url = await this.ssm
      .send(new GetParameterCommand({ Name: name, WithDecryption: true }))
      .then((out) => out.Parameter?.Value ?? null)
      .catch((err: { name?: string }) => {
        if (err.name === 'ParameterNotFound') return null;
        throw awsError(err, `SSM parameter '${name}'`, this.c.endpoint);
      });
    const entry = {
      url: url && url.trim() !== '' ? url.trim() : null,
      until: now.getTime() + CACHE_MS,
    };
    this.cached.set(name, entry);
    return entry.url;
  }
}
