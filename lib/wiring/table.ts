// The table and the table-backed adapters most functions share: one class per store port, and the
// service registry (config file plus services registered through the API).
import { dynamoClient } from '../aws/dynamo-client';
import { declaredServices } from '../config';
import { DynamoDecisionStore } from '../store/decision-store';
import { DynamoHeartbeatStore } from '../store/heartbeat-store';
import { DynamoModelStore } from '../store/model-store';
import { DynamoNotificationLog } from '../store/notification-log';
import { DynamoObservationStore } from '../store/observation-store';
import { ConfiguredServiceRegistry } from '../store/service-registry';
import { Table } from '../store/table';
import { perConfig } from './per-config';

export const table = perConfig((c) => new Table(dynamoClient(c), c.tableName, c.endpoint));

export const serviceRegistry = perConfig(
  (c) => new ConfiguredServiceRegistry(declaredServices(), table(c)),
);

export const modelStore = perConfig((c) => new DynamoModelStore(table(c)));
export const observationStore = perConfig((c) => new DynamoObservationStore(table(c)));
export const heartbeatStore = perConfig((c) => new DynamoHeartbeatStore(table(c)));
export const decisionStore = perConfig((c) => new DynamoDecisionStore(table(c)));
export const notificationLog = perConfig((c) => new DynamoNotificationLog(table(c)));
