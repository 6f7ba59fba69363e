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

  beforeEach(async () => {
    const stack = await freshLocalStack();
    queueUrl = stack.failureQueueUrl;
    sqs = new SQSClient(localClientConfig(stack.endpoint));
    const config = localConfig(stack.endpoint, stack.tableName, {
      VIGIA_FAILURE_QUEUE_URL: queueUrl,
    });
    const routes = createHealthRoutes(() => ({
      ...apiAdapters(config),
      failureQueue: failureQueue(config),
    }));
    handler = apiHandler(routes, {
      now: () => new Date(),
      authenticate: async () => ({
        keyId: 'k1',
        name: 'ops',
        scopes: ['read'],
        rateLimitPerMinute: null,
      }),
      rateLimit: async () => ({ allowed: true, retryAfterSeconds: 0, remaining: 100 }),
    });
  });

  async function health() {
    const event = {
      rawPath: '/health',
      headers: { 'x-api-key': 'k' },
      isBase64Encoded: false,
      requestContext: { requestId: 'r1', http: { method: 'GET' } },
    } as unknown as APIGatewayProxyEventV2;
    const res = (await handler(event, {} as Context)) as HttpResult;
    return JSON.parse(res.body) as {
      status: string;
      systems: Record<string, Record<string, unknown>>;
    };
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
});
