// The soak's world: moto with the stack and a fleet of N ECS services (3 declared, the rest
// registered through the API), the fault proxy in front of it, metrics fed straight to moto (the
// world is not faulted, vigia's calls are), the API called through the real api handler with a real
// key, and the load scenarios: spikes, plateaus and deploys on a seeded subset of services.
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import {
  DescribeServicesCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { ApiKeyStore } from '../../lib/store/api-key-store';
import { Table } from '../../lib/store/table';
import type { Service } from '../../src/model';
import { DemoMetricsFeeder } from '../../scripts/lib/demo-fleet';
import { localClientConfig } from '../../scripts/lib/local-stack';
import { repoRoot } from '../../scripts/lib/stack-definitions';
import type { FilterPattern } from '../../scripts/lib/failure-replay';
import { lambdaContext } from './stream-delivery';
import type { Random } from './random';

/** Each stream consumer's filter patterns, by function key, from `serverless print`. */
export function streamFilters(stage = 'dev'): Map<string, FilterPattern[]> {
  const out = execFileSync(
    path.join(repoRoot, 'node_modules/.bin/serverless'),
    ['print', '--format', 'json', '--stage', stage],
    {
      cwd: repoRoot,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off' },
    },
  );
  const printed = JSON.parse(out.slice(out.indexOf('{'))) as {
    functions: Record<string, { events?: { stream?: { filterPatterns?: FilterPattern[] } }[] }>;
  };
  const filters = new Map<string, FilterPattern[]>();
  for (const [key, fn] of Object.entries(printed.functions)) {
    const patterns = (fn.events ?? []).flatMap((e) => e.stream?.filterPatterns ?? []);
    if (patterns.length > 0) filters.set(key, patterns);
  }
  return filters;
}

export async function streamArnOf(motoEndpoint: string, tableName: string): Promise<string> {
  const dynamo = new DynamoDBClient(localClientConfig(motoEndpoint));
  const t = await dynamo.send(new DescribeTableCommand({ TableName: tableName }));
  return t.Table!.LatestStreamArn!;
}

export function streamsClient(motoEndpoint: string) {
  return new DynamoDBStreamsClient(localClientConfig(motoEndpoint));
}

/** A registered soak service: small targets so load moves it, some in approve mode. */
export function soakService(n: number, approve: boolean): Service {
  const id = `soak-${String(n).padStart(2, '0')}`;
  return {
    id,
    name: `Soak ${n}`,
    type: 'api',
    description: 'bench:soak',
    ecs: { cluster: 'vigia-demo', service: id },
    minTasks: 1,
    maxTasks: 8,
    targets: { cpu: 60, memory: 80 },
    mode: approve ? 'approve' : 'auto',
  } as Service;
}

type ApiHandler = (e: APIGatewayProxyEventV2, c: unknown) => Promise<unknown>;

export class ApiClient {
  private n = 0;
  constructor(
    private readonly handler: ApiHandler,
    private readonly key: string,
  ) {}

  static async withNewKey(handler: ApiHandler, motoEndpoint: string, tableName: string, now: Date) {
    const db = new DynamoDBClient(localClientConfig(motoEndpoint));
    const keys = new ApiKeyStore(new Table(db, tableName, motoEndpoint));
    const { key } = await keys.create({
      name: 'soak-operator',
      scopes: ['read', 'operate', 'admin'],
      now,
      rateLimitPerMinute: 10_000,
    });
    return new ApiClient(handler, key);
  }

  async call(
    method: string,
    rawPath: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) {
    this.n += 1;
    const [p, qs = ''] = rawPath.split('?');
    const event = {
      version: '2.0',
      routeKey: '$default',
      rawPath: p,
      rawQueryString: qs,
      queryStringParameters: qs ? Object.fromEntries(new URLSearchParams(qs)) : undefined,
      headers: { 'x-api-key': this.key, 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      isBase64Encoded: false,
      requestContext: {
        requestId: `soak-api-${this.n}`,
        http: { method, path: p, sourceIp: '127.0.0.1', protocol: 'HTTP/1.1', userAgent: 'soak' },
      },
    } as unknown as APIGatewayProxyEventV2;
    const res = (await this.handler(event, lambdaContext('api'))) as {
      statusCode: number;
      body: string;
    };
    let json: unknown = null;
    try {
      json = JSON.parse(res.body);
    } catch {
      json = res.body;
    }
    return { status: res.statusCode, json: json as Record<string, unknown> };
  }
}

/** The load the fleet sees, and the deploys that happen to it. */
export class World {
  readonly feeder: DemoMetricsFeeder;
  private readonly ecs: ECSClient;
  readonly deploys: { serviceId: string; minute: number }[] = [];

  constructor(
    motoEndpoint: string,
    readonly services: Service[],
    private readonly random: Random,
  ) {
    this.feeder = new DemoMetricsFeeder(motoEndpoint, services);
    this.ecs = new ECSClient(localClientConfig(motoEndpoint));
  }

  async desiredCounts(): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (let i = 0; i < this.services.length; i += 10) {
      const chunk = this.services.slice(i, i + 10);
      const out = await this.ecs.send(
        new DescribeServicesCommand({
          cluster: 'vigia-demo',
          services: chunk.map((s) => s.ecs.service),
        }),
      );
      for (const svc of out.services ?? []) {
        const s = chunk.find((x) => x.ecs.service === svc.serviceName);
        if (s) counts.set(s.id, svc.desiredCount ?? 0);
      }
    }
    return counts;
  }

  /** Plans one simulated hour's load on a seeded subset: spikes, plateaus and a deploy or two. */
  planHour(firstMinute: number, minutes: number) {
    const subset = this.services.filter(() => this.random.next() < 0.2);
    for (const s of subset) {
      const kind = this.random.next();
      const from = firstMinute + this.random.int(0, Math.max(1, minutes - 1));
      if (kind < 0.5) {
        // A spike: a few minutes of two to four times the load.
        const factor = 2 + this.random.next() * 2;
        this.feeder.spikes.push({ serviceId: s.id, fromMinute: from, toMinute: from + 2, factor });
      } else if (kind < 0.8) {
        // A plateau: the rest of this hour and the next at a higher level (then back).
        const factor = 1.5 + this.random.next();
        this.feeder.spikes.push({ serviceId: s.id, fromMinute: from, toMinute: from + 70, factor });
      } else {
        this.deploys.push({ serviceId: s.id, minute: from });
        // Half the deploys are bad: the load they cause looks like a regression.
        if (this.random.next() < 0.5) {
          this.feeder.spikes.push({
            serviceId: s.id,
            fromMinute: from,
            toMinute: from + 4,
            factor: 3,
          });
        }
      }
    }
  }

  /** Starts the deploys planned for this minute: a new task definition revision on ECS. */
  async deploy(minute: number) {
    for (const d of this.deploys.filter((x) => x.minute === minute)) {
      const td = await this.ecs.send(
        new RegisterTaskDefinitionCommand({
          family: `${d.serviceId}-task`,
          containerDefinitions: [
            {
              name: d.serviceId,
              image: `public.ecr.aws/demo/${d.serviceId}:${minute}`,
              memory: 512,
              cpu: 256,
            },
          ],
        }),
      );
      await this.ecs.send(
        new UpdateServiceCommand({
          cluster: 'vigia-demo',
          service: d.serviceId,
          taskDefinition: td.taskDefinition!.taskDefinitionArn,
        }),
      );
    }
  }
}
