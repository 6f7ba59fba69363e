// The slack function's adapters: where the webhook URLs come from (environment or SSM).
import { ssmClient } from '../aws/ssm-client';
import { ConfiguredWebhookUrl } from '../slack/webhook-url';
import type { DeliveryTargets } from '../slack/deliver';
import { perConfig } from './per-config';

export const deliveryTargets = perConfig(
  (c) =>
    ({
      urls: new ConfiguredWebhookUrl(c, ssmClient(c)),
    }) satisfies DeliveryTargets,
);
