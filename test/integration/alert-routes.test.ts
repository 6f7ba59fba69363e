// The alerting routes against the emulator: silences, acknowledgements and the incident list, with
// 400s that name the field, 404s, conditional writes, and silences that really mute the pipeline.
import { beforeEach, describe, expect, it } from 'vitest';
import { createClients } from '../../lib/aws/clients';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { apiHandler } from '../../lib/http/api-pipeline';
import type { HttpResult } from '../../lib/middleware/http';
import { createAlertRoutes } from '../../lib/http/routes/alerts';
import type { Route, RouteRequest } from '../../lib/http/route';
import { SnsNotifier } from '../../lib/sns/sns-notifier';
import { DynamoAlertingStore } from '../../lib/store/alerting-store';
import { alertingConfigSchema } from '../../src/alerting';
import { ConflictError } from '../../src/errors';
import { anomalyId, type Anomaly } from '../../src/model';
import {
  flushServiceAlerts,
  processAlertInput,
  type AlertDeps,
} from '../../src/use-cases/alert-notifications';
import { FleetWatch } from '../../scripts/lib/fleet-watch';
import { freshLocalStack, localAdapters } from '../support/local-aws';

const t0 = Date.parse('2026-03-02T10:00:00.000Z');
const iso = (s: number) => new Date(t0 + s * 1000).toISOString();
const config = alertingConfigSchema.parse({});

function anomaly(serviceId: string, s: number): Anomaly {
  const at = iso(s);
  return {
    id: anomalyId(serviceId, 'cpu', at),
    serviceId,
    metric: 'cpu',
    at,
    value: 97,
    score: 0.95,
    direction: 'up',
    expected: 40,
    lower: 20,
    upper: 60,
    severity: 'critical',
    explanation: 'cpu 97.0 is far above its usual 40.0',
    desiredCount: 2,
  };
}

describe('alerting routes', () => {
  let routes: Route[];
  let store: DynamoAlertingStore;
  let deps: AlertDeps;
  let watch: FleetWatch;
  let clock: { seconds: number };
  let ids = 0;

  async function call(
    method: string,
    path: string,
    init: Partial<Pick<RouteRequest, 'params' | 'query' | 'body'>> = {},
  ): Promise<HttpResult & { json: Record<string, unknown> }> {
    // Through the api function's real handler: the router takes the params from the path.
    const handler = apiHandler(routes, {
      now: () => new Date(t0 + clock.seconds * 1000),
      authenticate: async () => ({
        keyId: 'k1',
        name: 'ci-bot',
        scopes: ['operate'],
        rateLimitPerMinute: null,
      }),
      rateLimit: async () => ({ allowed: true, retryAfterSeconds: 0, remaining: 100 }),
    });
    const event = {
      rawPath: path,
      headers: { 'x-api-key': 'k', 'content-type': 'application/json' },
      queryStringParameters: init.query,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      isBase64Encoded: false,
      requestContext: { requestId: 'r1', http: { method } },
    } as unknown as APIGatewayProxyEventV2;
    const result = (await handler(event, {} as Context)) as HttpResult;
    return { ...result, json: JSON.parse(result.body) as Record<string, unknown> };
  }

  beforeEach(async () => {
    const stack = await freshLocalStack();
    const local = localAdapters(stack.endpoint, stack.tableName);
    const aws = createClients({ endpoint: stack.endpoint, region: 'us-east-1' });
    clock = { seconds: 0 };
    store = new DynamoAlertingStore(local.table, config);
    routes = createAlertRoutes(() => ({ store, newId: () => `sil-${++ids}` }));
    deps = {
      clock: { now: () => new Date(t0 + clock.seconds * 1000) },
      store,
      observations: local.store,
      log: local.store,
      notifier: new SnsNotifier(aws.sns, stack.topicArn, stack.endpoint),
      config,
    };
    watch = new FleetWatch(stack.endpoint, stack.tableName, stack.inboxQueueUrl);
  });

  it('POST /silences answers 400 naming the field, and creates a silence that mutes the service', async () => {
    const bad = await call('POST', '/silences', {
      body: { matchers: [{ label: 'colour', value: 'x' }], durationMinutes: 60 },
    });
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json.issues)).toContain('matchers.0.label');
    const neither = await call('POST', '/silences', {
      body: { matchers: [{ label: 'service', value: 'web' }] },
    });
    expect(neither.statusCode).toBe(400);
    expect(JSON.stringify(neither.json.issues)).toContain('endsAt');

    const created = await call('POST', '/silences', {
      body: { matchers: [{ label: 'service', value: 'web' }], durationMinutes: 60 },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json.silence).toMatchObject({ createdBy: 'ci-bot', status: 'active' });

    // The pipeline reads the silence from the table: web's incident stays quiet.
    await processAlertInput(deps, { kind: 'anomaly', anomaly: anomaly('web', 0) });
    clock.seconds = 40;
    expect((await flushServiceAlerts(deps, 'web')).published).toEqual([]);
    const opened = await processAlertInput(deps, { kind: 'anomaly', anomaly: anomaly('api', 40) });
    clock.seconds = 80;
    const flushed = await flushServiceAlerts(deps, 'api');
    // Sent at once (a critical incident pages without group wait) or after the wait: once either way.
    expect([...opened.published, ...flushed.published]).toHaveLength(1);
    const inbox = await watch.receive(2);
    expect(inbox.map((m) => m.attributes.service)).toEqual(['api']);
  });

  it('GET and DELETE /silences: listed with status, ended by delete, 404 when unknown', async () => {
    const created = await call('POST', '/silences', {
      body: { matchers: [{ label: 'severity', value: 'warning' }], durationMinutes: 30 },
    });
    const id = (created.json.silence as { id: string }).id;
    const listed = await call('GET', '/silences', { query: { status: 'active' } });
    expect((listed.json.silences as { id: string }[]).map((s) => s.id)).toEqual([id]);

    clock.seconds = 60;
    const deleted = await call('DELETE', `/silences/${id}`, { params: { id } });
    expect(deleted.statusCode).toBe(200);
    expect(deleted.json.silence).toMatchObject({ status: 'expired', endsAt: iso(60) });
    const again = await call('DELETE', `/silences/${id}`, { params: { id } });
    expect(again.statusCode).toBe(200);
    const missing = await call('DELETE', '/silences/sil-nope', { params: { id: 'sil-nope' } });
    expect(missing.statusCode).toBe(404);
    const badStatus = await call('GET', '/silences', { query: { status: 'sleeping' } });
    expect(badStatus.statusCode).toBe(400);
    expect(JSON.stringify(badStatus.json.issues)).toContain('status');
  });

  it('POST /incidents/{id}/ack acknowledges once, stops repeats, and writes conditionally', async () => {
    await processAlertInput(deps, { kind: 'anomaly', anomaly: anomaly('web', 0) });
    clock.seconds = 40;
    await flushServiceAlerts(deps, 'web');
    const [incident] = (await store.listIncidents({ limit: 10 })).incidents;
    const id = incident!.id;

    const bad = await call('POST', `/incidents/${id}/ack`, {
      params: { id },
      body: { by: 'x'.repeat(101) },
    });
    expect(bad.statusCode).toBe(400);
    // Issues name the part of the request, as on every route (the pipeline checks the body).
    expect(JSON.stringify(bad.json.issues)).toContain('"body.by"');

    const acked = await call('POST', `/incidents/${encodeURIComponent(id)}/ack`, {
      params: { id: encodeURIComponent(id) },
      body: { comment: 'looking' },
    });
    expect(acked.statusCode).toBe(200);
    expect(acked.json.incident).toMatchObject({
      id,
      acknowledgement: { by: 'ci-bot', comment: 'looking' },
    });
    const twice = await call('POST', `/incidents/${id}/ack`, { params: { id }, body: { by: 'b' } });
    expect((twice.json.incident as { acknowledgement: { by: string } }).acknowledgement.by).toBe(
      'ci-bot',
    );
    const unknown = 'inc~web~2020-01-01T00:00:00.000Z';
    expect(
      (await call('POST', `/incidents/${unknown}/ack`, { params: { id: unknown }, body: {} }))
        .statusCode,
    ).toBe(404);

    // A writer holding a stale version loses.
    await expect(
      store.saveIncident({ ...incident!, version: incident!.version + 1 }, incident!.version),
    ).rejects.toBeInstanceOf(ConflictError);

    // Acknowledged: no repeat after the repeat interval.
    await watch.receive(1);
    clock.seconds = 40 + config.repeatIntervalSeconds + 60;
    await processAlertInput(deps, { kind: 'anomaly', anomaly: anomaly('web', clock.seconds) });
    expect((await flushServiceAlerts(deps, 'web')).published).toEqual([]);
  });

  it('GET /incidents filters by service and time and pages with a cursor', async () => {
    for (const [k, service] of ['web', 'api', 'worker', 'web'].entries()) {
      clock.seconds = k * 4000;
      await processAlertInput(deps, { kind: 'anomaly', anomaly: anomaly(service, clock.seconds) });
    }
    const first = await call('GET', '/incidents', { query: { limit: '2' } });
    expect(first.statusCode).toBe(200);
    const page1 = first.json.incidents as { id: string; openedAt: string }[];
    expect(page1.map((i) => i.openedAt)).toEqual([iso(12000), iso(8000)]);
    const second = await call('GET', '/incidents', {
      query: { limit: '2', cursor: String(first.json.nextCursor) },
    });
    expect((second.json.incidents as { openedAt: string }[]).map((i) => i.openedAt)).toEqual([
      iso(4000),
      iso(0),
    ]);
    const web = await call('GET', '/incidents', { query: { service: 'web', from: iso(1) } });
    expect((web.json.incidents as { id: string }[]).map((i) => i.id)).toEqual([
      `inc~web~${iso(12000)}`,
    ]);
    const badLimit = await call('GET', '/incidents', { query: { limit: '0' } });
    expect(badLimit.statusCode).toBe(400);
    expect(JSON.stringify(badLimit.json.issues)).toContain('limit');
    const badCursor = await call('GET', '/incidents', { query: { cursor: 'garbage' } });
    expect(badCursor.statusCode).toBe(400);
    expect(JSON.stringify(badCursor.json.issues)).toContain('cursor');
  });
});
