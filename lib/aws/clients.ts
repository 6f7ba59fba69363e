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

// One lazy getter per client, so each function's bundle holds only the SDK clients it uses.
let dynamo: DynamoDBDocumentClient | undefined;
let ecs: ECSClient | undefined;
let cloudwatch: CloudWatchClient | undefined;
let sns: SNSClient | undefined;

export function dynamoClient(): DynamoDBDocumentClient {
  dynamo ??= DynamoDBDocumentClient.from(new DynamoDBClient(clientOptions(config())), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return dynamo;
}

export function ecsClient(): ECSClient {
  ecs ??= new ECSClient(clientOptions(config()));
  return ecs;
}

export function cloudwatchClient(): CloudWatchClient {
  cloudwatch ??= new CloudWatchClient(clientOptions(config()));
  return cloudwatch;
}

export function snsClient(): SNSClient {
  sns ??= new SNSClient(clientOptions(config()));
  return sns;
}
