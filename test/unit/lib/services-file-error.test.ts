// A deployed config/services.json that breaks its schema is the server's fault: the public routes
// answer a generic 500 and keep the file's problems for the logs, instead of a 400 that shows them.
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { parseServicesFile } from '../../../lib/config';
import { ConfigurationError, ValidationError } from '../../../src/errors';

const { broken } = vi.hoisted(() => ({
  broken: {
    services: [
      {
        id: 'web',
        name: 'Web',
        ecs: { cluster: 'prod', service: 'web' },
        minTasks: 5,
        maxTasks: 2,
      },
    ],
  },
}));

vi.mock('../../../config/services.json', () => ({ default: broken }));

const context = {
  functionName: 'vigia-test',
  awsRequestId: 'test-request',
  getRemainingTimeInMillis: () => 30_000,
} as unknown as Context;

function get(path: string): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: {},
    requestContext: { requestId: 'r1', http: { method: 'GET', path } },
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2;
}

let api: (e: APIGatewayProxyEventV2, c: Context) => Promise<{ statusCode: number; body: string }>;

beforeAll(async () => {
  Object.assign(process.env, {
    VIGIA_TABLE: 'vigia-test',
    VIGIA_AWS_ENDPOINT: 'http://127.0.0.1:9',
    AWS_REGION: 'us-east-1',
    POWERTOOLS_LOG_LEVEL: 'CRITICAL',
  });
  api = (await import('../../../functions/api')).handler as never;
});

describe('an invalid services file', () => {
  it('is a configuration error naming the field, not a validation error of a request', () => {
    const parse = () => parseServicesFile(broken);

    expect(parse).toThrow(ConfigurationError);
    expect(parse).not.toThrow(ValidationError);
    expect(parse).toThrow(
      'config/services.json is invalid: services.0.minTasks: minTasks must not exceed maxTasks',
    );
  });

  it('answers /status and /health without a key with a generic 500 that hides the detail', async () => {
    for (const path of ['/status', '/health']) {
      const res = await api(get(path), context);

      expect(res.statusCode).toBe(500);
      expect(JSON.parse(res.body)).toEqual({ error: 'internal', message: 'internal error' });
      expect(res.body).not.toMatch(/services\.json|minTasks/);
    }
  });
});
