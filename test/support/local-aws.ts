// Per-test-file local stack: a clean emulator with the table, topic, queues and demo fleet, plus
// adapters built exactly as the functions build them.
import { inject } from 'vitest';
import { EMULATOR_REQUEST_TIMEOUT_MS } from '../../lib/aws/client-options';
import { createClients } from '../../lib/aws/clients';
import { parseEnv, type AppConfig } from '../../lib/config';
import { apiAdapters } from '../../lib/wiring/api';
import { serviceRegistry, table } from '../../lib/wiring/table';
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

/** The configuration the functions would parse for this stack (plus any extra environment). */
export function localConfig(
  endpoint: string,
  tableName: string,
  env: Record<string, string> = {},
): AppConfig {
  return parseEnv({
    VIGIA_TABLE: tableName,
    VIGIA_AWS_ENDPOINT: endpoint,
    VIGIA_AWS_REQUEST_TIMEOUT_MS: String(EMULATOR_REQUEST_TIMEOUT_MS),
    ...env,
  });
}

/** Adapters from the functions' own builders (lib/wiring) over a local configuration. */
export function localAdapters(endpoint: string, tableName: string) {
  const config = localConfig(endpoint, tableName);
  return {
    config,
    aws: createClients(config),
    services: declaredServicesForScripts(),
    table: table(config),
    store: apiAdapters(config).store,
    registry: serviceRegistry(config),
  };
}

/**
 * Points the functions' environment at this stack, as serverless.yml does on AWS, before a test
 * imports a handler from functions/ (each parses its configuration once, on first use).
 */
export function useStackEnvironment(stack: {
  tableName: string;
  endpoint: string;
  topicArn: string;
}) {
  Object.assign(process.env, {
    VIGIA_TABLE: stack.tableName,
    VIGIA_AWS_ENDPOINT: stack.endpoint,
    VIGIA_TOPIC_ARN: stack.topicArn,
    AWS_REGION: 'us-east-1',
    VIGIA_AWS_REQUEST_TIMEOUT_MS: String(EMULATOR_REQUEST_TIMEOUT_MS),
    POWERTOOLS_LOG_LEVEL: 'CRITICAL',
  });
}
