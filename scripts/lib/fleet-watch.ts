// Reads what the loop did, for the demo's narration and the end-to-end test: anomalies and decisions
// in the table, desired counts on ECS, and messages that reached the SQS inbox through SNS.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Anomaly, Decision, Service } from '../../src/model';
import { localClientConfig } from './local-stack';

export interface InboxMessage {
  subject: string;
  message: string;
  attributes: Record<string, string>;
  receivedAt: number;
}

export class FleetWatch {
  private readonly db: DynamoDBDocumentClient;
  private readonly ecs: ECSClient;
  private readonly sqs: SQSClient;

  constructor(
    endpoint: string,
    private readonly tableName: string,
    private readonly inboxQueueUrl: string,
  ) {
    const cfg = localClientConfig(endpoint);
    this.db = DynamoDBDocumentClient.from(new DynamoDBClient(cfg));
    this.ecs = new ECSClient(cfg);
    this.sqs = new SQSClient(cfg);
  }

  private async listKind(kind: 'ANOMALY' | 'DECISION') {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :k',
        ExpressionAttributeValues: { ':k': kind },
      }),
    );
    return out.Items ?? [];
  }

  async anomalies(): Promise<(Anomaly & { recordedAt: string })[]> {
    return (await this.listKind('ANOMALY')) as (Anomaly & { recordedAt: string })[];
  }

  async decisions(): Promise<
    (Decision & { recordedAt: string; claimedAt?: string; finishedAt?: string })[]
  > {
    return (await this.listKind('DECISION')) as (Decision & { recordedAt: string })[];
  }

  async desiredCounts(services: readonly Service[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (const s of services) {
      const out = await this.ecs.send(
        new DescribeServicesCommand({ cluster: s.ecs.cluster, services: [s.ecs.service] }),
      );
      counts.set(s.id, out.services?.[0]?.desiredCount ?? 0);
    }
    return counts;
  }

  /** Drains what arrived in the inbox since the last call (SNS envelopes, unwrapped). */
  async receive(waitSeconds = 0): Promise<InboxMessage[]> {
    const out = await this.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: this.inboxQueueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: waitSeconds,
        MessageSystemAttributeNames: ['SentTimestamp'],
      }),
    );
    const messages: InboxMessage[] = [];
    for (const m of out.Messages ?? []) {
      const envelope = JSON.parse(m.Body ?? '{}') as {
        Subject?: string;
        Message?: string;
        MessageAttributes?: Record<string, { Value: string }>;
      };
      messages.push({
        subject: envelope.Subject ?? '',
        message: envelope.Message ?? '',
        attributes: Object.fromEntries(
          Object.entries(envelope.MessageAttributes ?? {}).map(([k, v]) => [k, v.Value]),
        ),
        // When SQS got it (that is, when SNS delivered it), not when we happened to read it.
        receivedAt: Number(m.Attributes?.SentTimestamp ?? Date.now()),
      });
      await this.sqs.send(
        new DeleteMessageCommand({ QueueUrl: this.inboxQueueUrl, ReceiptHandle: m.ReceiptHandle }),
      );
    }
    return messages;
  }
}
