// Reads the resources serverless.yml deploys (table, topic, queues) from `serverless print`, so the
// local stack is created from the same definitions as the real one — no copy kept by hand.
import { execFileSync } from 'node:child_process';
import path from 'node:path';

export interface CfnResource {
  Type: string;
  Properties: Record<string, unknown>;
}

export interface StackDefinitions {
  tableName: string;
  table: Record<string, unknown>;
  topicName: string;
  failureQueueName: string;
  functionNames: Record<string, string>;
}

export const repoRoot = path.resolve(import.meta.dirname, '../..');

export function loadStackDefinitions(stage = 'dev'): StackDefinitions {
  const bin = path.join(repoRoot, 'node_modules/.bin/serverless');
  const out = execFileSync(bin, ['print', '--format', 'json', '--stage', stage], {
    cwd: repoRoot,
    env: { ...process.env, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const printed = JSON.parse(out.slice(out.indexOf('{'))) as {
    service: string;
    resources:
      { Resources: Record<string, CfnResource> }[] | { Resources: Record<string, CfnResource> };
    functions: Record<string, { name?: string }>;
  };
  const parts = Array.isArray(printed.resources) ? printed.resources : [printed.resources];
  const resources: Record<string, CfnResource> = Object.assign(
    {},
    ...parts.map((p) => p.Resources ?? {}),
  );
  const find = (id: string) => {
    const r = resources[id];
    if (!r) throw new Error(`serverless.yml defines no resource '${id}'`);
    return r.Properties;
  };
  const table = find('VigiaTable');
  return {
    tableName: String(table.TableName),
    table,
    topicName: String(find('AlertsTopic').TopicName),
    failureQueueName: String(find('StreamFailureQueue').QueueName),
    functionNames: Object.fromEntries(
      Object.keys(printed.functions).map((k) => [k, `${printed.service}-${stage}-${k}`]),
    ),
  };
}
