// The failure-queue alarm reaches the on-call email, as serverless.yml deploys it: a CloudWatch alarm
// publishes without message attributes, so whatever email subscription sits on the alarm's topic
// must not filter on `severity` (the alerts topic's email subscription does: critical only). The
// alarm's topics and their email subscriptions come from `serverless print`; moto applies the
// subscription's filter policy to a queue subscribed with it.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import {
  CreateTopicCommand,
  PublishCommand,
  SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { localClientConfig } from '../../scripts/lib/local-stack';
import { repoRoot } from '../../scripts/lib/stack-definitions';
import { freshLocalStack } from '../support/local-aws';

interface Resource {
  Type: string;
  Condition?: string;
  Properties: Record<string, unknown>;
}

function printedResources(): Record<string, Resource> {
  const out = execFileSync(
    path.join(repoRoot, 'node_modules/.bin/serverless'),
    ['print', '--format', 'json', '--stage', 'dev', '--param', 'alertEmail=oncall@example.com'],
    {
      cwd: repoRoot,
      env: { ...process.env, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off' },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const printed = JSON.parse(out.slice(out.indexOf('{'))) as {
    resources: { Resources: Record<string, Resource> }[] | { Resources: Record<string, Resource> };
  };
  const parts = Array.isArray(printed.resources) ? printed.resources : [printed.resources];
  return Object.assign({}, ...parts.map((p) => p.Resources)) as Record<string, Resource>;
}

/** What CloudWatch publishes when an alarm changes state: a JSON body, no message attributes. */
const alarmMessage = JSON.stringify({
  AlarmName: 'vigia-dev-stream-failures',
  NewStateValue: 'ALARM',
  NewStateReason: 'Threshold Crossed: 1 datapoint [1.0] was greater than the threshold (0.0).',
  Trigger: { MetricName: 'ApproximateNumberOfMessagesVisible', Namespace: 'AWS/SQS' },
});

describe('the stream failure alarm', () => {
  let resources: Record<string, Resource>;
  beforeAll(() => {
    resources = printedResources();
  });

  it('reaches an email subscription that lets a message without attributes through', async () => {
    const alarm = resources.StreamFailureQueueAlarm!;
    const topics = (alarm.Properties.AlarmActions as { Ref: string }[]).map((a) => a.Ref);
    const emailOnAlarmTopics = Object.values(resources).filter(
      (r) =>
        r.Type === 'AWS::SNS::Subscription' &&
        r.Properties.Protocol === 'email' &&
        topics.includes((r.Properties.TopicArn as { Ref?: string }).Ref ?? ''),
    );
    expect(emailOnAlarmTopics.length).toBeGreaterThan(0);

    const stack = await freshLocalStack();
    const cfg = localClientConfig(stack.endpoint);
    const sns = new SNSClient(cfg);
    const sqs = new SQSClient(cfg);
    const received: number[] = [];
    for (const [i, sub] of emailOnAlarmTopics.entries()) {
      const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: `alarm-topic-${i}` }));
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `email-${i}` }));
      const { Attributes } = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
      );
      const policy = sub.Properties.FilterPolicy;
      await sns.send(
        new SubscribeCommand({
          TopicArn,
          Protocol: 'sqs',
          Endpoint: Attributes?.QueueArn,
          Attributes: policy
            ? {
                FilterPolicyScope: String(sub.Properties.FilterPolicyScope ?? 'MessageAttributes'),
                FilterPolicy: JSON.stringify(policy),
              }
            : {},
        }),
      );
      await sns.send(new PublishCommand({ TopicArn, Message: alarmMessage }));
      const out = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
      );
      received.push(out.Messages?.length ?? 0);
    }
    // Every email subscription on the alarm's topics gets it (the on-call person reads one of them).
    expect(received.every((n) => n === 1)).toBe(true);
  });

  it('does not go to the alerts topic, whose Slack subscriber only reads vigia notifications', () => {
    const actions = [
      ...(resources.StreamFailureQueueAlarm!.Properties.AlarmActions as unknown[]),
      ...(resources.StreamFailureQueueAlarm!.Properties.OKActions as unknown[]),
    ];
    expect(actions).not.toContainEqual({ Ref: 'AlertsTopic' });
  });
});
