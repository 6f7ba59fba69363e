// The slack function's adapters: where the webhook URLs come from (environment or SSM), and the
// services' routed receivers with their secrets from SSM.
import { ssmClient } from '../aws/ssm-client';
import { systemClock } from '../clock';
import type { RoutedDeliveryDeps } from '../sns/route-delivery';
import { SsmSecrets } from '../aws/ssm-secrets';
import { ConfiguredWebhookUrl } from '../slack/webhook-url';
import type { DeliveryTargets } from '../slack/deliver';
import { perConfig } from './per-config';
import { notificationLog, serviceRegistry } from './table';

export const deliveryTargets = perConfig(
  (c) =>
    ({
      urls: new ConfiguredWebhookUrl(c, ssmClient(c)),
      once: { log: notificationLog(c), now: () => systemClock.now() },
    }) satisfies DeliveryTargets,
);

export const routedDelivery = perConfig(
  (c) =>
    ({
      services: serviceRegistry(c),
      secrets: new SsmSecrets(ssmClient(c), c.endpoint),
      once: { log: notificationLog(c), now: () => systemClock.now() },
    }) satisfies RoutedDeliveryDeps,
);
