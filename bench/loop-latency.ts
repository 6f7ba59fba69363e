// Loop latency on the local stack: anomaly item written → ECS UpdateService done, and → SNS message in
// the subscribed queue. Registers N bench services, writes one anomaly each, and times both paths.
//   npm run bench:latency -- [--incidents 20] [--json]
import { CreateServiceCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { quantile } from 'simple-statistics';
import { createClients } from '../lib/aws/clients';
import { DynamoStore } from '../lib/store/dynamo-store';
import { anomalyId, serviceSchema, type Service } from '../src/model';
import { resetEmulator, startEmulator } from '../scripts/lib/emulator';
import { FleetWatch } from '../scripts/lib/fleet-watch';
import { createDemoFleet, createLocalStack, localCredentials } from '../scripts/lib/local-stack';
import { startOffline } from '../scripts/lib/offline';
import { declaredServicesForScripts } from '../scripts/lib/services';
import { loadStackDefinitions } from '../scripts/lib/stack-definitions';
import { freePort } from '../test/support/free-port';

const args = process.argv.slice(2);
const incidents = Number(args[args.indexOf('--incidents') + 1] || 20) || 20;
const asJson = args.includes('--json');
const log = (line: string) => (asJson ? undefined : console.log(line));

async function main() {
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
  });
  const endpoint = `http://127.0.0.1:${await freePort()}`;
  const emulator = await startEmulator(endpoint);
  await resetEmulator(endpoint);
  const defs = loadStackDefinitions('dev');
  const stack = await createLocalStack(endpoint, defs);
  await createDemoFleet(endpoint, declaredServicesForScripts());
  const aws = createClients({ endpoint, region: 'us-east-1' });
  const store = new DynamoStore(aws.dynamo, stack.tableName, endpoint);

  const services: Service[] = [];
  const td = await aws.ecs.send(
    new RegisterTaskDefinitionCommand({
      family: 'bench',
      containerDefinitions: [{ name: 'app', image: 'bench:1', memory: 256 }],
    }),
  );
  for (let i = 1; i <= incidents; i++) {
    const id = `bench-${String(i).padStart(2, '0')}`;
    const service = serviceSchema.parse({
      id,
      name: id,
      ecs: { cluster: 'vigia-demo', service: id },
      minTasks: 1,
      maxTasks: 10,
      targets: { cpu: 60 },
    });
    services.push(service);
    await aws.ecs.send(
      new CreateServiceCommand({
        cluster: 'vigia-demo',
        serviceName: id,
        taskDefinition: td.taskDefinition!.taskDefinitionArn,
        desiredCount: 2,
      }),
    );
    await aws.dynamo.send(
      new PutCommand({
        TableName: stack.tableName,
        Item: {
          pk: `SVC#${id}`,
          sk: 'SERVICE',
          gsi1pk: 'SERVICE',
          gsi1sk: id,
          kind: 'service',
          ...service,
        },
      }),
    );
  }

  const offline = await startOffline({
    endpoint,
    topicArn: stack.topicArn,
    httpPort: await freePort(),
    lambdaPort: await freePort(),
  });
  const watch = new FleetWatch(endpoint, stack.tableName, stack.inboxQueueUrl);
  try {
    const writtenAt = new Map<string, number>();
    const ecsAt = new Map<string, number>();
    const snsAt = new Map<string, number>();
    const at = new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString();
    for (const s of services) {
      const anomaly = {
        id: anomalyId(s.id, 'cpu', at),
        serviceId: s.id,
        metric: 'cpu',
        at,
        value: 92,
        score: 0.95,
        direction: 'up' as const,
        expected: 35,
        lower: 28,
        upper: 42,
        severity: 'critical' as const,
        explanation: 'cpu 92 is far above its usual 35',
        desiredCount: 2,
      };
      writtenAt.set(s.id, Date.now());
      await store.putAnomaly(anomaly, new Date());
      // Spaced out so each incident is timed on its own, not behind a burst.
      await new Promise((r) => setTimeout(r, 2000));
    }
    const deadline = Date.now() + 180_000;
    while (
      (ecsAt.size < services.length || snsAt.size < services.length) &&
      Date.now() < deadline
    ) {
      for (const m of await watch.receive(1)) {
        const id = m.attributes.service;
        if (id && writtenAt.has(id) && !snsAt.has(id)) snsAt.set(id, m.receivedAt);
      }
      for (const d of await watch.decisions()) {
        const finished = (d as { finishedAt?: string }).finishedAt;
        if (finished && writtenAt.has(d.serviceId) && !ecsAt.has(d.serviceId))
          ecsAt.set(d.serviceId, Date.parse(finished));
      }
    }
    const lat = (m: Map<string, number>) =>
      [...m].map(([id, t]) => t - writtenAt.get(id)!).sort((a, b) => a - b);
    const summary = (xs: number[]) =>
      xs.length
        ? { n: xs.length, p50: Math.round(quantile(xs, 0.5)), p95: Math.round(quantile(xs, 0.95)) }
        : { n: 0 };
    const result = {
      incidents,
      anomalyToEcsMs: summary(lat(ecsAt)),
      anomalyToSnsInboxMs: summary(lat(snsAt)),
    };
    if (asJson) console.log(JSON.stringify(result));
    else {
      log(`incidents: ${incidents}`);
      log(`anomaly written → ECS UpdateService done: ${JSON.stringify(result.anomalyToEcsMs)}`);
      log(
        `anomaly written → SNS message in the subscribed SQS queue: ${JSON.stringify(result.anomalyToSnsInboxMs)}`,
      );
    }
  } finally {
    await offline.stop();
    await emulator.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
