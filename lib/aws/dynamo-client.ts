// The DynamoDB document client (undefined attributes dropped on write).
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { clientOptions, oncePerEndpoint } from './client-options';

export const dynamoClient = /* @__PURE__ */ oncePerEndpoint((c) =>
  DynamoDBDocumentClient.from(new DynamoDBClient(clientOptions(c)), {
    marshallOptions: { removeUndefinedValues: true },
  }),
);
