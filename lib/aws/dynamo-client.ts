// The DynamoDB document client (undefined attributes dropped on write), its faults counted.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { countFaults } from '../breaker/breakers';
import { clientOptions, oncePerEndpoint } from './client-options';

export const dynamoClient = /* @__PURE__ */ oncePerEndpoint((c) =>
  DynamoDBDocumentClient.from(countFaults(new DynamoDBClient(clientOptions(c)), 'dynamodb'), {
    marshallOptions: { removeUndefinedValues: true },
  }),
);
