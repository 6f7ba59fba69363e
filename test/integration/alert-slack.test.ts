// The slack function on the local stack: a notification published to the real topic reaches a local
// HTTP server as valid Block Kit (and the generic webhook as JSON), with retries on failures.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { SNSEvent } from 'aws-lambda';
import { createClients } from '../../lib/aws/clients';
import { SnsNotifier } from '../../lib/sns/sns-notifier';
import { ConfiguredWebhookUrl } from '../../lib/slack/webhook-url';
import { postJson } from '../../lib/slack/post-json';
import { validateBlockKit, webhookPayloadVersion } from '../../src/alerting';
import { outboundMessage } from '../../src/use-cases/publish-notification';
import { FleetWatch } from '../../scripts/lib/fleet-watch';
import { aNotification } from '../support/builders';
import { freePort } from '../support/free-port';
import { freshLocalStack } from '../support/local-aws';
import { slackContext } from '../support/lambda-context';

interface Received {
  path: string;
  body: unknown;
}

/** A webhook receiver on 127.0.0.1 that answers from a script of status codes, then 200. */
async function webhookServer() {
  const received: Received[] = [];
  const script: number[] = [];
  const port = await freePort();
  const server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c: Buffer) => (data += c.toString()));
    req.on('end', () => {
      received.push({ path: req.url ?? '', body: JSON.parse(data) });
      const status = script.shift() ?? 200;
      res.writeHead(status, status === 429 ? { 'retry-after': '0' } : {});
      res.end(status === 200 ? 'ok' : 'try again');
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    script,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const notification = aNotification({
  metrics: [
    { metric: 'cpu', severity: 'critical', explanation: 'cpu 97.0 is far above its usual 40.0' },
  ],
  actions: ['scaled out from 2 to 4 tasks'],
});

describe('slack function', () => {
  let server: Awaited<ReturnType<typeof webhookServer>>;
  let stack: Awaited<ReturnType<typeof freshLocalStack>>;
  let event: SNSEvent;

  beforeAll(async () => {
    stack = await freshLocalStack();
    server = await webhookServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('posts what the topic delivered as valid Block Kit, and the generic webhook JSON', async () => {
    // Prepare: the notification goes through the real topic into the inbox queue.
    const aws = createClients({ endpoint: stack.endpoint, region: 'us-east-1' });
    await new SnsNotifier(aws.sns, stack.topicArn, stack.endpoint).publish(
      outboundMessage(notification),
    );
    const watch = new FleetWatch(stack.endpoint, stack.tableName, stack.inboxQueueUrl);
    const [delivered] = await watch.receive(2);
    expect(delivered).toBeDefined();
    event = {
      Records: [
        {
          EventSource: 'aws:sns',
          EventVersion: '1.0',
          EventSubscriptionArn: `${stack.topicArn}:sub`,
          Sns: {
            Type: 'Notification',
            MessageId: 'm-1',
            TopicArn: stack.topicArn,
            Subject: delivered!.subject,
            Message: delivered!.message,
            Timestamp: new Date().toISOString(),
            SignatureVersion: '1',
            Signature: '',
            SigningCertUrl: '',
            UnsubscribeUrl: '',
            MessageAttributes: {},
          },
        },
      ],
    };
    process.env.VIGIA_TABLE = stack.tableName;
    process.env.VIGIA_AWS_ENDPOINT = stack.endpoint;
    process.env.SLACK_WEBHOOK_URL = `${server.url}/services/T000/B000/secret-token`;
    process.env.VIGIA_WEBHOOK_URL = `${server.url}/generic`;
    server.script.push(500); // Slack hiccups once: the function retries.
    const { handler } = await import('../../functions/slack');

    // Act
    await handler(event, slackContext);

    // Assess
    const slack = server.received.filter((r) => r.path.startsWith('/services/'));
    expect(slack).toHaveLength(2);
    expect(validateBlockKit(slack[1]!.body)).toEqual([]);
    expect(JSON.stringify(slack[1]!.body)).toContain('cpu unusually high');
    const generic = server.received.filter((r) => r.path === '/generic');
    expect(generic).toHaveLength(1);
    expect(generic[0]!.body).toMatchObject({
      version: webhookPayloadVersion,
      notification: { id: notification.id, severity: 'critical' },
    });
  });

  it('posts a message SNS delivers again, or retries after a failed receiver, once per receiver', async () => {
    const { handler } = await import('../../functions/slack');
    const before = server.received.length;

    // SNS is at least once: the same message again posts nothing.
    await handler(event, slackContext);
    expect(server.received).toHaveLength(before);

    // A receiver failing makes SNS retry the whole invocation: Slack, which had it, hears it once.
    const again = structuredClone(event);
    again.Records[0]!.Sns.Message = event.Records[0]!.Sns.Message.split(notification.id).join(
      `${notification.id}-b`,
    );
    expect(again.Records[0]!.Sns.Message).toContain(`${notification.id}-b`);
    server.script.push(200, 500, 500, 500, 500); // Slack takes it; the generic webhook is down.
    await expect(handler(again, slackContext)).rejects.toThrow(/generic webhook/);
    await handler(again, slackContext); // SNS's retry: the generic webhook is back.

    const paths = server.received.slice(before).map((r) => r.path);
    expect(paths.filter((p) => p.startsWith('/services/'))).toHaveLength(1);
    expect(paths.filter((p) => p === '/generic')).toHaveLength(5);
  });

  it('reads the webhook URL from an SSM SecureString parameter', async () => {
    const cfg = {
      endpoint: stack.endpoint,
      region: 'us-east-1',
      outbound: {
        slackWebhookUrl: undefined,
        slackWebhookParameter: '/vigia/dev/slack-webhook-url',
        webhookUrl: undefined,
      },
    };
    const ssm = new SSMClient({ endpoint: stack.endpoint, region: 'us-east-1' });
    const urls = new ConfiguredWebhookUrl(cfg, ssm);
    expect(await urls.slackUrl(new Date())).toBeNull();
    await ssm.send(
      new PutParameterCommand({
        Name: '/vigia/dev/slack-webhook-url',
        Value: `${server.url}/services/T1/B1/from-ssm`,
        Type: 'SecureString',
      }),
    );
    const fresh = new ConfiguredWebhookUrl(cfg, ssm);
    expect(await fresh.slackUrl(new Date())).toBe(`${server.url}/services/T1/B1/from-ssm`);
  });

  it('gives up after its attempts without putting the URL in the error', async () => {
    server.script.push(503, 429, 503);
    const url = `${server.url}/services/T2/B2/very-secret`;
    const error = await postJson(url, { text: 'x' }, 'slack webhook', {
      maxAttempts: 3,
      baseDelayMs: 5,
      maxDelayMs: 20,
      timeoutMs: 2000,
    }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/slack webhook answered 503.*after 3 attempts/);
    expect((error as Error).message).not.toContain('very-secret');
    const unreachable = await postJson(
      'http://127.0.0.1:1/services/T3/B3/other-secret',
      { text: 'x' },
      'slack webhook',
      { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 10, timeoutMs: 1000 },
    ).catch((e: Error) => e);
    expect((unreachable as Error).message).toMatch(/unreachable/);
    expect((unreachable as Error).message).not.toContain('other-secret');
  });
});
