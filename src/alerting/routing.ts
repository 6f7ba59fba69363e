// Routing (issue 17): which of a service's receivers hear an alert of a given severity, and the SNS
// subscriptions the SNS-native receivers (email, SMS) need. Every alert carries a `route` message
// attribute, "<service>:<severity>", so one subscription per address filters on exactly the
// service/severity pairs routed to it, however many services share the address.
import type { Severity } from '../model/common';
import type { Receiver } from '../model/notification-routing';
import type { Service } from '../model/service';

export function routeLabel(serviceId: string, severity: string): string {
  return `${serviceId}:${severity}`;
}

/** The receivers routed this severity, each once, in the order the routes list them. */
export function receiversFor(
  service: Pick<Service, 'notifications'>,
  severity: Severity,
): Receiver[] {
  const seen = new Set<string>();
  const found: Receiver[] = [];
  for (const route of service.notifications?.routes ?? []) {
    if (!route.severities.includes(severity)) continue;
    for (const receiver of route.receivers) {
      const key = receiverKey(receiver);
      if (seen.has(key)) continue;
      seen.add(key);
      found.push(receiver);
    }
  }
  return found;
}

export type SnsReceiver = Extract<Receiver, { type: 'email' | 'sms' }>;
export type HttpReceiver = Exclude<Receiver, SnsReceiver>;

export function isSnsNative(r: Receiver): r is SnsReceiver {
  return r.type === 'email' || r.type === 'sms';
}

export interface SnsSubscriptionPlan {
  protocol: 'email' | 'sms';
  endpoint: string;
  /** SNS filter policy on the message attributes (MessageAttributes scope). */
  filterPolicy: { route: string[] };
}

/** One subscription per email address or phone number, filtered to the routes that name it. */
export function snsSubscriptionPlan(
  services: readonly Pick<Service, 'id' | 'notifications'>[],
): SnsSubscriptionPlan[] {
  const byEndpoint = new Map<string, SnsSubscriptionPlan>();
  for (const service of services) {
    for (const route of service.notifications?.routes ?? []) {
      for (const receiver of route.receivers) {
        if (!isSnsNative(receiver)) continue;
        const endpoint = receiver.type === 'email' ? receiver.address : receiver.phoneNumber;
        const key = `${receiver.type}:${endpoint}`;
        const plan = byEndpoint.get(key) ?? {
          protocol: receiver.type,
          endpoint,
          filterPolicy: { route: [] },
        };
        for (const s of route.severities) plan.filterPolicy.route.push(routeLabel(service.id, s));
        byEndpoint.set(key, plan);
      }
    }
  }
  return [...byEndpoint.values()]
    .map((p) => ({ ...p, filterPolicy: { route: [...new Set(p.filterPolicy.route)].sort() } }))
    .sort((a, b) => `${a.protocol}:${a.endpoint}`.localeCompare(`${b.protocol}:${b.endpoint}`));
}

function receiverKey(r: Receiver): string {
  return JSON.stringify(Object.entries(r).sort(([a], [b]) => a.localeCompare(b)));
}
