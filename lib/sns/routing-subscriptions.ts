// Keeps the alerts topic's email and SMS subscriptions in line with the services' routing: one
// subscription per address with a filter policy on the `route` attribute, created, re-filtered or
// removed as the routing changes. Subscriptions vigia did not create (no `route` filter, such as the
// stack's own email subscription) are never touched.
import {
  GetSubscriptionAttributesCommand,
  ListSubscriptionsByTopicCommand,
  SetSubscriptionAttributesCommand,
  SubscribeCommand,
  UnsubscribeCommand,
  type SNSClient,
  type Subscription,
} from '@aws-sdk/client-sns';
import type { SnsSubscriptionPlan } from '../../src/alerting';
import { awsError } from '../aws/errors';

export interface SyncResult {
  created: number;
  updated: number;
  removed: number;
}

export async function syncRoutingSubscriptions(
  sns: SNSClient,
  topicArn: string,
  plan: readonly SnsSubscriptionPlan[],
  endpoint?: string,
): Promise<SyncResult> {
  const result: SyncResult = { created: 0, updated: 0, removed: 0 };
  try {
    const existing = await listSubscriptions(sns, topicArn);
    const wanted = new Map(plan.map((p) => [`${p.protocol}:${p.endpoint}`, p]));
    for (const sub of existing) {
      const key = `${sub.Protocol}:${sub.Endpoint}`;
      // A pending email confirmation has no ARN yet: nothing can be read or changed on it.
      if (!sub.SubscriptionArn?.startsWith('arn:')) {
        wanted.delete(key);
        continue;
      }
      const attrs = await sns.send(
        new GetSubscriptionAttributesCommand({ SubscriptionArn: sub.SubscriptionArn }),
      );
      const policy = attrs.Attributes?.FilterPolicy ?? '';
      const ours = policy.includes('"route"');
      const plan = wanted.get(key);
      if (!plan) {
        if (ours) {
          await sns.send(new UnsubscribeCommand({ SubscriptionArn: sub.SubscriptionArn }));
          result.removed++;
        }
        continue;
      }
      wanted.delete(key);
      if (!ours) continue;
      const next = JSON.stringify(plan.filterPolicy);
      if (!samePolicy(policy, next)) {
        await sns.send(
          new SetSubscriptionAttributesCommand({
            SubscriptionArn: sub.SubscriptionArn,
            AttributeName: 'FilterPolicy',
            AttributeValue: next,
          }),
        );
        result.updated++;
      }
    }
    for (const p of wanted.values()) {
      await sns.send(
        new SubscribeCommand({
          TopicArn: topicArn,
          Protocol: p.protocol,
          Endpoint: p.endpoint,
          Attributes: {
            FilterPolicyScope: 'MessageAttributes',
            FilterPolicy: JSON.stringify(p.filterPolicy),
          },
        }),
      );
      result.created++;
    }
  } catch (err) {
    throw awsError(err, `SNS topic '${topicArn}' subscriptions`, endpoint);
  }
  return result;
}

async function listSubscriptions(sns: SNSClient, topicArn: string): Promise<Subscription[]> {
  const all: Subscription[] = [];
  let token: string | undefined;
  do {
    const out = await sns.send(
      new ListSubscriptionsByTopicCommand({ TopicArn: topicArn, NextToken: token }),
    );
    all.push(...(out.Subscriptions ?? []));
    token = out.NextToken;
  } while (token);
  return all;
}

function samePolicy(a: string, b: string): boolean {
  try {
    return JSON.stringify(JSON.parse(a)) === JSON.stringify(JSON.parse(b));
  } catch {
    return false;
  }
}
