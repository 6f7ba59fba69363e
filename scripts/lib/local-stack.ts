// Creates the local stack in the emulator: the table, topic and failure queue (from serverless.yml's
// own definitions), an inbox queue subscribed to the topic, and the demo ECS fleet.
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Service } from '../../src/model';
import type { StackDefinitions } from './stack-definitions';

export const localCredentials = { accessKeyId: 'test', secretAccessKey: 'test' };
export const localRegion = 'us-east-1';

export function localClientConfig(endpoint: string) {
  return { endpoint, region: localRegion, credentials: localCredentials };
}

export interface LocalStack {
  tableName: string;
  topicArn: string;
  inboxQueueUrl: string;
  failureQueueUrl: string;
}

/** CloudFormation's table properties → CreateTable input (the shapes are nearly the same). */
export function createTableInput(props: Record<string, unknown>): CreateTableCommandInput {
  const stream = props.StreamSpecification as { StreamViewType: string } | undefined;
  return {
    TableName: String(props.TableName),
    BillingMode: props.BillingMode as CreateTableCommandInput['BillingMode'],
    AttributeDefinitions:
      props.AttributeDefinitions as CreateTableCommandInput['AttributeDefinitions'],
    KeySchema: props.KeySchema as CreateTableCommandInput['KeySchema'],
    GlobalSecondaryIndexes:
      props.GlobalSecondaryIndexes as CreateTableCommandInput['GlobalSecondaryIndexes'],
    StreamSpecification: stream
      ? { StreamEnabled: true, StreamViewType: stream.StreamViewType as 'NEW_AND_OLD_IMAGES' }
      : undefined,
  };
}

export async function createLocalStack(
  endpoint: string,
  defs: StackDefinitions,
): Promise<LocalStack> {
  const cfg = localClientConfig(endpoint);
  const dynamo = new DynamoDBClient(cfg);
  const exists = await dynamo
    .send(new DescribeTableCommand({ TableName: defs.tableName }))
    .then(() => true)
    .catch((err: Error) => {
      if (err.name === 'ResourceNotFoundException') return false;
      throw new Error(`cannot reach DynamoDB at ${endpoint}: ${err.message}`);
    });
  if (!exists) {
    await dynamo.send(new CreateTableCommand(createTableInput(defs.table)));
    const ttl = defs.table.TimeToLiveSpecification as
      { AttributeName: string; Enabled: boolean } | undefined;
    if (ttl) {
      await dynamo.send(
        new UpdateTimeToLiveCommand({
          TableName: defs.tableName,
          TimeToLiveSpecification: { AttributeName: ttl.AttributeName, Enabled: ttl.Enabled },
        }),
      );
    }
  }
  const sns = new SNSClient(cfg);
  const sqs = new SQSClient(cfg);
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: defs.topicName }));
  const failure = await sqs.send(new CreateQueueCommand({ QueueName: defs.failureQueueName }));
  const inbox = await sqs.send(new CreateQueueCommand({ QueueName: `${defs.topicName}-inbox` }));
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: inbox.QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  await sns.send(
    new SubscribeCommand({
      TopicArn,
      Protocol: 'sqs',
      Endpoint: Attributes?.QueueArn,
      ReturnSubscriptionArn: true,
    }),
  );
  return {
    tableName: defs.tableName,
    topicArn: TopicArn!,
    inboxQueueUrl: inbox.QueueUrl!,
    failureQueueUrl: failure.QueueUrl!,
  };
}

/** One ECS cluster per distinct cluster name, each service started at its minimum task count. */
export async function createDemoFleet(endpoint: string, services: readonly Service[]) {
  const ecs = new ECSClient(localClientConfig(endpoint));
  for (const cluster of new Set(services.map((s) => s.ecs.cluster))) {
    await ecs.send(new CreateClusterCommand({ clusterName: cluster }));
  }
  for (const s of services) {
    const existing = await ecs.send(
      new DescribeServicesCommand({ cluster: s.ecs.cluster, services: [s.ecs.service] }),
    );
    if (existing.services?.some((x) => x.status === 'ACTIVE')) continue;
    const td = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: `${s.id}-task`,
        containerDefinitions: [
          { name: s.id, image: `public.ecr.aws/demo/${s.id}:1`, memory: 512, cpu: 256 },
        ],
      }),
    );
    await ecs.send(
      new CreateServiceCommand({
        cluster: s.ecs.cluster,
        serviceName: s.ecs.service,
        taskDefinition: td.taskDefinition!.taskDefinitionArn,
        desiredCount: Math.max(s.minTasks, 2),
      }),
    );
    // moto reports a new service's tasks as 0 running (until MOTO_ECS_SERVICE_RUNNING says
    // otherwise) and every updated count as running: the demo's tasks start explicitly here, as
    // they would on AWS. 0 running while some are desired is an outage to vigia.
    await ecs.send(
      new UpdateServiceCommand({
        cluster: s.ecs.cluster,
        service: s.ecs.service,
        desiredCount: Math.max(s.minTasks, 2),
      }),
    );
  }
}
