// Every minute: sends what the alert manager owes without a new stream item (group wait, update,
// repeat, resolved) and escalates unacknowledged critical incidents, service by service; one
// failing service does not hold back the others. It also
// keeps the routed email and SMS subscriptions in line with the services' routing, whenever that
// routing changed since this container last did. Before all that it republishes the alerts whose
// Publish got no answer and no echo a few minutes ago (src/use-cases/republish-unconfirmed.ts).
import { snsClient } from '../lib/aws/sns-client';
import { config, requireTopicArn } from '../lib/config';
import { logger } from '../lib/logger';
import { scheduledHandler } from '../lib/middleware/scheduled';
import { syncRoutingSubscriptions } from '../lib/sns/routing-subscriptions';
import { alertDeps, escalationDeps, republishDeps } from '../lib/wiring/alerting';
import { serviceRegistry } from '../lib/wiring/table';
import { snsSubscriptionPlan } from '../src/alerting';
import type { Service } from '../src/model';
import { mapBounded } from '../src/bounded-map';
import { flushServiceAlerts } from '../src/use-cases/alert-notifications';
import { escalateService } from '../src/use-cases/escalate-incidents';
import { republishUnconfirmed } from '../src/use-cases/republish-unconfirmed';

let syncedPlan: string | null = null;

/** Services flushed at once. */
const SERVICES_IN_FLIGHT = 8;

async function syncSubscriptions(services: readonly Service[]) {
  const plan = snsSubscriptionPlan(services);
  const fingerprint = JSON.stringify(plan);
  if (fingerprint === syncedPlan) return;
  const c = config();
  const result = await syncRoutingSubscriptions(snsClient(c), requireTopicArn(c), plan, c.endpoint);
  syncedPlan = fingerprint;
  logger.info('routed subscriptions synced', { ...result, subscriptions: plan.length });
}

/** The unconfirmed Publishes due again; a failure here must not hold back the flush below. */
async function republishDue(): Promise<boolean> {
  try {
    const r = await republishUnconfirmed(republishDeps(config()));
    for (const key of r.abandoned) {
      logger.error('notification abandoned: no answer and no echo after its last Publish', { key });
    }
    if (r.republished.length + r.unconfirmed.length + r.refused.length + r.abandoned.length > 0) {
      logger.info('unconfirmed notifications', { ...r });
    }
    return true;
  } catch (err) {
    logger.error('republishing unconfirmed notifications failed', { error: err as Error });
    return false;
  }
}

export const handler = scheduledHandler(async () => {
  const republished = await republishDue();
  const services = await serviceRegistry(config()).list();
  const deps = alertDeps(config());
  let published = 0;
  const failures: string[] = [];
  // Services are independent of each other: a few at a time, so a fleet's minute is not the sum
  // of every service's reads (each service's flush and escalation still run in order).
  await mapBounded(services, SERVICES_IN_FLIGHT, async (service) => {
    try {
      published += (await flushServiceAlerts(deps, service.id)).published.length;
      // Critical incidents nobody acknowledged page the service's next escalation level.
      const pages = await escalateService(escalationDeps(config()), service.id);
      if (pages.length > 0) logger.info('escalated', { serviceId: service.id, pages });
    } catch (err) {
      failures.push(service.id);
      logger.error('alert flush failed', { serviceId: service.id, error: err as Error });
    }
  });
  try {
    await syncSubscriptions(services);
  } catch (err) {
    // Alerts went out above; the next minute tries the subscriptions again.
    logger.error('routed subscriptions sync failed', { error: err as Error });
  }
  logger.info('alert timers', { services: services.length, published, failures });
  if (failures.length > 0) {
    throw new Error(`alert flush failed for ${failures.length} service(s): ${failures.join(', ')}`);
  }
  if (!republished) throw new Error('republishing unconfirmed notifications failed');
  return { services: services.length, published };
});
