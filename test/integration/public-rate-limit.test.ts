// The public routes (no API key) are limited per source IP, counted in the table like the per-key
// limit: the api function's real handler against the emulator, with a limit of 3 per minute.
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../lib/clock';
import type { HttpResult } from '../../lib/middleware/http';
import { freshLocalStack, useStackEnvironment } from '../support/local-aws';

let handler: (e: APIGatewayProxyEventV2, c: Context) => Promise<unknown>;
const realNow = systemClock.now;

beforeAll(async () => {
  // One minute's window for every request, whatever the wall clock does meanwhile.
  Object.assign(systemClock, { now: () => new Date('2026-03-02T10:00:20.000Z') });
  const stack = await freshLocalStack();
  useStackEnvironment(stack);
  process.env.VIGIA_PUBLIC_RATE_LIMIT = '3';
  handler = (await import('../../functions/api')).handler as typeof handler;
});

afterAll(() => {
  Object.assign(systemClock, { now: realNow });
});

async function get(path: string, sourceIp: string, n: number) {
  const event = {
    rawPath: path,
    headers: {},
    isBase64Encoded: false,
    requestContext: { requestId: `p${n}`, http: { method: 'GET', path, sourceIp } },
  } as unknown as APIGatewayProxyEventV2;
  return (await handler(event, {} as Context)) as HttpResult;
}

describe('public routes', () => {
  it('answer 429 with Retry-After once a source IP used up its minute, other IPs unaffected', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await get('/openapi.json', '198.51.100.7', i)).statusCode);
    const refused = await get('/openapi.json', '198.51.100.7', 9);
    const other = await get('/openapi.json', '203.0.113.9', 10);

    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers?.['retry-after'])).toBeGreaterThan(0);
    expect(other.statusCode).toBe(200);
  });
});
