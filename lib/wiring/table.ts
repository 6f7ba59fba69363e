// The table-backed adapters most functions share: the store of observations, models and decisions,
// and the service registry (config file plus services registered through the API).
import { dynamoClient } from '../aws/dynamo-client';
import { declaredServices } from '../config';
import { DynamoStore } from '../store/dynamo-store';
import { ConfiguredServiceRegistry } from '../store/service-registry';
import { perConfig } from './per-config';

export const tableStore = perConfig(
  (c) => new DynamoStore(dynamoClient(c), c.tableName, c.endpoint),
);

export const serviceRegistry = perConfig(
  (c) =>
    new ConfiguredServiceRegistry(declaredServices(), dynamoClient(c), c.tableName, c.endpoint),
);
