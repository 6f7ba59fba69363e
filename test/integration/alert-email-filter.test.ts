// The email subscription's filter policy, as serverless.yml deploys it: a queue subscribed with the
// same policy gets critical alerts only, while an unfiltered subscriber (Slack) gets everything.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SubscribeCommand, SNSClient } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { createClients } from '../../lib/aws/clients';
import { SnsNotifier } from '../../lib/sns/sns-notifier';
import type { Notification } from '../../src/alerting';
import { outboundMessage } from '../../src/use-cases/publish-notification';
import { localClientConfig } from '../../scripts/lib/local-stack';
import { repoRoot as repoRootForTests } from '../../scripts/lib/stack-definitions';
import { aNotification } from '../support/builders';
import { freshLocalStack } from '../support/local-aws';

interface Subscription {
  Type: string;
  Condition?: string;
  Properties: {
    Protocol: string;
    TopicArn: unknown;
    FilterPolicyScope?: string;
    FilterPolicy?: Record<string, unknown>;
  };
}

/** The subscription exactly as `serverless print` resolves it for a stage with an email set. */
function deployedEmailSubscription(): Subscription {
  const bin = path.join(repoRootForTests, 'node_modules/.bin/serverless');
  const out = execFileSync(
    bin,
    ['print', '--format', 'json', '--stage', 'dev', '--param', 'alertEmail=oncall@example.com'],
    {
      cwd: repoRootForTests,
      env: { ...process.env, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off' },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const printed = JSON.parse(out.slice(out.indexOf('{'))) as {
    resources: { Resources: Record<string, unknown> }[] | { Resources: Record<string, unknown> };
  };
  const parts = Array.isArray(printed.resources) ? printed.resources : [printed.resources];
  const resources = Object.assign({}, ...parts.map((p) => p.Resources)) as Record<
    string,
    Subscription
  >;
  const sub = resources.AlertEmailSubscription;
  if (!sub) throw new Error('serverless.yml defines no AlertEmailSubscription');
  return sub;
}

function note(severity: Notification['severity'], id: string): Notification {
  return aNotification({ id, severity, metrics: [] });
}

describe('email subscription filter policy', () => {
  let subscription: Subscription;
  beforeAll(() => {
    subscription = deployedEmailSubscription();
  });

  it('is an email subscription to the alerts topic, filtered on the severity attribute', () => {
    expect(subscription.Properties.Protocol).toBe('email');
    expect(subscription.Properties.TopicArn).toEqual({ Ref: 'AlertsTopic' });
    expect(subscription.Properties.FilterPolicyScope).toBe('MessageAttributes');
    expect(subscription.Properties.FilterPolicy).toEqual({ severity: ['critical'] });
  });

  it('lets critical alerts through and keeps warnings and info out', async () => {
    const stack = await freshLocalStack();
    const cfg = localClientConfig(stack.endpoint);
    const sqs = new SQSClient(cfg);
    const sns = new SNSClient(cfg);
    const queue = async (name: string, filtered: boolean) => {
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
      const { Attributes } = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
      );
      await sns.send(
        new SubscribeCommand({
          TopicArn: stack.topicArn,
          Protocol: 'sqs',
          Endpoint: Attributes?.QueueArn,
          Attributes: filtered
            ? {
                FilterPolicyScope: subscription.Properties.FilterPolicyScope ?? 'MessageAttributes',
                FilterPolicy: JSON.stringify(subscription.Properties.FilterPolicy),
              }
            : {},
        }),
      );
      return QueueUrl!;
    };
    const criticalOnly = await queue('email-like', true);
    const everything = await queue('slack-like', false);
    const aws = createClients({ endpoint: stack.endpoint, region: 'us-east-1' });
    const notifier = new SnsNotifier(aws.sns, stack.topicArn, stack.endpoint);

    for (const [severity, id] of [
      ['warning', 'w-1'],
      ['critical', 'c-1'],
      ['info', 'i-1'],
      ['warning', 'w-2'],
    ] as const) {
      await notifier.publish(outboundMessage(note(severity, id)));
    }

    const drain = async (url: string) => {
      const severities: string[] = [];
      for (let k = 0; k < 3; k++) {
        const out = await sqs.send(
          new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
        );
        for (const m of out.Messages ?? []) {
          const env = JSON.parse(m.Body ?? '{}') as {
            MessageAttributes?: Record<string, { Value: string }>;
          };
          severities.push(env.MessageAttributes?.severity?.Value ?? '?');
        }
      }
      return severities.sort();
    };
    expect(await drain(criticalOnly)).toEqual(['critical']);
    expect(await drain(everything)).toEqual(['critical', 'info', 'warning', 'warning']);
  });
});
