// The status page's history against the emulator: notify's save of a resolved incident keeps it
// (once, however often it is saved), and GET /status shows uptime, the day's bar, the incident's
// timeline and the recent load from what the table holds.
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { apiHandler } from '../../lib/http/api-pipeline';
import { createStatusRoutes } from '../../lib/http/routes/status';
import type { HttpResult } from '../../lib/middleware/http';
import { apiAdapters, type ApiAdapters } from '../../lib/wiring/api';
import {
  emptyAlertingState,
  noteFromDecision,
  openIncident,
  type Incident,
} from '../../src/alerting';
import { anomaly, aSample, at, decision, isoAt } from '../support/builders';
import { freshLocalStack, localConfig } from '../support/local-aws';

describe('status history', () => {
  let a: ApiAdapters;

  beforeEach(async () => {
    const stack = await freshLocalStack();
    a = apiAdapters(localConfig(stack.endpoint, stack.tableName));
  });

  /** A critical incident on web from t0 to 30 min, during which vigia scaled out. */
  async function resolveAnIncident(): Promise<Incident> {
    const opened = openIncident(anomaly('web', 'cpu', 0, 'critical'), at(0));
    await a.alerting.saveServiceState(
      emptyAlertingState(),
      { ...emptyAlertingState(), incidents: [opened] },
      at(0),
    );
    const scaled = noteFromDecision(decision('web', 60, { fromCount: 2, toCount: 4 }));
    const resolved: Incident = {
      ...opened,
      status: 'resolved',
      resolvedAt: isoAt(1800),
      notes: [scaled],
      version: opened.version + 1,
    };
    await a.alerting.saveServiceState(
      { ...emptyAlertingState(), incidents: [opened] },
      { ...emptyAlertingState(), incidents: [resolved] },
      at(1800),
    );
    return resolved;
  }

  it('keeps a resolved incident once, however often notify saves it', async () => {
    const resolved = await resolveAnIncident();
    // The closing message bumps the incident again: the kept copy is not written twice.
    const closed = { ...resolved, version: resolved.version + 1 };
    await a.alerting.saveServiceState(
      { ...emptyAlertingState(), incidents: [resolved] },
      { ...emptyAlertingState(), incidents: [closed] },
      at(1900),
    );

    const out = await a.table.send(
      new QueryCommand({
        TableName: a.table.name,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
        ExpressionAttributeValues: { ':pk': 'SVC#web', ':p': 'PAST#' },
      }),
    );
    expect(out.Items).toHaveLength(1);
    expect(out.Items![0]).toMatchObject({ id: resolved.id, resolvedAt: isoAt(1800) });
    // Kept past the incident's own one-day retention, for the 90-day bars.
    expect(out.Items![0]!.expiresAt).toBeGreaterThan(at(1800).getTime() / 1000 + 99 * 86_400);
  });

  it('GET /status shows uptime, the day bar, the timeline and the load', async () => {
    await resolveAnIncident();
    // Watched since yesterday; CPU over the last hour.
    await a.store.putSample(aSample({ at: isoAt(-86_400) }), at(-86_400));
    for (let m = 0; m < 60; m += 1) {
      await a.store.putSample(
        aSample({ at: isoAt(m * 60), metrics: { cpu: m < 30 ? 90 : 40 } }),
        at(m * 60),
      );
    }
    const now = at(3600);
    const handler = apiHandler(
      createStatusRoutes(() => a),
      {
        now: () => now,
        authenticate: async () => null,
        rateLimit: async () => ({ allowed: true, retryAfterSeconds: 0, remaining: 100 }),
      },
    );
    const event = {
      rawPath: '/status',
      headers: {},
      isBase64Encoded: false,
      requestContext: { requestId: 'r1', http: { method: 'GET' } },
    } as unknown as APIGatewayProxyEventV2;
    const res = (await handler(event, {} as Context)) as HttpResult;
    expect(res.statusCode).toBe(200);
    const body = JSON.parse(res.body);

    const web = body.services.find((s: { id: string }) => s.id === 'web');
    // 30 minutes of outage in the last 24 hours, and in the 25 hours vigia has watched web.
    expect(web.uptime).toEqual({ '24h': 97.917, '7d': 98, '90d': 98 });
    expect(web.days).toHaveLength(90);
    expect(web.days.at(-1)).toMatchObject({
      date: '2026-03-02',
      state: 'outage',
      outageMinutes: 30,
    });
    expect(web.days.at(-2)).toMatchObject({ date: '2026-03-01', state: 'operational' });
    expect(web.days.at(-3)).toMatchObject({ state: 'no-data' });
    expect(web.load.metric).toBe('cpu');
    expect(web.load.points.length).toBeGreaterThan(5);
    expect(web.load.points[0].value).toBe(90);
    expect(web.load.points.at(-1).value).toBe(40);
    // The incident is over and nothing is unusual now: fully healthy, as its state says.
    expect(web.health).toEqual({ score: 100, state: 'operational' });
    expect(web.state).toBe('operational');

    // A service never sampled has no uptime rather than 100%.
    const api = body.services.find((s: { id: string }) => s.id === 'api');
    expect(api.uptime['90d']).toBeNull();

    expect(body.pastIncidents).toHaveLength(1);
    const [past] = body.pastIncidents;
    expect(past).toMatchObject({ service: 'Web storefront', severity: 'critical' });
    expect(past.timeline.map((e: { kind: string }) => e.kind)).toEqual([
      'opened',
      'acted',
      'resolved',
    ]);
    expect(past.timeline[1].text).toContain('vigia scaled out from 2 to 4 tasks');
  });
});
