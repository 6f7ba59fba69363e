// The Lambda context the slack function's tests invoke it with (name as deployed on stage dev).
import type { Context } from 'aws-lambda';

export const slackContext = {
  functionName: 'vigia-dev-slack',
  awsRequestId: 'test-request',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:vigia-dev-slack',
  memoryLimitInMB: '256',
  functionVersion: '$LATEST',
  getRemainingTimeInMillis: () => 30_000,
} as unknown as Context;
