// Loop latency on the local stack: anomaly item written → ECS UpdateService done, and → SNS message in
// the subscribed queue; and a load reading pushed through POST /metrics → ECS UpdateService done
// (target scaling). Registers N bench services per path, and times each incident on its own.
//   npm run bench:latency -- [--incidents 20] [--json]
import { CreateServiceCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { quantile } from 'simple-statistics';
import { createClients } from '../lib/aws/clients';
import { ApiKeyStore } from '../lib/store/api-key-store';
import { SingleTableStore } from '../lib/store/single-table-store';
import { Table } from '../lib/store/table';
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
  const table = new Table(aws.dynamo, stack.tableName, endpoint);
  const store = new SingleTableStore(table);

  const services: Service[] = [];
  const td = await aws.ecs.send(
    new RegisterTaskDefinitionCommand({
      family: 'bench',
      containerDefinitions: [{ name: 'app', image: 'bench:1', memory: 256 }],
    }),
  );
  async function benchService(id: string): Promise<Service> {
    const service = serviceSchema.parse({
      id,
      name: id,
      ecs: { cluster: 'vigia-demo', service: id },
      minTasks: 1,
      maxTasks: 10,
      targets: { cpu: 60 },
    });
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
    return service;
  }
  const label = (i: number) => String(i).padStart(2, '0');
  for (let i = 1; i <= incidents; i++) services.push(await benchService(`bench-${label(i)}`));
  const pushed: Service[] = [];
  for (let i = 1; i <= incidents; i++) pushed.push(await benchService(`push-${label(i)}`));
  const apiKey = (
    await new ApiKeyStore(table).create({
      name: 'bench',
      scopes: ['operate'],
      now: new Date(),
      rateLimitPerMinute: 1000,
    })
  ).key;

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
    // Each service pushes what its tasks measured: 2 tasks at 92% CPU against a 60% target.
    const pushedAt = new Map<string, number>();
    for (const s of pushed) {
      pushedAt.set(s.id, Date.now());
      const res = await fetch(`${offline.httpUrl}/metrics`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
        body: JSON.stringify({ serviceId: s.id, metrics: { cpu: 92, tasks: 2 } }),
      });
      if (res.status !== 202)
        throw new Error(`POST /metrics answered ${res.status}: ${await res.text()}`);
      await new Promise((r) => setTimeout(r, 2000));
    }
    const pushToEcsAt = new Map<string, number>();
    const deadline = Date.now() + 180_000;
    while (
      (ecsAt.size < services.length ||
        snsAt.size < services.length ||
        pushToEcsAt.size < pushed.length) &&
      Date.now() < deadline
    ) {
      for (const m of await watch.receive(1)) {
        const id = m.attributes.service;
        if (id && writtenAt.has(id) && !snsAt.has(id)) snsAt.set(id, m.receivedAt);
      }
      for (const d of await watch.decisions()) {
        const finished = (d as { finishedAt?: string }).finishedAt;
        if (!finished) continue;
        if (writtenAt.has(d.serviceId) && !ecsAt.has(d.serviceId))
          ecsAt.set(d.serviceId, Date.parse(finished));
        if (pushedAt.has(d.serviceId) && !pushToEcsAt.has(d.serviceId))
          pushToEcsAt.set(d.serviceId, Date.parse(finished));
      }
    }
    const lat = (m: Map<string, number>, from = writtenAt) =>
      [...m].map(([id, t]) => t - from.get(id)!).sort((a, b) => a - b);
    const summary = (xs: number[]) =>
      xs.length
        ? { n: xs.length, p50: Math.round(quantile(xs, 0.5)), p95: Math.round(quantile(xs, 0.95)) }
        : { n: 0 };
    const result = {
      incidents,
      anomalyToEcsMs: summary(lat(ecsAt)),
      anomalyToSnsInboxMs: summary(lat(snsAt)),
      pushToEcsMs: summary(lat(pushToEcsAt, pushedAt)),
    };
    if (asJson) console.log(JSON.stringify(result));
    else {
      log(`incidents: ${incidents}`);
      log(`anomaly written → ECS UpdateService done: ${JSON.stringify(result.anomalyToEcsMs)}`);
      log(
        `anomaly written → SNS message in the subscribed SQS queue: ${JSON.stringify(result.anomalyToSnsInboxMs)}`,
      );
      log(`POST /metrics sent → ECS UpdateService done: ${JSON.stringify(result.pushToEcsMs)}`);
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
