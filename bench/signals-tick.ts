// One collect tick for a fleet of N services behind ALB target groups, each with one probed
// dependency, on the local stack (moto): the probe run, the first tick (target-group discovery, new
// models, 10 minutes of history) and the next minute's tick (discovery cached), each timed.
//   nice -n 10 npx tsx bench/signals-tick.ts [--services 100]
import http from 'node:http';
import { PutMetricDataCommand, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import {
  CreateServiceCommand,
  CreateClusterCommand,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateRuleCommand,
  CreateTargetGroupCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { createClients } from '../lib/aws/clients';
import { parseEnv } from '../lib/config';
import { collectDeps } from '../lib/wiring/collect';
import { probeDeps } from '../lib/wiring/probe';
import { serviceSchema, type Service } from '../src/model';
import type { ServiceRegistry } from '../src/ports';
import { collectTick, defaultCollectOptions } from '../src/use-cases/collect-tick';
import { probeDependencies } from '../src/use-cases/probe-dependencies';
import { resetEmulator, startEmulator } from '../scripts/lib/emulator';
import { createLocalStack, localClientConfig, localCredentials } from '../scripts/lib/local-stack';
import { loadStackDefinitions } from '../scripts/lib/stack-definitions';
import { freePort } from '../test/support/free-port';
import { startPercentileProxy } from '../test/support/percentile-proxy';

const args = process.argv.slice(2);
const count = Number(args[args.indexOf('--services') + 1] || 100) || 100;
const CLUSTER = 'bench';

async function subnets(endpoint: string) {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization:
        'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: 'Action=DescribeSubnets&Version=2016-11-15',
  });
  const xml = await res.text();
  return {
    vpcId: /<vpcId>([^<]+)<\/vpcId>/.exec(xml)![1]!,
    subnets: [...xml.matchAll(/<subnetId>([^<]+)<\/subnetId>/g)].slice(0, 2).map((m) => m[1]!),
  };
}

async function timed<T>(run: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const out = await run();
  return [out, Math.round(performance.now() - t)];
}

async function main() {
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
    POWERTOOLS_LOG_LEVEL: 'CRITICAL',
  });
  const moto = `http://127.0.0.1:${await freePort()}`;
  const emulator = await startEmulator(moto);
  const proxy = await startPercentileProxy(moto);
  const dependency = http.createServer((_req, res) => res.writeHead(200).end('status: ok'));
  const depPort = await freePort();
  await new Promise<void>((r) => dependency.listen(depPort, '127.0.0.1', () => r()));
  const setupStarted = performance.now();
  try {
    await resetEmulator(moto);
    const stack = await createLocalStack(moto, loadStackDefinitions('dev'));
    const cfg = localClientConfig(moto);
    const aws = createClients({ endpoint: moto, region: 'us-east-1' });
    const elb = new ElasticLoadBalancingV2Client(cfg);
    await aws.ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
    const td = await aws.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'bench-task',
        containerDefinitions: [{ name: 'app', image: 'public.ecr.aws/demo/app:1', memory: 512 }],
      }),
    );
    const net = await subnets(moto);
    const lb = await elb.send(
      new CreateLoadBalancerCommand({ Name: 'bench-alb', Subnets: net.subnets }),
    );
    const lbArn = lb.LoadBalancers![0]!.LoadBalancerArn!;
    const services: Service[] = [];
    const datums: { dims: { Name: string; Value: string }[]; ns: string; data: MetricDatum[] }[] =
      [];
    const now = Date.now();
    const minute = Math.floor(now / 60_000) * 60_000;
    let listenerArn: string | undefined;
    for (let i = 0; i < count; i++) {
      const name = `svc-${i}`;
      const tg = await elb.send(
        new CreateTargetGroupCommand({
          Name: `${name}-tg`,
          Protocol: 'HTTP',
          Port: 8080,
          VpcId: net.vpcId,
          TargetType: 'ip',
        }),
      );
      const tgArn = tg.TargetGroups![0]!.TargetGroupArn!;
      if (!listenerArn) {
        const l = await elb.send(
          new CreateListenerCommand({
            LoadBalancerArn: lbArn,
            Protocol: 'HTTP',
            Port: 80,
            DefaultActions: [{ Type: 'forward', TargetGroupArn: tgArn }],
          }),
        );
        listenerArn = l.Listeners![0]!.ListenerArn!;
      } else {
        await elb.send(
          new CreateRuleCommand({
            ListenerArn: listenerArn,
            Priority: i,
            Conditions: [{ Field: 'path-pattern', Values: [`/${name}/*`] }],
            Actions: [{ Type: 'forward', TargetGroupArn: tgArn }],
          }),
        );
      }
      await aws.ecs.send(
        new CreateServiceCommand({
          cluster: CLUSTER,
          serviceName: name,
          taskDefinition: td.taskDefinition!.taskDefinitionArn,
          desiredCount: 2,
          loadBalancers: [{ targetGroupArn: tgArn, containerName: 'app', containerPort: 8080 }],
        }),
      );
      services.push(
        serviceSchema.parse({
          id: name,
          name,
          ecs: { cluster: CLUSTER, service: name },
          dependencies: [
            { name: 'db', url: `http://127.0.0.1:${depPort}/health`, bodyMatch: 'ok' },
          ],
        }),
      );
      const albDims = [
        { Name: 'LoadBalancer', Value: lbArn.slice(lbArn.indexOf(':loadbalancer/') + 14) },
        { Name: 'TargetGroup', Value: tgArn.slice(tgArn.lastIndexOf(':') + 1) },
      ];
      const ecsDims = [
        { Name: 'ClusterName', Value: CLUSTER },
        { Name: 'ServiceName', Value: name },
      ];
      for (let m = 1; m <= 3; m++) {
        const Timestamp = new Date(minute - m * 60_000 + 5_000);
        datums.push({
          ns: 'AWS/ApplicationELB',
          dims: albDims,
          data: [
            { MetricName: 'TargetResponseTime', Value: 0.2 + m / 100, Timestamp },
            { MetricName: 'RequestCount', Value: 1200 + m, Timestamp },
            { MetricName: 'HTTPCode_Target_5XX_Count', Value: m, Timestamp },
          ],
        });
        datums.push({
          ns: 'AWS/ECS',
          dims: ecsDims,
          data: [
            { MetricName: 'CPUUtilization', Value: 40 + m, Timestamp },
            { MetricName: 'MemoryUtilization', Value: 50 + m, Timestamp },
          ],
        });
      }
    }
    for (const d of datums) {
      await aws.cloudwatch.send(
        new PutMetricDataCommand({
          Namespace: d.ns,
          MetricData: d.data.map((x) => ({ ...x, Dimensions: d.dims })),
        }),
      );
    }

    const config = parseEnv({
      VIGIA_TABLE: stack.tableName,
      // Through the proxy that answers p95: moto computes no percentiles (it fails the whole call).
      VIGIA_AWS_ENDPOINT: proxy.endpoint,
      VIGIA_AWS_REQUEST_TIMEOUT_MS: '30000',
    });
    const registry: ServiceRegistry = {
      list: async () => services,
      get: async (id) => services.find((s) => s.id === id) ?? null,
    };
    const clock = { now: () => new Date() };
    const setupDone = performance.now();
    const [probe, probeMs] = await timed(() =>
      probeDependencies({ ...probeDeps(config), registry, clock }),
    );
    const deps = { ...collectDeps(config), registry, clock };
    // moto's GetMetricData walks every stored datapoint for every query and period: a 3-hour backfill
    // of 600 queries takes it minutes. Steady-state ticks fetch a few minutes; so does the bench.
    const options = { ...defaultCollectOptions, backfillMinutes: 10 };
    const [first, firstMs] = await timed(() => collectTick(deps, new Date(minute), options));
    const [second, secondMs] = await timed(() =>
      collectTick(deps, new Date(minute + 60_000), options),
    );
    const report = {
      services: count,
      setupMs: Math.round(setupDone - setupStarted),
      probeRunMs: probeMs,
      probeChecks: probe.checks.length,
      probeFailures: probe.checks.filter((c) => !c.ok).length,
      firstTickMs: firstMs,
      firstTick: { series: first.series, samples: first.samples, failures: first.failures.length },
      nextTickMs: secondMs,
      nextTick: {
        series: second.series,
        samples: second.samples,
        failures: second.failures.length,
      },
    };
    console.log(JSON.stringify(report, null, 2));
  } finally {
    dependency.close();
    await proxy.close();
    await emulator.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
