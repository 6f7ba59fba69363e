// Every client at once, for scripts and tests that reach several services; functions import the
// one-client files instead, so each bundle holds only what it calls.
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { EMULATOR_REQUEST_TIMEOUT_MS, type AwsSettings } from './client-options';
import { cloudwatchClient } from './cloudwatch-client';
import { dynamoClient } from './dynamo-client';
import { ecsClient } from './ecs-client';
import { snsClient } from './sns-client';

export interface AwsClients {
  dynamo: DynamoDBDocumentClient;
  ecs: ECSClient;
  cloudwatch: CloudWatchClient;
  sns: SNSClient;
}

/** Scripts and tests talk to the local emulator: unless told otherwise, they wait as long as it needs. */
export function createClients(settings: AwsSettings): AwsClients {
  const c = { requestTimeoutMs: EMULATOR_REQUEST_TIMEOUT_MS, ...settings };
  return {
    dynamo: dynamoClient(c),
    ecs: ecsClient(c),
    cloudwatch: cloudwatchClient(c),
    sns: snsClient(c),
  };
}
