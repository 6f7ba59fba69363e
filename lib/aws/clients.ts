// One SDK client per AWS service, created once per container; the endpoint comes from one setting.
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECSClient } from '@aws-sdk/client-ecs';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { config, type AppConfig } from '../config';

export interface AwsClients {
  dynamo: DynamoDBDocumentClient;
  ecs: ECSClient;
  cloudwatch: CloudWatchClient;
  sns: SNSClient;
}

export function clientOptions(c: Pick<AppConfig, 'endpoint' | 'region'>) {
  return {
    region: c.region,
    maxAttempts: 4,
    ...(c.endpoint ? { endpoint: c.endpoint } : {}),
  };
}

export function createClients(c: Pick<AppConfig, 'endpoint' | 'region'>): AwsClients {
  const options = clientOptions(c);
  return {
    dynamo: DynamoDBDocumentClient.from(new DynamoDBClient(options), {
      marshallOptions: { removeUndefinedValues: true },
    }),
    ecs: new ECSClient(options),
    cloudwatch: new CloudWatchClient(options),
    sns: new SNSClient(options),
  };
}

let shared: AwsClients | undefined;
export function clients(): AwsClients {
  shared ??= createClients(config());
  return shared;
}
