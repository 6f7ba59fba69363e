// Routing per service and severity: email and SMS receivers become SNS subscriptions filtered on the
// `route` attribute (checked on the emulator's SNS with SQS subscribers standing in for the inboxes),
// and the HTTP receivers get payloads that match their published schemas, from local servers: one
// PagerDuty alert per incident (trigger and resolve share the dedup key), Teams, Opsgenie, webhook.
import http from 'node:http';
import {
  GetSubscriptionAttributesCommand,
  ListSubscriptionsByTopicCommand,
  SubscribeCommand,
  SNSClient,
} from '@aws-sdk/client-sns';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClients } from '../../lib/aws/clients';
import { ssmClient } from '../../lib/aws/ssm-client';
import { deliverRouted } from '../../lib/sns/route-delivery';
import { syncRoutingSubscriptions } from '../../lib/sns/routing-subscriptions';
import { SnsNotifier } from '../../lib/sns/sns-notifier';
import { SsmSecrets } from '../../lib/aws/ssm-secrets';
import {
  opsgenieCreateSchema,
  pagerDutyEventSchema,
  snsSubscriptionPlan,
  teamsMessageSchema,
  type Notification,
} from '../../src/alerting';
import type { Service, ServiceInput } from '../../src/model';
import { outboundMessage } from '../../src/use-cases/publish-notification';
import { localClientConfig } from '../../scripts/lib/local-stack';
import { aService } from '../support/builders';
import { freePort } from '../support/free-port';
import { freshLocalStack, localConfig } from '../support/local-aws';

const INCIDENT = 'inc~web~2026-03-02T10:00:00.000Z';

function note(
  serviceId: string,
  severity: Notification['severity'],
  id: string,
  kind: Notification['kind'] = 'incident',
): Notification {
  return {
    id,
    kind,
    phase: kind === 'resolved' ? 'resolved' : 'opened',
    severity,
    serviceId,
    incidentId: `inc~${serviceId}~2026-03-02T10:00:00.000Z`,
    at: '2026-03-02T10:00:30.000Z',
    openedAt: '2026-03-02T10:00:00.000Z',
    resolvedAt: kind === 'resolved' ? '2026-03-02T10:20:00.000Z' : null,
    headline: kind === 'resolved' ? 'back to normal after 20 min' : 'cpu unusually high',
    metrics: [{ metric: 'cpu', severity, explanation: 'cpu 97.0 is far above 40.0' }],
    otherMetrics: 0,
    actions: ['scaled out from 2 to 4 tasks'],
    outcomes: [],
    acknowledgedBy: null,
    statusUrl: 'https://status.example.com/#web',
  };
}

const routed = (id: string, notifications: ServiceInput['notifications']): Service =>
  aService({ id, name: id, notifications });

describe('routing to SNS-native receivers (email, SMS)', () => {
  it('subscribes each address once, filtered to its routes, and delivers only what is routed to it', async () => {
    const stack = await freshLocalStack();
    const cfg = localClientConfig(stack.endpoint);
    const sns = new SNSClient(cfg);
    const sqs = new SQSClient(cfg);
    const web = routed('web', {
      routes: [
        {
          severities: ['critical'],
          receivers: [
            { type: 'email', address: 'oncall@example.com' },
            { type: 'sms', phoneNumber: '+34600111222' },
          ],
        },
        { severities: ['warning'], receivers: [{ type: 'sms', phoneNumber: '+34600111222' }] },
      ],
    });
    const api = routed('api', {
      routes: [
        {
          severities: ['warning', 'critical'],
          receivers: [{ type: 'email', address: 'oncall@example.com' }],
        },
      ],
    });
    const plan = snsSubscriptionPlan([web, api]);
    expect(plan).toEqual([
      {
        protocol: 'email',
        endpoint: 'oncall@example.com',
        filterPolicy: { route: ['api:critical', 'api:warning', 'web:critical'] },
      },
      {
        protocol: 'sms',
        endpoint: '+34600111222',
        filterPolicy: { route: ['web:critical', 'web:warning'] },
      },
    ]);

    // The sync creates them on the topic once, and leaves them alone while nothing changes.
    expect(await syncRoutingSubscriptions(sns, stack.topicArn, plan)).toEqual({
      created: 2,
      updated: 0,
      removed: 0,
    });
    expect(await syncRoutingSubscriptions(sns, stack.topicArn, plan)).toEqual({
      created: 0,
      updated: 0,
      removed: 0,
    });
    const subs = (
      await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: stack.topicArn }))
    ).Subscriptions!.filter((s) => s.Protocol === 'sms' || s.Protocol === 'email');
    expect(subs.map((s) => `${s.Protocol}:${s.Endpoint}`).sort()).toEqual([
      'email:oncall@example.com',
      'sms:+34600111222',
    ]);
    const sms = subs.find((s) => s.Protocol === 'sms')!;
    expect(sms.SubscriptionArn).toMatch(/^arn:/); // SMS needs no confirmation
    const attrs = await sns.send(
      new GetSubscriptionAttributesCommand({ SubscriptionArn: sms.SubscriptionArn }),
    );
    expect(JSON.parse(attrs.Attributes!.FilterPolicy!)).toEqual({
      route: ['web:critical', 'web:warning'],
    });
    // web's warnings no longer page the phone: its filter narrows, nothing else moves.
    const narrowed = snsSubscriptionPlan([
      routed('web', { routes: [web.notifications!.routes[0]!] }),
      api,
    ]);
    expect(await syncRoutingSubscriptions(sns, stack.topicArn, narrowed)).toEqual({
      created: 0,
      updated: 1,
      removed: 0,
    });

    // SQS queues subscribed with the plan's filter policies stand in for the inbox and the phone.
    const inbox = async (name: string, filterPolicy: object) => {
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
      const { Attributes } = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
      );
      await sns.send(
        new SubscribeCommand({
          TopicArn: stack.topicArn,
          Protocol: 'sqs',
          Endpoint: Attributes?.QueueArn,
          Attributes: {
            FilterPolicyScope: 'MessageAttributes',
            FilterPolicy: JSON.stringify(filterPolicy),
          },
        }),
      );
      return QueueUrl!;
    };
    const email = await inbox('email-inbox', plan[0]!.filterPolicy);
    const phone = await inbox('sms-phone', plan[1]!.filterPolicy);
    const notifier = new SnsNotifier(
      createClients({ endpoint: stack.endpoint, region: 'us-east-1' }).sns,
      stack.topicArn,
      stack.endpoint,
    );
    for (const [serviceId, severity, id] of [
      ['web', 'critical', 'web-c'],
      ['web', 'warning', 'web-w'],
      ['api', 'warning', 'api-w'],
      ['api', 'info', 'api-i'],
      ['checkout', 'critical', 'checkout-c'],
    ] as const) {
      await notifier.publish(outboundMessage(note(serviceId, severity, id)));
    }
    const drain = async (url: string) => {
      const routes: string[] = [];
      for (let k = 0; k < 3; k++) {
        const out = await sqs.send(
          new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
        );
        for (const m of out.Messages ?? []) {
          const env = JSON.parse(m.Body ?? '{}') as {
            MessageAttributes?: Record<string, { Value: string }>;
          };
          routes.push(env.MessageAttributes?.route?.Value ?? '?');
        }
      }
      return routes.sort();
    };
    expect(await drain(email)).toEqual(['api:warning', 'web:critical']);
    expect(await drain(phone)).toEqual(['web:critical', 'web:warning']);
  });
});

describe('routing to HTTP receivers', () => {
  let server: http.Server;
  let base: string;
  const received: { path: string; authorization?: string; body: unknown }[] = [];

  beforeAll(async () => {
    const port = await freePort();
    server = http.createServer((req, res) => {
      let text = '';
      req.on('data', (c: Buffer) => (text += c.toString()));
      req.on('end', () => {
        received.push({
          path: req.url ?? '',
          ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
          body: JSON.parse(text) as unknown,
        });
        res.writeHead(202, { 'content-type': 'application/json' });
        res.end('{"status":"success"}');
      });
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    received.length = 0;
  });

  it('pages PagerDuty once per incident, posts Teams, Opsgenie and the webhook, each to its schema', async () => {
    const stack = await freshLocalStack();
    const config = localConfig(stack.endpoint, stack.tableName);
    const ssm = ssmClient(config);
    const put = (Name: string, Value: string) =>
      ssm.send(new PutParameterCommand({ Name, Value, Type: 'SecureString', Overwrite: true }));
    const routingKey = 'R0UT1NGKEY0123456789ABCDEFGHIJKL';
    await put('/vigia/test/notify/pagerduty', routingKey);
    await put('/vigia/test/notify/teams', `${base}/teams`);
    await put('/vigia/test/notify/opsgenie', 'og-api-key');
    await put('/vigia/test/notify/hook', `${base}/hook`);
    const web = routed('web', {
      routes: [
        {
          severities: ['critical'],
          receivers: [
            {
              type: 'pagerduty',
              routingKeyParameter: '/vigia/test/notify/pagerduty',
              apiUrl: `${base}/pd`,
            },
            {
              type: 'opsgenie',
              apiKeyParameter: '/vigia/test/notify/opsgenie',
              apiUrl: `${base}/og`,
            },
            { type: 'webhook', urlParameter: '/vigia/test/notify/hook' },
          ],
        },
        {
          severities: ['critical', 'warning'],
          receivers: [
            { type: 'teams', urlParameter: '/vigia/test/notify/teams' },
            { type: 'slack', urlParameter: '/vigia/test/notify/missing' },
          ],
        },
      ],
    });
    const deps = {
      services: { get: async (id: string) => (id === 'web' ? web : null) },
      secrets: new SsmSecrets(ssm, stack.endpoint),
    };

    const opened = await deliverRouted(deps, note('web', 'critical', `${INCIDENT}~1`));
    const repeated = await deliverRouted(deps, note('web', 'critical', `${INCIDENT}~2`));
    const resolved = await deliverRouted(
      deps,
      note('web', 'critical', `${INCIDENT}~3`, 'resolved'),
    );

    expect(opened).toEqual([
      { receiver: 'pagerduty', status: 'sent' },
      { receiver: 'opsgenie', status: 'sent' },
      { receiver: 'webhook', status: 'sent' },
      { receiver: 'teams', status: 'sent' },
      { receiver: 'slack', status: 'no-secret', detail: '/vigia/test/notify/missing' },
    ]);
    expect(repeated.filter((r) => r.status === 'sent')).toHaveLength(4);
    expect(resolved.filter((r) => r.status === 'sent')).toHaveLength(4);

    // PagerDuty: trigger, trigger, resolve, all on one dedup key: one PagerDuty incident.
    const pd = received.filter((r) => r.path === '/pd/v2/enqueue');
    expect(pd).toHaveLength(3);
    const events = pd.map((r) => pagerDutyEventSchema.parse(r.body));
    expect(events.map((e) => e.event_action)).toEqual(['trigger', 'trigger', 'resolve']);
    expect(new Set(events.map((e) => e.dedup_key))).toEqual(new Set([INCIDENT]));
    expect(events[0]).toMatchObject({
      routing_key: routingKey,
      payload: { severity: 'critical', source: 'vigia:web', component: 'web' },
    });

    const teams = received.filter((r) => r.path === '/teams');
    expect(teams).toHaveLength(3);
    for (const t of teams) expect(teamsMessageSchema.safeParse(t.body).success).toBe(true);

    const og = received.filter((r) => r.path.startsWith('/og/'));
    expect(og.map((r) => r.path)).toEqual([
      '/og/v2/alerts',
      '/og/v2/alerts',
      `/og/v2/alerts/${encodeURIComponent(INCIDENT)}/close?identifierType=alias`,
    ]);
    expect(og.every((r) => r.authorization === 'GenieKey og-api-key')).toBe(true);
    expect(opsgenieCreateSchema.parse(og[0]!.body)).toMatchObject({
      alias: INCIDENT,
      priority: 'P1',
    });

    expect(received.filter((r) => r.path === '/hook')[0]!.body).toMatchObject({
      version: 'vigia.notification/v1',
      notification: { id: `${INCIDENT}~1` },
    });

    // A warning reaches only the receivers routed warnings.
    received.length = 0;
    await deliverRouted(deps, note('web', 'warning', `${INCIDENT}~4`));
    expect(received.map((r) => r.path)).toEqual(['/teams']);
  });
});
