// Every function's middy stack leaves a heartbeat in the table (lib/middleware/heartbeat.ts), and
// GET /health judges the functions by them: a stream consumer whose record fails, or a schedule that
// throws, shows as DEGRADED with its error, against the emulator.
import { readFileSync } from 'node:fs';
import type { APIGatewayProxyEventV2, Context, DynamoDBStreamEvent } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { config } from '../../lib/config';
import { apiHandler } from '../../lib/http/api-pipeline';
import { createHealthRoutes } from '../../lib/http/routes/health';
import type { HttpResult } from '../../lib/middleware/http';
import { scheduledHandler } from '../../lib/middleware/scheduled';
import { streamHandler } from '../../lib/middleware/stream';
import { apiAdapters } from '../../lib/wiring/api';
import { heartbeatStore } from '../../lib/wiring/table';
import { freshLocalStack, useStackEnvironment } from '../support/local-aws';

const contextOf = (fn: string) =>
  ({
    functionName: `vigia-${config().stage}-${fn}`,
    awsRequestId: 'r1',
    getRemainingTimeInMillis: () => 30_000,
  }) as unknown as Context;

const anomalyEvent = (): DynamoDBStreamEvent =>
  JSON.parse(readFileSync('events/dynamodb-stream.insert-anomaly.json', 'utf8'));

beforeEach(async () => {
  useStackEnvironment(await freshLocalStack());
});

async function health() {
  const routes = createHealthRoutes(() => ({ ...apiAdapters(config()), failureQueue: null }));
  const handler = apiHandler(routes, {
    now: () => new Date(),
    authenticate: async () => ({
      keyId: 'k',
      name: 'ops',
      scopes: ['read'],
      rateLimitPerMinute: null,
    }),
    rateLimit: async () => ({ allowed: true, retryAfterSeconds: 0, remaining: 100 }),
  });
  const event = {
    rawPath: '/health',
    headers: { 'x-api-key': 'k' },
    isBase64Encoded: false,
    requestContext: { requestId: 'r1', http: { method: 'GET' } },
  } as unknown as APIGatewayProxyEventV2;
  const res = (await handler(event, {} as Context)) as HttpResult;
  return JSON.parse(res.body) as {
    systems: Record<string, { status: string; reason?: string; functions?: object }>;
  };
}

describe('function heartbeats', () => {
  it('a schedule records its failure, then its success, in one item', async () => {
    let fail = true;
    const handler = scheduledHandler(async () => {
      if (fail) throw new Error('verify failed: CloudWatch unreachable');
      return { verified: 0 };
    });

    await expect(handler({}, contextOf('verify'))).rejects.toThrow('CloudWatch unreachable');
    const afterFailure = await heartbeatStore(config()).functionHeartbeats();
    fail = false;
    await handler({}, contextOf('verify'));
    const [beat] = await heartbeatStore(config()).functionHeartbeats();

    expect(afterFailure).toEqual([
      expect.objectContaining({
        name: 'verify',
        lastSuccessAt: null,
        lastError: 'verify failed: CloudWatch unreachable',
        errors: 1,
        runs: 1,
      }),
    ]);
    expect(beat).toMatchObject({ name: 'verify', errors: 1, runs: 2 });
    expect(beat!.lastSuccessAt! >= beat!.lastFailureAt!).toBe(true);
    expect((await health()).systems.recoveries!.reason).toMatch(
      /verify: failed \d+ s ago \(1 error\(s\)\): verify failed: CloudWatch unreachable/,
    );
  });

  it('a schedule whose work outlives the invocation is cut before the timeout and says so', async () => {
    const deadline = Date.now() + 3_000;
    const context = {
      ...contextOf('verify'),
      getRemainingTimeInMillis: () => deadline - Date.now(),
    } as Context;
    const handler = scheduledHandler(async () => {
      await new Promise((resolve) => setTimeout(resolve, 10_000));
      return { verified: 0 };
    });

    await expect(handler({}, context)).rejects.toThrow(/time for this work ran out/);
    const [beat] = await heartbeatStore(config()).functionHeartbeats();

    // The failure reached /health within the invocation, with time to spare for the write.
    expect(Date.now()).toBeLessThan(deadline);
    expect(beat).toMatchObject({ name: 'verify', errors: 1 });
    expect(beat!.lastError).toMatch(/time for this work ran out/);
  });

  it('a stream consumer whose record fails turns its subsystem DEGRADED at GET /health', async () => {
    const event = anomalyEvent();
    event.Records.push({ ...event.Records[0]!, eventID: 'second' });
    let calls = 0;
    const decide = streamHandler(async () => {
      if (++calls === 1) throw new Error('anomaly is invalid: metric');
    });

    const response = await decide(event, contextOf('decide'));
    const report = await health();

    expect(response.batchItemFailures).toHaveLength(1);
    expect(report.systems.decisionEngine).toMatchObject({
      status: 'DEGRADED',
      functions: { decide: { status: 'DEGRADED', errors: 1 } },
    });
    expect(report.systems.decisionEngine!.reason).toMatch(
      /decide: last run failed .*1 stream record\(s\) failed, first: anomaly is invalid: metric/,
    );
  });

  it('a batch whose every record fails names the first error too', async () => {
    const notify = streamHandler(async () => {
      throw new Error('SNS topic unreachable');
    });

    const event = anomalyEvent();
    // Reported record by record, not thrown (a throw would be an invocation error, bisected).
    expect(await notify(event, contextOf('notify'))).toEqual({
      batchItemFailures: event.Records.map((r) => ({ itemIdentifier: r.dynamodb!.SequenceNumber })),
    });
    const [beat] = await heartbeatStore(config()).functionHeartbeats();

    expect(beat).toMatchObject({
      name: 'notify',
      lastError: `${event.Records.length} stream record(s) failed, first: SNS topic unreachable`,
    });
  });

  it('never moves a heartbeat backwards when invocations finish out of order', async () => {
    const store = heartbeatStore(config());
    await store.recordRun({ name: 'notify', at: new Date('2026-11-22T10:02:00Z') });
    await store.recordRun({ name: 'notify', at: new Date('2026-11-22T10:01:00Z') });

    const [beat] = await store.functionHeartbeats();

    expect(beat).toMatchObject({ lastSuccessAt: '2026-11-22T10:02:00.000Z', runs: 1 });
  });
});
