// Fuzz at 10,000 (issue 11): generated requests the API must refuse (test/support/request-fuzz.ts,
// every route) sent to the real api function handler in-process, against the local emulator. Goal:
// 0 responses 5xx, 0 accepted (2xx), 0 items written by the refused requests.
//   npm run bench:fuzz -- [--runs 10000] [--seed 20261122] [--json]
// Writes are a full table scan before and after, minus the one kind the pipeline itself writes for
// any authenticated request before validating it: the per-key rate-limit counters (kind ratelimit).
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import fc from 'fast-check';
import { createClients } from '../lib/aws/clients';
import { ApiKeyStore } from '../lib/store/api-key-store';
import { Table } from '../lib/store/table';
import { resetEmulator, startEmulator } from '../scripts/lib/emulator';
import { createDemoFleet, createLocalStack, localCredentials } from '../scripts/lib/local-stack';
import { declaredServicesForScripts } from '../scripts/lib/services';
import { loadStackDefinitions } from '../scripts/lib/stack-definitions';
import { freePort } from '../test/support/free-port';
import {
  describeRequest,
  refusedRequest,
  toWire,
  type WireRequest,
} from '../test/support/request-fuzz';

const args = process.argv.slice(2);
function flag(name: string, fallback: number): number {
  const i = args.indexOf(name);
  const value = i >= 0 ? Number(args[i + 1]) : fallback;
  return Number.isSafeInteger(value) ? value : fallback;
}
const runs = flag('--runs', 10_000);
const seed = flag('--seed', 20261122);
const asJson = args.includes('--json');
const log = (line: string) => (asJson ? undefined : console.log(line));

const context = {
  functionName: 'vigia-bench-fuzz',
  awsRequestId: 'bench-fuzz',
  getRemainingTimeInMillis: () => 30_000,
} as unknown as Context;

type ApiHandler = (
  e: APIGatewayProxyEventV2,
  c: Context,
) => Promise<{ statusCode: number; body: string }>;

function toEvent(w: WireRequest, n: number): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: w.path,
    rawQueryString: w.queryString,
    headers: w.headers,
    queryStringParameters: w.query,
    requestContext: {
      requestId: `fuzz-${n}`,
      http: {
        method: w.method,
        path: w.path,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'bench',
      },
    },
    body: w.body,
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2;
}

async function main() {
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
    AWS_REGION: 'us-east-1',
    POWERTOOLS_LOG_LEVEL: 'CRITICAL',
  });
  const endpoint = `http://127.0.0.1:${await freePort()}`;
  const emulator = await startEmulator(endpoint);
  try {
    await resetEmulator(endpoint);
    const stack = await createLocalStack(endpoint, loadStackDefinitions('dev'));
    await createDemoFleet(endpoint, declaredServicesForScripts());
    Object.assign(process.env, {
      VIGIA_TABLE: stack.tableName,
      VIGIA_AWS_ENDPOINT: endpoint,
      VIGIA_TOPIC_ARN: stack.topicArn,
    });
    const aws = createClients({ endpoint, region: 'us-east-1' });
    const keyStore = new ApiKeyStore(new Table(aws.dynamo, stack.tableName, endpoint));
    const key = async (name: string, scopes: ('admin' | 'read')[]) =>
      (await keyStore.create({ name, scopes, now: new Date(), rateLimitPerMinute: 1_000_000 })).key;
    const keys = {
      admin: await key('fuzz-admin', ['admin']),
      reader: await key('fuzz-reader', ['read']),
    };
    const api = (await import('../functions/api')).handler as unknown as ApiHandler;

    /** Every item but the rate-limit counters, as stable JSON lines. */
    async function snapshot(): Promise<Set<string>> {
      const out = new Set<string>();
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await aws.dynamo.send(
          new ScanCommand({ TableName: stack.tableName, ExclusiveStartKey: startKey }),
        );
        for (const item of page.Items ?? []) {
          if (item.kind === 'ratelimit') continue;
          out.add(JSON.stringify(Object.fromEntries(Object.entries(item).sort())));
        }
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      return out;
    }

    const before = await snapshot();
    const requests = fc.sample(refusedRequest, { numRuns: runs, seed });
    const byStatus: Record<string, number> = {};
    const failures: { request: string; status: number; response: string }[] = [];
    const started = performance.now();
    for (const [n, r] of requests.entries()) {
      const w = toWire(r, keys);
      const res = await api(toEvent(w, n), context);
      byStatus[res.statusCode] = (byStatus[res.statusCode] ?? 0) + 1;
      let bad = res.statusCode < 400 || res.statusCode >= 500;
      if (res.statusCode === 400) bad ||= !(JSON.parse(res.body).issues?.length > 0);
      if (bad)
        failures.push({
          request: describeRequest(w),
          status: res.statusCode,
          response: res.body.slice(0, 500),
        });
      if (!asJson && (n + 1) % 1000 === 0) process.stderr.write(`  ${n + 1}/${runs}\n`);
    }
    const seconds = Math.round((performance.now() - started) / 100) / 10;
    const after = await snapshot();
    const written = [...after].filter((i) => !before.has(i));
    const removed = [...before].filter((i) => !after.has(i));
    const fiveXX = failures.filter((f) => f.status >= 500).length;
    const accepted = failures.filter((f) => f.status < 400).length;
    const summary = {
      runs,
      seed,
      byStatus,
      fiveXX,
      accepted,
      unnamed400: failures.filter((f) => f.status === 400).length,
      writes: written.length + removed.length,
      seconds,
      failures: failures.slice(0, 20),
      writtenItems: [...written, ...removed.map((i) => `removed ${i}`)].slice(0, 20),
    };
    if (asJson) console.log(JSON.stringify(summary));
    else {
      console.log(JSON.stringify(summary, null, 2));
      log('\n| runs | seed | 5xx | 2xx/3xx | writes | seconds | by status |');
      log('|---|---|---|---|---|---|---|');
      const statuses = Object.entries(byStatus)
        .map(([s, c]) => `${s}: ${c}`)
        .join(', ');
      log(
        `| ${runs} | ${seed} | ${fiveXX} | ${accepted} | ${summary.writes} | ${seconds} | ${statuses} |`,
      );
    }
    process.exitCode = failures.length > 0 || summary.writes > 0 ? 1 : 0;
  } finally {
    await emulator.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
