// Delivers one alert to the HTTP receivers its service routes its severity to (Slack, Teams,
// PagerDuty, Opsgenie, generic webhook), each payload checked against its published schema before
// it leaves. Email and SMS need nothing here: their SNS subscriptions filter on the `route`
// attribute (lib/sns/routing-subscriptions.ts). Secrets come from SSM and are never logged.
import {
  isSnsNative,
  opsgenieCloseSchema,
  opsgenieCreateSchema,
  pagerDutyEventSchema,
  receiversFor,
  renderOpsgenie,
  renderPagerDuty,
  renderSlack,
  renderTeams,
  renderWebhook,
  teamsMessageSchema,
  validateBlockKit,
  type HttpReceiver,
  type Notification,
} from '../../src/alerting';
import type { Receiver } from '../../src/model';
import type { ServiceRegistry } from '../../src/ports';
import { deliverOnce, type DeliveryOnce } from '../slack/deliver-once';
import { defaultRetryPolicy, postJson, type PostDeps, type RetryPolicy } from '../slack/post-json';

export interface Secrets {
  /** The SecureString's value; null when the parameter does not exist. */
  value(parameter: string): Promise<string | null>;
}

export interface RoutedDeliveryDeps {
  services: Pick<ServiceRegistry, 'get'>;
  secrets: Secrets;
  policy?: RetryPolicy;
  fetch?: typeof fetch;
  /** Each receiver gets a notification once across SNS redeliveries (the slack function sets it). */
  once?: DeliveryOnce;
}

export interface RoutedResult {
  receiver: HttpReceiver['type'];
  status: 'sent' | 'duplicate' | 'no-secret' | 'failed';
  detail?: string;
}

export async function deliverRouted(
  deps: RoutedDeliveryDeps,
  n: Notification,
): Promise<RoutedResult[]> {
  const service = await deps.services.get(n.serviceId);
  if (!service) return [];
  return deliverTo(deps, receiversFor(service, n.severity).filter(isHttp), n);
}

/** Each receiver in turn; one down must not keep the others from hearing (the caller judges). */
export async function deliverTo(
  deps: Omit<RoutedDeliveryDeps, 'services'>,
  receivers: readonly HttpReceiver[],
  n: Notification,
): Promise<RoutedResult[]> {
  const results: RoutedResult[] = [];
  for (const [index, receiver] of receivers.entries()) {
    try {
      const key = `${n.id}#${receiver.type}#${index}`;
      const result = await deliverOnce(deps.once, key, () => deliverOne(deps, receiver, n));
      results.push(
        result === 'duplicate' ? { receiver: receiver.type, status: 'duplicate' } : result,
      );
    } catch (err) {
      results.push({ receiver: receiver.type, status: 'failed', detail: (err as Error).message });
    }
  }
  return results;
}

function isHttp(r: Receiver): r is HttpReceiver {
  return !isSnsNative(r);
}

async function deliverOne(
  deps: Omit<RoutedDeliveryDeps, 'services'>,
  r: HttpReceiver,
  n: Notification,
): Promise<RoutedResult> {
  const parameter =
    r.type === 'pagerduty'
      ? r.routingKeyParameter
      : r.type === 'opsgenie'
        ? r.apiKeyParameter
        : r.urlParameter;
  const secret = await deps.secrets.value(parameter);
  if (secret === null) return { receiver: r.type, status: 'no-secret', detail: parameter };
  const policy = deps.policy ?? defaultRetryPolicy;
  const post = (url: string, body: unknown, label: string, headers: Record<string, string> = {}) =>
    postJson(url, body, label, policy, postDeps(deps.fetch ?? fetch, headers));
  switch (r.type) {
    case 'slack': {
      const payload = renderSlack(n);
      const problems = validateBlockKit(payload);
      if (problems.length > 0) throw new Error(`invalid Block Kit: ${problems.join('; ')}`);
      await post(secret, payload, 'slack receiver');
      break;
    }
    case 'teams':
      await post(secret, teamsMessageSchema.parse(renderTeams(n)), 'teams receiver');
      break;
    case 'pagerduty':
      await post(
        `${r.apiUrl.replace(/\/+$/, '')}/v2/enqueue`,
        pagerDutyEventSchema.parse(renderPagerDuty(n, secret)),
        'pagerduty receiver',
      );
      break;
    case 'opsgenie': {
      const req = renderOpsgenie(n);
      const body =
        n.kind === 'resolved'
          ? opsgenieCloseSchema.parse(req.body)
          : opsgenieCreateSchema.parse(req.body);
      await post(`${r.apiUrl.replace(/\/+$/, '')}${req.path}`, body, 'opsgenie receiver', {
        authorization: `GenieKey ${secret}`,
      });
      break;
    }
    case 'webhook':
      await post(secret, renderWebhook(n), 'webhook receiver');
      break;
  }
  return { receiver: r.type, status: 'sent' };
}

function postDeps(f: typeof fetch, headers: Record<string, string>): PostDeps {
  return {
    fetch: (url, init) =>
      f(url, { ...init, headers: { ...(init?.headers as Record<string, string>), ...headers } }),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    random: Math.random,
  };
}
