// bench:collect — the collector's dispatcher and workers over a synthetic fleet on the local stack
// (moto, started here): every AWS call counted by API, the bytes written, the writes per
// service-tick, each shard's wall time, and the extrapolation to AWS with the shards run at once.
//   npm run bench:collect -- --services 1000 [--shard-size 100] [--measure-shards K] [--pushing P] [--json]
// Each service has CPU and memory (AWS/ECS) and three load-balancer metrics. Workers run
// in-process, one after another (each shard's time is its own); the dispatcher's invokes are
// counted, not sent. With --measure-shards K only the first K shards get ECS services and metric
// data and run (the dispatcher always lists and splits the whole fleet). --pushing P makes P % of
// the measured services push their metrics through the push route's store as well.
// moto runs with an index for GetMetricData (bench/collect/moto-indexed.py: the same answers;
// moto alone scans every stored datapoint per query and period, minutes per call at 1,000 services).
import { PutMetricDataCommand, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import { cloudwatchClient } from '../../lib/aws/cloudwatch-client';
import { dynamoClient } from '../../lib/aws/dynamo-client';
import { ecsClient } from '../../lib/aws/ecs-client';
import { elbv2Client } from '../../lib/aws/elbv2-client';
import { sqsClient } from '../../lib/aws/sqs-client';
import { parseEnv } from '../../lib/config';
import { collectDeps, collectOptions } from '../../lib/wiring/collect';
import { serviceSchema, type Service } from '../../src/model';
import type { CollectShard, ServiceRegistry } from '../../src/ports';
import { collectShard, dispatchCollect } from '../../src/use-cases/collect-dispatch';
import { join } from 'node:path';
import { resetEmulator, startMotoProcess } from '../../scripts/lib/emulator';
import { PushedMetricStore } from '../../lib/store/pushed-metric-store';
import { table } from '../../lib/wiring/table';
import { createLocalStack, localCredentials } from '../../scripts/lib/local-stack';
import { loadStackDefinitions } from '../../scripts/lib/stack-definitions';
import { freePort } from '../../test/support/free-port';
import { monthlyCost } from '../cost/cost-model';
import type { ServiceTickUsage } from '../cost/usage';
import { bytesOf, callsOf, countCalls, newCounts, type CallCounts } from './aws-calls';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const servicesN = arg('services', 1000);
const shardSize = arg('shard-size', 100);
const measureShards = arg('measure-shards', Math.ceil(servicesN / shardSize));
const pushingPercent = arg('pushing', 0);
const json = process.argv.includes('--json');
const CLUSTER = 'bench';
const MEMORY_GB = 0.5; // serverless.yml: collect and collect-shard, 512 MB
/** AWS's default regional concurrency; the shards of a tick run at once up to it. */
const ACCOUNT_CONCURRENCY = 1000;

function syntheticService(i: number): Service {
  const name = `svc-${String(i).padStart(5, '0')}`;
  const lb = {
    LoadBalancer: 'app/bench/0123456789abcdef',
    TargetGroup: `targetgroup/${name}/0a1b`,
  };
  return serviceSchema.parse({
    id: name,
    name,
    ecs: { cluster: CLUSTER, service: name },
    metrics: [
      {
        id: 'requests',
        namespace: 'AWS/ApplicationELB',
        name: 'RequestCount',
        dimensions: lb,
        statistic: 'Sum',
        unit: 'per-minute',
      },
      {
        id: 'latency',
        namespace: 'AWS/ApplicationELB',
        name: 'TargetResponseTime',
        dimensions: lb,
        statistic: 'Average',
        unit: 'seconds',
      },
      {
        id: 'errors_5xx',
        namespace: 'AWS/ApplicationELB',
        name: 'HTTPCode_Target_5XX_Count',
        dimensions: lb,
        statistic: 'Sum',
        unit: 'per-minute',
      },
    ],
  });
}

function datums(s: Service, minutes: number[]): MetricDatum[] {
  const ecsDims = [
    { Name: 'ClusterName', Value: CLUSTER },
    { Name: 'ServiceName', Value: s.ecs.service },
  ];
  return minutes.flatMap((m, k) => {
    const Timestamp = new Date(m + 5_000);
    return [
      { MetricName: 'CPUUtilization', Dimensions: ecsDims, Value: 35 + k, Timestamp },
      { MetricName: 'MemoryUtilization', Dimensions: ecsDims, Value: 45 + k, Timestamp },
      ...s.metrics.map((x, j) => ({
        MetricName: x.name,
        Dimensions: Object.entries(x.dimensions).map(([Name, Value]) => ({ Name, Value })),
        Value: [1200, 0.2, 1][j]! + k,
        Timestamp,
      })),
    ];
  });
}

/** moto with the GetMetricData index (moto-indexed.py), on a free port; stopped with its group. */
const startIndexedMoto = (endpoint: string) =>
  startMotoProcess(endpoint, 'moto-indexed.py', 'python3', [
    join(import.meta.dirname, 'moto-indexed.py'),
  ]);

const snapshot = (c: CallCounts) =>
  JSON.parse(JSON.stringify({ ...c, calls: [...c.calls], bytes: [...c.bytes] }));
function diff(after: CallCounts, before: ReturnType<typeof snapshot>) {
  const b = {
    calls: new Map<string, number>(before.calls),
    bytes: new Map<string, number>(before.bytes),
  };
  const out = newCounts();
  for (const [k, v] of after.calls)
    if (v - (b.calls.get(k) ?? 0) > 0) out.calls.set(k, v - (b.calls.get(k) ?? 0));
  for (const [k, v] of after.bytes)
    if (v - (b.bytes.get(k) ?? 0) > 0) out.bytes.set(k, v - (b.bytes.get(k) ?? 0));
  out.writeUnits = after.writeUnits - before.writeUnits;
  out.readUnits = after.readUnits - before.readUnits;
  out.metricsRequested = after.metricsRequested - before.metricsRequested;
  return out;
}

async function main() {
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
    POWERTOOLS_LOG_LEVEL: 'CRITICAL',
  });
  const moto = `http://127.0.0.1:${await freePort()}`;
  const emulator = await startIndexedMoto(moto);
  try {
    await resetEmulator(moto);
    const stack = await createLocalStack(moto, loadStackDefinitions('dev'));
    const config = parseEnv({
      VIGIA_TABLE: stack.tableName,
      VIGIA_AWS_ENDPOINT: moto,
      VIGIA_AWS_REQUEST_TIMEOUT_MS: '60000',
    });
    const counts = newCounts();
    countCalls(cloudwatchClient(config), 'CloudWatch', counts);
    countCalls(ecsClient(config), 'ECS', counts);
    countCalls(elbv2Client(config), 'ELBv2', counts);
    countCalls(dynamoClient(config), 'DynamoDB', counts);
    countCalls(sqsClient(config), 'SQS', counts);

    const services = Array.from({ length: servicesN }, (_, i) => syntheticService(i));
    const measured = services.slice(0, Math.min(servicesN, measureShards * shardSize));
    const setupStarted = performance.now();
    const aws = { ecs: ecsClient(config), cloudwatch: cloudwatchClient(config) };
    await aws.ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
    const td = await aws.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'bench-task',
        containerDefinitions: [{ name: 'app', image: 'public.ecr.aws/demo/app:1', memory: 512 }],
      }),
    );
    for (const s of measured) {
      await aws.ecs.send(
        new CreateServiceCommand({
          cluster: CLUSTER,
          serviceName: s.ecs.service,
          taskDefinition: td.taskDefinition!.taskDefinitionArn,
          desiredCount: 2,
        }),
      );
    }
    const minute = Math.floor(Date.now() / 60_000) * 60_000;
    const all = measured.flatMap((s) =>
      datums(s, [minute - 180_000, minute - 120_000, minute - 60_000]),
    );
    for (const ns of ['AWS/ECS', 'AWS/ApplicationELB']) {
      const mine = all.filter(
        (d) => (d.MetricName!.endsWith('Utilization') ? 'AWS/ECS' : 'AWS/ApplicationELB') === ns,
      );
      for (let i = 0; i < mine.length; i += 20) {
        await aws.cloudwatch.send(
          new PutMetricDataCommand({
            Namespace: ns,
            MetricData: mine.slice(i, i + 20),
          }),
        );
      }
    }
    // The pushing services push every metric of theirs for the same minutes, as a client would.
    const pushing = measured.slice(0, Math.round((measured.length * pushingPercent) / 100));
    const pushStore = new PushedMetricStore(table(config));
    for (const s of pushing) {
      const at = new Date(minute - 30_000).toISOString();
      await pushStore.put(
        [minute - 180_000, minute - 120_000, minute - 60_000].flatMap((m, k) =>
          ['queue_depth', 'jobs_per_second'].map((metric) => ({
            serviceId: s.id,
            metric,
            minute: new Date(m).toISOString(),
            value: 10 + k,
            pushedAt: at,
          })),
        ),
      );
    }
    const setupMs = Math.round(performance.now() - setupStarted);

    const registry: ServiceRegistry = {
      list: async () => services,
      get: async (id) => services.find((s) => s.id === id) ?? null,
    };
    const clock = { now: () => new Date() };
    const deps = { ...collectDeps(config), registry, clock };
    const options = { ...collectOptions(config), backfillMinutes: 10 };

    /** One tick: the dispatcher over the whole fleet, then the measured shards, one at a time. */
    const tick = async (tickAt: Date) => {
      const queued: CollectShard[] = [];
      const before = snapshot(counts);
      const d0 = performance.now();
      const dispatched = await dispatchCollect(
        {
          ...deps,
          shards: { invoke: async (shard) => void queued.push(JSON.parse(JSON.stringify(shard))) },
        },
        tickAt,
        shardSize,
        options,
      );
      const dispatcherMs = performance.now() - d0;
      const dispatcherCalls = diff(counts, before);
      const shardRuns: { services: number; ms: number; failures: number }[] = [];
      const workBefore = snapshot(counts);
      const runs = dispatched.inline ? [] : queued.slice(0, measureShards);
      for (const shard of runs) {
        const t = performance.now();
        const result = await collectShard(deps, shard, options);
        shardRuns.push({
          services: shard.services.length,
          ms: performance.now() - t,
          failures: result.failures.length,
        });
      }
      if (dispatched.inline)
        shardRuns.push({
          services: servicesN,
          ms: dispatcherMs,
          failures: dispatched.inline.failures.length,
        });
      return {
        dispatched,
        dispatcherMs,
        dispatcherCalls,
        shardRuns,
        work: diff(counts, workBefore),
        invoked: queued.length,
      };
    };

    await tick(new Date(minute - 60_000)); // warm: models created, target-group discovery
    const steady = await tick(new Date(minute));

    const measuredServices = steady.shardRuns.reduce((n, r) => n + r.services, 0);
    const per = (n: number) => n / measuredServices;
    const work = steady.work;
    const writeCalls = ['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem'].reduce(
      (n, op) => n + callsOf(work, `DynamoDB.${op}`),
      0,
    );
    const shardMs = steady.shardRuns.map((r) => r.ms);
    const maxShardMs = Math.max(...shardMs);
    const meanShardMs = shardMs.reduce((a, b) => a + b, 0) / shardMs.length;
    const shards = Math.ceil(servicesN / shardSize);
    const concurrency = Math.min(shards, ACCOUNT_CONCURRENCY);
    const waves = Math.ceil(shards / concurrency);
    const projectedTickMs = steady.dispatcherMs + waves * maxShardMs;
    const perWorkerPerMinute = (shardSize * 60_000) / meanShardMs;
    const callsByApi = Object.fromEntries([...work.calls].map(([k, v]) => [k, +per(v).toFixed(4)]));
    const dispatcherByApi = Object.fromEntries(
      [...steady.dispatcherCalls.calls].map(([k, v]) => [k, v]),
    );
    const awsCallsPerServiceTick =
      per([...work.calls.values()].reduce((a, b) => a + b, 0)) +
      [...steady.dispatcherCalls.calls.values()].reduce((a, b) => a + b, 0) / servicesN;
    const gbSeconds =
      ((steady.dispatcherMs / 1000) * MEMORY_GB) / servicesN +
      per((shardMs.reduce((a, b) => a + b, 0) / 1000) * MEMORY_GB);
    const usage: ServiceTickUsage = {
      services: servicesN,
      tickMinutes: options.cadence.calmEveryMinutes,
      cloudwatchMetricsRequested: per(work.metricsRequested),
      cloudwatchCalls: per(callsOf(work, 'CloudWatch.GetMetricData')),
      ecsCalls: per(callsOf(work, 'ECS') + callsOf(work, 'ELBv2')),
      dynamoWriteUnits: per(work.writeUnits) + steady.dispatcherCalls.writeUnits / servicesN,
      dynamoReadUnits: per(work.readUnits) + steady.dispatcherCalls.readUnits / servicesN,
      bytesWritten: per(
        ['PutItem', 'UpdateItem', 'DeleteItem'].reduce(
          (n, op) => n + bytesOf(work, `DynamoDB.${op}`),
          0,
        ),
      ),
      // The dispatcher and the workers; the stream consumers (autoscale and notify take each sample,
      // in batches of up to 10) are not run here: 2 × samples / 10 per service-tick at most.
      lambdaInvocations: (1 + steady.invoked) / servicesN,
      lambdaGbSeconds: gbSeconds,
      snsPublishes: 0,
      apiRequests: 0,
    };
    const report = {
      services: servicesN,
      shardSize,
      shards,
      measuredShards: steady.shardRuns.length,
      measuredServices,
      projected: measuredServices < servicesN,
      setupMs,
      dispatcher: {
        wallMs: Math.round(steady.dispatcherMs),
        invocations: steady.invoked,
        calls: dispatcherByApi,
      },
      pushingServices: pushing.length,
      shardWallMs: {
        total: Math.round(shardMs.reduce((a, b) => a + b, 0)),
        mean: Math.round(meanShardMs),
        max: Math.round(maxShardMs),
        each: shardMs.map(Math.round),
      },
      failures: steady.shardRuns.reduce((n, r) => n + r.failures, 0),
      servicesPerMinutePerWorker: Math.round(perWorkerPerMinute),
      concurrency,
      projectedTickMs: Math.round(projectedTickMs),
      servicesPerMinute:
        projectedTickMs <= 60_000 ? servicesN : Math.round((servicesN * 60_000) / projectedTickMs),
      awsCallsPerServiceTick: +awsCallsPerServiceTick.toFixed(4),
      awsCallsByApiPerServiceTick: callsByApi,
      writesPerServiceTick: +per(writeCalls).toFixed(4),
      bytesWrittenPerServiceTick: Math.round(usage.bytesWritten),
      lambda: {
        invocationsPerTick: 1 + steady.invoked,
        gbSecondsPerServiceTick: +gbSeconds.toExponential(3),
      },
      // Priced from the collector's counted calls alone: the stream consumers, sweep, verify and
      // alert timers are not run here, so `npm run cost -- --usage` (which adds them) is the bill.
      costPerServiceMonth: +monthlyCost(usage).perServiceTotal.toFixed(4),
      usage,
      note: 'costPerServiceMonth prices the collector only (counted calls; bench/cost/cost-model.ts); wall times are moto (with the GetMetricData index of bench/collect/moto-indexed.py) on this machine, an upper bound for AWS',
    };
    if (json) console.log(JSON.stringify(report));
    else console.log(JSON.stringify(report, null, 2));
  } finally {
    await emulator.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
