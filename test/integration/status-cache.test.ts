// GET /status against the emulator: one container answers a burst of public callers from one
// computation (the table is read once), and the cache expires after its TTL.
import { beforeEach, describe, expect, it } from 'vitest';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { apiHandler } from '../../lib/http/api-pipeline';
import { createStatusRoutes, type StatusAdapters } from '../../lib/http/routes/status';
import type { HttpResult } from '../../lib/middleware/http';
import { apiAdapters } from '../../lib/wiring/api';
import { freshLocalStack, localConfig } from '../support/local-aws';

const t0 = Date.parse('2026-03-02T10:00:00.000Z');

describe('GET /status cache', () => {
  let reads: number;
  let clock: { ms: number };
  let handler: ReturnType<typeof apiHandler>;

  beforeEach(async () => {
    const stack = await freshLocalStack();
    const real = apiAdapters(localConfig(stack.endpoint, stack.tableName));
    reads = 0;
    clock = { ms: t0 };
    // A wrapper port: counts how often the status computation reads the table.
    const counted: StatusAdapters = {
      registry: real.registry,
      alerting: real.alerting,
      statusHistory: real.statusHistory,
      store: new Proxy(real.store, {
        get(target, prop, receiver) {
          const value = Reflect.get(target, prop, receiver) as unknown;
          if (prop !== 'lastCollectorRun' || typeof value !== 'function') return value;
          return (...args: unknown[]) => {
            reads += 1;
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        },
      }),
    };
    handler = apiHandler(
      createStatusRoutes(() => counted, { cacheSeconds: 15 }),
      {
        now: () => new Date(clock.ms),
        authenticate: async () => null,
        rateLimit: async () => ({ allowed: true, retryAfterSeconds: 0, remaining: 100 }),
      },
    );
  });

  async function getStatus(): Promise<HttpResult> {
    const event = {
      rawPath: '/status',
      headers: {},
      isBase64Encoded: false,
      requestContext: { requestId: 'r1', http: { method: 'GET' } },
    } as unknown as APIGatewayProxyEventV2;
    return (await handler(event, {} as Context)) as HttpResult;
  }

  it('20 parallel callers read the table once and get the same body', async () => {
    const responses = await Promise.all(Array.from({ length: 20 }, () => getStatus()));
    expect(responses.map((r) => r.statusCode)).toEqual(Array(20).fill(200));
    expect(reads).toBe(1);
    expect(new Set(responses.map((r) => r.body)).size).toBe(1);
    expect(responses[0]!.headers?.['cache-control']).toBe('public, max-age=15');

    // Later callers within the TTL are served the same body, with what is left of the TTL.
    clock.ms += 10_000;
    const later = await getStatus();
    expect(reads).toBe(1);
    expect(later.body).toBe(responses[0]!.body);
    expect(later.headers?.['cache-control']).toBe('public, max-age=5');

    // Past the TTL the status is computed afresh.
    clock.ms += 6_000;
    const fresh = await getStatus();
    expect(reads).toBe(2);
    expect(JSON.parse(fresh.body).updatedAt).toBe(new Date(clock.ms).toISOString());
  });
});
