// `npm run replay-failures [-- --stage prod]`: re-drives every record in the stream failure queue
// (see scripts/lib/failure-replay.ts) and prints what it did. On AWS it uses your credentials and
// Lambda Invoke; locally set VIGIA_AWS_ENDPOINT (moto) and it invokes through serverless offline's
// Lambda port (VIGIA_LAMBDA_PORT, default 3002). Exits 1 when anything was kept for a later run.
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { replayFailures, type FilterPattern } from './lib/failure-replay';
import { localClientConfig } from './lib/local-stack';
import { loadStackDefinitions, repoRoot } from './lib/stack-definitions';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const stage = arg('stage') ?? process.env.VIGIA_STAGE ?? 'dev';
const endpoint = process.env.VIGIA_AWS_ENDPOINT || undefined;
const region = process.env.AWS_REGION ?? 'us-east-1';
const lambdaEndpoint =
  process.env.VIGIA_LAMBDA_ENDPOINT ||
  (endpoint ? `http://127.0.0.1:${process.env.VIGIA_LAMBDA_PORT ?? 3002}` : undefined);

/** Each function's stream filter patterns, by deployed name, from `serverless print`. */
function streamFilters(): Map<string, FilterPattern[]> {
  const out = execFileSync(
    path.join(repoRoot, 'node_modules/.bin/serverless'),
    ['print', '--format', 'json', '--stage', stage],
    { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, SLS_TELEMETRY_DISABLED: '1' } },
  );
  const printed = JSON.parse(out.slice(out.indexOf('{'))) as {
    service: string;
    functions: Record<string, { events?: { stream?: { filterPatterns?: FilterPattern[] } }[] }>;
  };
  const filters = new Map<string, FilterPattern[]>();
  for (const [key, fn] of Object.entries(printed.functions)) {
    const patterns = (fn.events ?? []).flatMap((e) => e.stream?.filterPatterns ?? []);
    if (patterns.length > 0) filters.set(`${printed.service}-${stage}-${key}`, patterns);
  }
  return filters;
}

async function main() {
  const cfg = endpoint ? localClientConfig(endpoint) : { region };
  const sqs = new SQSClient(cfg);
  const queueUrl =
    arg('queue-url') ??
    process.env.VIGIA_FAILURE_QUEUE_URL ??
    (
      await sqs.send(
        new GetQueueUrlCommand({ QueueName: loadStackDefinitions(stage).failureQueueName }),
      )
    ).QueueUrl!;
  const lambda = new LambdaClient(
    lambdaEndpoint ? { ...localClientConfig(lambdaEndpoint) } : { region },
  );
  const filters = streamFilters();
  console.log(`replaying ${queueUrl}${lambdaEndpoint ? ` through ${lambdaEndpoint}` : ''}`);
  const summary = await replayFailures({
    sqs,
    queueUrl,
    streams: new DynamoDBStreamsClient(cfg),
    filterFor: (fn) => filters.get(fn),
    log: (line) => console.log(line),
    async invoke(functionName, event) {
      const out = await lambda.send(
        new InvokeCommand({ FunctionName: functionName, Payload: JSON.stringify(event) }),
      );
      const text = out.Payload ? Buffer.from(out.Payload).toString('utf8') : '';
      if (out.FunctionError) throw new Error(`${functionName}: ${text.slice(0, 500)}`);
      return text ? (JSON.parse(text) as unknown) : null;
    },
  });
  console.log(`${summary.replayed} replayed, ${summary.kept} kept for a later run`);
  process.exitCode = summary.kept > 0 ? 1 : 0;
}

main().catch((err: Error) => {
  console.error(`replay-failures failed: ${err.message}`);
  process.exit(1);
});
