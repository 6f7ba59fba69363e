// Per-test-file local stack: a clean emulator with the table, topic, queues and demo fleet, plus
// adapters built exactly as the functions build them.
import { inject } from 'vitest';
import { createClients } from '../../lib/aws/clients';
import { ConfiguredServiceRegistry } from '../../lib/store/service-registry';
import { SingleTableStore } from '../../lib/store/single-table-store';
import { Table } from '../../lib/store/table';
import { resetEmulator } from '../../scripts/lib/emulator';
import {
  createDemoFleet,
  createLocalStack,
  localCredentials,
  type LocalStack,
} from '../../scripts/lib/local-stack';
import { declaredServicesForScripts } from '../../scripts/lib/services';
import { loadStackDefinitions, type StackDefinitions } from '../../scripts/lib/stack-definitions';

let defs: StackDefinitions | undefined;
export function stackDefinitions(): StackDefinitions {
  defs ??= loadStackDefinitions('dev');
  return defs;
}

export function awsEndpoint(): string {
  return inject('awsEndpoint');
}

export async function freshLocalStack(): Promise<LocalStack & { endpoint: string }> {
  const endpoint = awsEndpoint();
  process.env.AWS_ACCESS_KEY_ID = localCredentials.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = localCredentials.secretAccessKey;
  await resetEmulator(endpoint);
  const stack = await createLocalStack(endpoint, stackDefinitions());
  await createDemoFleet(endpoint, declaredServicesForScripts());
  return { ...stack, endpoint };
}

export function localAdapters(endpoint: string, tableName: string) {
  const aws = createClients({ endpoint, region: 'us-east-1' });
  const services = declaredServicesForScripts();
  const table = new Table(aws.dynamo, tableName, endpoint);
  return {
    aws,
    services,
    table,
    store: new SingleTableStore(table),
    registry: new ConfiguredServiceRegistry(services, table),
  };
}
