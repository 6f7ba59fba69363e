// GET /health against the emulator counts the messages in the stream failure queue.
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { apiHandler } from '../../lib/http/api-pipeline';
import { createHealthRoutes } from '../../lib/http/routes/health';
import type { HttpResult } from '../../lib/middleware/http';
import { apiAdapters } from '../../lib/wiring/api';
import { failureQueue } from '../../lib/wiring/health';
import { localClientConfig } from '../../scripts/lib/local-stack';
import { freshLocalStack, localConfig } from '../support/local-aws';

describe('GET /health and the failure queue', () => {
  let handler: ReturnType<typeof apiHandler>;
  let sqs: SQSClient;
  let queueUrl: string;

  let endpoint: string;

  function healthHandler(routes: ReturnType<typeof createHealthRoutes>) {
    return apiHandler(routes, {
      now: () => new Date(),
      authenticate: async () => ({
        keyId: 'k1',
        name: 'ops',
        scopes: ['read'],
        rateLimitPerMinute: null,
      }),
      rateLimit: async () => ({ allowed: true, retryAfterSeconds: 0, remaining: 100 }),
    });
  }

  beforeEach(async () => {
    const stack = await freshLocalStack();
    endpoint = stack.endpoint;
    queueUrl = stack.failureQueueUrl;
    sqs = new SQSClient(localClientConfig(stack.endpoint));
    const config = localConfig(stack.endpoint, stack.tableName, {
      VIGIA_FAILURE_QUEUE_URL: queueUrl,
    });
    handler = healthHandler(
      createHealthRoutes(() => ({ ...apiAdapters(config), failureQueue: failureQueue(config) })),
    );
  });

  async function health(): Promise<{
    statusCode: number;
    status: string;
    systems: Record<string, Record<string, unknown>>;
  }> {
    const event = {
      rawPath: '/health',
      headers: { 'x-api-key': 'k' },
      isBase64Encoded: false,
      requestContext: { requestId: 'r1', http: { method: 'GET' } },
    } as unknown as APIGatewayProxyEventV2;
    const res = (await handler(event, {} as Context)) as HttpResult;
    return { statusCode: res.statusCode, ...JSON.parse(res.body) };
  }

  it('reports the failure queue OK when empty and DEGRADED with the count when not', async () => {
    expect((await health()).systems.failureQueue).toEqual({ status: 'OK', pending: 0 });

    for (let i = 0; i < 2; i++) {
      await sqs.send(
        new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify({ n: i }) }),
      );
    }
    const report = await health();

    expect(report.status).not.toBe('OK');
    expect(report.systems.failureQueue).toEqual({
      status: 'DEGRADED',
      pending: 2,
      reason: '2 record(s) exhausted their retries',
      action: 'npm run replay-failures',
    });
  });

  it('says the store is down, with a 503, only when the table cannot be read', async () => {
    const missing = localConfig(endpoint, 'vigia-no-such-table', {});
    handler = healthHandler(
      createHealthRoutes(() => ({ ...apiAdapters(missing), failureQueue: null })),
    );

    const report = await health();

    expect(report.statusCode).toBe(503);
    expect(report.systems.store).toMatchObject({ status: 'DOWN', error: 'table unreachable' });
  });

  it('answers a fault in its own code as a server error, not as the store being down', async () => {
    const stack = await freshLocalStack();
    const config = localConfig(stack.endpoint, stack.tableName, {});
    const adapters = apiAdapters(config);
    // This test's own container (config object): the summary read fails as a bug would.
    adapters.learning.loadSummary = () =>
      Promise.reject(new TypeError("cannot read 'accuracy' of undefined"));
    handler = healthHandler(createHealthRoutes(() => ({ ...adapters, failureQueue: null })));

    const report = await health();

    expect(report.statusCode).toBe(500);
    expect(report.systems).toBeUndefined();
  });
});
