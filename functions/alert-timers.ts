// Every minute: sends what the alert manager owes without a new stream item (group wait, update,
// repeat, resolved), service by service; one failing service does not hold back the others.
import { config } from '../lib/config';
import { logger } from '../lib/logger';
import { scheduledHandler } from '../lib/middleware/scheduled';
import { alertDeps } from '../lib/wiring/alerting';
import { serviceRegistry } from '../lib/wiring/table';
import { flushServiceAlerts } from '../src/use-cases/alert-notifications';

export const handler = scheduledHandler(async () => {
  const services = await serviceRegistry(config()).list();
  const deps = alertDeps(config());
  let published = 0;
  const failures: string[] = [];
  for (const service of services) {
    try {
      published += (await flushServiceAlerts(deps, service.id)).published.length;
    } catch (err) {
      failures.push(service.id);
      logger.error('alert flush failed', { serviceId: service.id, error: err as Error });
    }
  }
  logger.info('alert timers', { services: services.length, published, failures });
  if (failures.length > 0) {
    throw new Error(`alert flush failed for ${failures.length} service(s): ${failures.join(', ')}`);
  }
  return { services: services.length, published };
});
