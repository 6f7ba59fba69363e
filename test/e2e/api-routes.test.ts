// Every route of the HTTP API through the real serverless offline: auth and scopes, services CRUD,
// pushed metrics, history with pagination, manual actions, review of proposed decisions, report,
// OpenAPI, and the validation messages a client sees.
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Decision } from '../../src/model';
import { SingleTableStore } from '../../lib/store/single-table-store';
import { startOfflineStack } from '../support/offline-fixture';
import { apiKit } from './api-support';

let ctx: Awaited<ReturnType<typeof startOfflineStack>>;
let kit: ReturnType<typeof apiKit>;
let read: string, operate: string, admin: string;

beforeAll(async () => {
  ctx = await startOfflineStack();
  kit = apiKit(ctx.stack.endpoint, ctx.stack.tableName, ctx.offline.httpUrl);
  [read, operate, admin] = await Promise.all([
    kit.key('reader', ['read']),
    kit.key('operator', ['operate']),
    kit.key('admin', ['admin']),
  ]);
});

afterAll(async () => {
  await ctx?.offline.stop();
});

const newService = {
  id: 'billing',
  name: 'Billing',
  type: 'api',
  ecs: { cluster: 'vigia-demo', service: 'billing' },
  minTasks: 1,
  maxTasks: 4,
};

describe('auth and scopes', () => {
  it('answers /status and / without a key, and /health minimally', async () => {
    const status = await kit.call('GET', '/status');
    expect(status.status).toBe(200);
    expect(status.headers.get('cache-control')).toMatch(/max-age/);
    expect(status.json.services.map((s: { id: string }) => s.id)).toEqual(
      expect.arrayContaining(['web', 'api', 'worker']),
    );
    expect(status.json).toHaveProperty('incidents');
    expect(status.json).toHaveProperty('recentActions');
    const page = await kit.call('GET', '/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const health = await kit.call('GET', '/health');
    expect(Object.keys(health.json).sort()).toEqual(['checkedAt', 'status']);
    const full = await kit.call('GET', '/health', { key: read });
    expect(full.json.systems).toHaveProperty('collector');
    expect([200, 503]).toContain(full.status);
  });

  it('refuses a missing key (401), a wrong key (401) and a too-small scope (403)', async () => {
    expect((await kit.call('GET', '/services')).status).toBe(401);
    const wrong = await kit.call('GET', '/services', { key: 'vk_' + 'x'.repeat(43) });
    expect(wrong.status).toBe(401);
    expect(wrong.json.error).toBe('unauthorized');
    const forbidden = await kit.call('POST', '/services', { key: read, body: newService });
    expect(forbidden.status).toBe(403);
    expect(forbidden.json.message).toMatch(/admin/);
    expect((await kit.call('POST', '/services', { key: operate, body: newService })).status).toBe(
      403,
    );
  });

  it('answers unknown routes 404 and wrong methods 405', async () => {
    expect((await kit.call('GET', '/nope', { key: read })).status).toBe(404);
    const m = await kit.call('PATCH', '/services', { key: admin });
    expect([404, 405]).toContain(m.status);
  });

  it('stops working once a key is revoked', async () => {
    const key = await kit.key('short-lived', ['read']);
    expect((await kit.call('GET', '/services', { key })).status).toBe(200);
    const listed = await kit.keys.list();
    const id = listed.find((k) => k.name === 'short-lived')!.keyId;
    expect(await kit.keys.revoke(id, new Date())).toBe(true);
    expect((await kit.call('GET', '/services', { key })).status).toBe(401);
  });

  it('rate-limits per key with 429 and Retry-After', async () => {
    const key = await kit.key('limited', ['read'], 3);
    const codes: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 5; i++) {
      const r = await kit.call('GET', '/services', { key });
      codes.push(r.status);
      if (r.status === 429) retryAfter = r.headers.get('retry-after');
    }
    // A minute boundary may fall inside the loop and reset the counter once.
    expect(codes.filter((c) => c === 429).length).toBeGreaterThanOrEqual(1);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(retryAfter)).toBeLessThanOrEqual(60);
    // Another key is not affected.
    expect((await kit.call('GET', '/services', { key: read })).status).toBe(200);
  });
});

describe('services', () => {
  it('creates, reads, replaces and deletes a runtime service with conditional writes', async () => {
    const created = await kit.call('POST', '/services', { key: admin, body: newService });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ id: 'billing', source: 'api', version: 1, mode: 'auto' });
    expect((await kit.call('POST', '/services', { key: admin, body: newService })).status).toBe(
      409,
    );

    const got = await kit.call('GET', '/services/billing', { key: read });
    expect(got.json.targets).toEqual({ cpu: 70, memory: 75 });
    const list = await kit.call('GET', '/services', { key: read });
    expect(list.json.items.map((s: { id: string }) => s.id)).toContain('billing');

    const stale = await kit.call('PUT', '/services/billing', {
      key: admin,
      body: { ...newService, maxTasks: 8 },
      headers: { 'if-match': '"7"' },
    });
    expect(stale.status).toBe(409);
    const put = await kit.call('PUT', '/services/billing', {
      key: admin,
      body: { ...newService, maxTasks: 8 },
      headers: { 'if-match': '"1"' },
    });
    expect(put.status).toBe(200);
    expect(put.json).toMatchObject({ maxTasks: 8, version: 2 });

    expect((await kit.call('DELETE', '/services/billing', { key: admin })).status).toBe(204);
    expect((await kit.call('GET', '/services/billing', { key: read })).status).toBe(404);
  });

  it('overrides a declared service, and deleting the override reverts to the config file', async () => {
    expect((await kit.call('DELETE', '/services/worker', { key: admin })).status).toBe(409);
    const mode = await kit.call('PUT', '/services/worker/mode', {
      key: operate,
      body: { mode: 'approve' },
    });
    expect(mode.status).toBe(200);
    expect(mode.json).toMatchObject({ id: 'worker', mode: 'approve', source: 'config-override' });
    expect((await kit.call('GET', '/services/worker', { key: read })).json.mode).toBe('approve');
    expect((await kit.call('DELETE', '/services/worker', { key: admin })).status).toBe(204);
    const back = await kit.call('GET', '/services/worker', { key: read });
    expect(back.json).toMatchObject({ mode: 'auto', source: 'config' });
  });

  it('names each bad field in a 400, and refuses non-JSON bodies with 415 and huge ones with 413', async () => {
    const bad = await kit.call('POST', '/services', {
      key: admin,
      body: { id: 'Bad Id', name: '', ecs: { cluster: 'c' }, minTasks: 5, maxTasks: 2 },
    });
    expect(bad.status).toBe(400);
    const paths = bad.json.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['body.id', 'body.name', 'body.ecs.service']));
    const mismatch = await kit.call('PUT', '/services/web', {
      key: admin,
      body: { ...newService, id: 'other' },
    });
    expect(mismatch.status).toBe(400);
    expect(mismatch.json.issues[0].path).toBe('body.id');
    const text = await kit.call('POST', '/services', {
      key: admin,
      raw: 'id=x',
      headers: { 'content-type': 'text/plain' },
    });
    expect(text.status).toBe(415);
    const notJson = await kit.call('POST', '/services', {
      key: admin,
      raw: '{"id":',
      headers: { 'content-type': 'application/json' },
    });
    expect(notJson.status).toBe(400);
    expect(notJson.json.issues[0].path).toBe('body');
    const huge = await kit.call('POST', '/services', {
      key: admin,
      body: { ...newService, description: 'x'.repeat(70_000) },
    });
    expect(huge.status).toBe(413);
    expect((await kit.call('GET', '/services/Not_An_Id', { key: read })).status).toBe(400);
  });
});

describe('pushed metrics and history', () => {
  it('stores pushed metrics for the next tick, and refuses unknown services and bad names', async () => {
    const ok = await kit.call('POST', '/metrics', {
      key: operate,
      body: { serviceId: 'worker', metrics: { queue_depth: 42, active_users: 7 } },
    });
    expect(ok.status).toBe(202);
    expect(ok.json.accepted.sort()).toEqual(['active_users', 'queue_depth']);
    const { PushedMetricStore } = await import('../../lib/store/pushed-metric-store');
    const pushed = new PushedMetricStore(kit.table);
    const batch = await pushed.fetch(
      [{ id: 'worker' } as never],
      new Date(Date.now() - 120_000),
      new Date(Date.now() + 60_000),
    );
    expect(batch.get('worker')?.get('queue_depth')?.[0]?.value).toBe(42);

    const ghost = await kit.call('POST', '/metrics', {
      key: operate,
      body: { serviceId: 'ghost', metrics: { a: 1 } },
    });
    expect(ghost.status).toBe(400);
    expect(ghost.json).toMatchObject({ issues: [{ path: 'body.serviceId' }] });
    const bad = await kit.call('POST', '/metrics', {
      key: operate,
      body: { serviceId: 'worker', metrics: { 'Bad Name': 1, ok: 'high' } },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.issues.map((i: { path: string }) => i.path).join(' ')).toMatch(/body\.metrics/);
  });

  it('scales a service out at once on pushed load, through the stream, without waiting for a tick', async () => {
    const desired = async () =>
      (
        await kit.aws.ecs.send(
          new DescribeServicesCommand({ cluster: 'vigia-demo', services: ['worker'] }),
        )
      ).services![0]!.desiredCount!;
    const before = await desired();

    // Every task of the worker at 98% CPU against its 70% target: 40% more tasks are needed.
    const push = await kit.call('POST', '/metrics', {
      key: operate,
      body: { serviceId: 'worker', metrics: { cpu: 98, tasks: before } },
    });
    expect(push.status).toBe(202);
    expect(push.json.scalingReading).toEqual(expect.any(String));

    let after = before;
    for (let i = 0; i < 60 && after === before; i++) {
      await new Promise((r) => setTimeout(r, 500));
      after = await desired();
    }
    expect(after).toBe(Math.min(Math.ceil(before * 1.4), 6));
    const negative = await kit.call('POST', '/metrics', {
      key: operate,
      body: { serviceId: 'worker', metrics: { requests: -3 } },
    });
    expect(negative.status).toBe(400);
    expect(negative.json.issues).toEqual([
      { path: 'body.metrics.requests', message: 'must not be negative' },
    ]);
  });

  it('lists decisions newest first with cursor pagination and filters', async () => {
    const store = new SingleTableStore(kit.table);
    const base = Date.parse('2026-01-10T10:00:00.000Z');
    for (let i = 0; i < 7; i++) {
      const at = new Date(base + i * 60_000).toISOString();
      const d: Decision = {
        id: `api~${at}~cpu~decision`,
        serviceId: 'api',
        anomalyId: `api~${at}~cpu`,
        at,
        action: 'scale-out',
        fromCount: 2,
        toCount: 3,
        reason: 'test',
        mode: 'approve',
        status: i % 2 === 0 ? 'proposed' : 'executed',
        requestedBy: 'autopilot',
        result: null,
      };
      await store.putDecision(d, new Date());
    }
    const range = 'from=2026-01-10T00:00:00Z&to=2026-01-11T00:00:00Z';
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const r: Awaited<ReturnType<typeof kit.call>> = await kit.call(
        'GET',
        `/decisions?service=api&${range}&limit=3${cursor ? `&cursor=${cursor}` : ''}`,
        { key: read },
      );
      expect(r.status).toBe(200);
      seen.push(...r.json.items.map((d: Decision) => d.at));
      cursor = r.json.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(seen).toHaveLength(7);
    expect([...seen].sort().reverse()).toEqual(seen);
    expect(pages).toBe(3);

    const all = await kit.call('GET', `/decisions?${range}&status=proposed`, { key: read });
    expect(all.json.items).toHaveLength(4);
    const wrongCursor = await kit.call('GET', `/anomalies?cursor=abc`, { key: read });
    expect(wrongCursor.status).toBe(400);
    expect(wrongCursor.json.issues[0].path).toBe('cursor');
    const badRange = await kit.call(
      'GET',
      '/anomalies?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z&limit=0&extra=1',
      { key: read },
    );
    expect(badRange.status).toBe(400);
    const paths = badRange.json.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['query.limit', 'query']));

    // Review a proposed decision: approve once, the second time is a conflict.
    const proposedId = `api~${new Date(base).toISOString()}~cpu~decision`;
    const approve = await kit.call('POST', `/decisions/${encodeURIComponent(proposedId)}/approve`, {
      key: operate,
    });
    expect(approve.status).toBe(200);
    expect(approve.json.decision).toMatchObject({ status: 'approved', reviewedBy: 'api:operator' });
    expect(
      (
        await kit.call('POST', `/decisions/${encodeURIComponent(proposedId)}/reject`, {
          key: operate,
        })
      ).status,
    ).toBe(409);
    const rejectId = `api~${new Date(base + 2 * 60_000).toISOString()}~cpu~decision`;
    const reject = await kit.call('POST', `/decisions/${encodeURIComponent(rejectId)}/reject`, {
      key: operate,
      body: { reason: 'expected load' },
    });
    expect(reject.json.decision.status).toBe('rejected');
    expect(
      (
        await kit.call('POST', `/decisions/${encodeURIComponent('api~nope~decision')}/approve`, {
          key: operate,
        })
      ).status,
    ).toBe(404);

    const history = await kit.call('GET', '/services/web/metrics?metric=cpu', { key: read });
    expect(history.status).toBe(200);
    expect(history.json).toMatchObject({ serviceId: 'web', metric: 'cpu' });
    expect((await kit.call('GET', '/services/ghost/metrics', { key: read })).status).toBe(404);
    expect((await kit.call('GET', '/anomalies?service=web', { key: read })).status).toBe(200);
  });
});

describe('manual actions and report', () => {
  it('records a manual scale as an approved decision that the scale consumer executes', async () => {
    const out = await kit.call('POST', '/services/web/actions', {
      key: operate,
      body: { type: 'scale', desiredCount: 5 },
    });
    expect(out.status).toBe(202);
    expect(out.json.decision).toMatchObject({
      serviceId: 'web',
      toCount: 5,
      requestedBy: 'api:operator',
    });
    const id = out.json.decision.id as string;
    const store = new SingleTableStore(kit.table);
    // The scale consumer picks it up from the stream like any automatic decision: claimed
    // (executing), then executed or failed.
    let status = 'approved';
    for (let i = 0; i < 40 && status === 'approved'; i++) {
      await new Promise((r) => setTimeout(r, 500));
      status = (await store.getDecision('web', id))?.status ?? '';
    }
    status = (await store.getDecision('web', id))?.status ?? '';
    expect(['executing', 'executed', 'failed']).toContain(status);

    const tooMany = await kit.call('POST', '/services/web/actions', {
      key: operate,
      body: { type: 'scale', desiredCount: 99 },
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.json.issues[0]).toMatchObject({ path: 'body.desiredCount' });
    expect(tooMany.json.issues[0].message).toMatch(/maxTasks 12/);
    const unknown = await kit.call('POST', '/services/web/actions', {
      key: operate,
      body: { type: 'explode' },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.json.issues[0].path).toBe('body.type');

    const restart = await kit.call('POST', '/services/api/actions', {
      key: operate,
      body: { type: 'restart' },
    });
    expect(restart.status).toBe(202);
    expect(restart.json.decision.action).toBe('restart');
    const recover = await kit.call('POST', '/services/worker/actions', {
      key: operate,
      body: { type: 'recover' },
    });
    expect([200, 202]).toContain(recover.status);
    expect(recover.json.checks.map((c: { name: string }) => c.name)).toContain('tasks running');

    const actions = await kit.call('GET', '/actions?service=web', { key: read });
    // The trail holds the operator's request (and the scaler's own record once it executes).
    expect(actions.json.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'scale', requestedBy: 'api:operator', decisionId: id }),
      ]),
    );
  });

  it('acts once on a request retried with the same Idempotency-Key', async () => {
    const send = (body: unknown, key = 'restart-api-2026-11-22') =>
      kit.call('POST', '/services/api/actions', {
        key: operate,
        body,
        headers: { 'idempotency-key': key },
      });

    const first = await send({ type: 'restart' });
    const retry = await send({ type: 'restart' });
    const different = await send({ type: 'scale', desiredCount: 3 });
    const malformed = await send({ type: 'restart' }, 'has spaces');

    expect(first.status).toBe(202);
    expect(retry.status).toBe(200);
    expect(retry.json).toMatchObject({ repeated: true, decision: { id: first.json.decision.id } });
    expect(different.status).toBe(422);
    expect(different.json).toMatchObject({ error: 'idempotency_key_reused' });
    expect(different.json.message).toMatch(/already used for a different request/);
    expect(malformed.status).toBe(400);
    expect(malformed.json.issues[0].path).toBe('headers.idempotency-key');
    const trail = await kit.call('GET', '/actions?service=api', { key: read });
    const mine = trail.json.items.filter(
      (i: { decisionId: string | null }) => i.decisionId === first.json.decision.id,
    );
    // One request entry; the scale consumer adds at most one execution entry (with its status)
    // for that one decision, depending on whether it has run yet.
    const restarts = mine.filter((i: { type: string }) => i.type === 'restart');
    expect(restarts.filter((i: { status?: string }) => i.status === undefined)).toHaveLength(1);
    expect(
      restarts.filter((i: { status?: string }) => i.status !== undefined).length,
    ).toBeLessThanOrEqual(1);
  });

  it('shows the incident people were alerted about on /status, and that it is being handled', async () => {
    const store = new SingleTableStore(kit.table);
    const at = new Date(Date.now() - 60_000);
    at.setUTCSeconds(0, 0);
    await store.putAnomaly(
      {
        id: `worker~${at.toISOString()}~memory`,
        serviceId: 'worker',
        metric: 'memory',
        at: at.toISOString(),
        value: 91,
        score: 0.96,
        direction: 'up',
        expected: 45,
        lower: 35,
        upper: 55,
        severity: 'critical',
        explanation: 'memory 91% is far above its usual 45%',
        desiredCount: 1,
      },
      new Date(),
    );
    // notify (a stream consumer under serverless offline) opens the incident.
    let incidentId: string | undefined;
    for (let i = 0; i < 40 && !incidentId; i++) {
      await new Promise((r) => setTimeout(r, 500));
      const open = await kit.call('GET', '/incidents?service=worker&status=open', { key: read });
      incidentId = open.json.incidents[0]?.id;
    }
    expect(incidentId).toBeDefined();
    const ack = await kit.call('POST', `/incidents/${encodeURIComponent(incidentId!)}/ack`, {
      key: operate,
      body: { comment: 'looking' },
    });
    expect(ack.status).toBe(200);

    // /status is computed at most every 15 s per container: the page shows it within that.
    let status = await kit.call('GET', '/status');
    for (let i = 0; i < 40; i++) {
      const shown = status.json.incidents.find(
        (x: { id: string; acknowledged?: boolean }) => x.id === incidentId && x.acknowledged,
      );
      if (shown) break;
      await new Promise((r) => setTimeout(r, 500));
      status = await kit.call('GET', '/status');
    }

    expect(status.json.incidents).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          id: incidentId,
          serviceId: 'worker',
          severity: 'critical',
          summary: 'memory 91% is far above its usual 45%',
          acknowledged: true,
        }),
      ]),
    );
    expect(status.json.services.find((s: { id: string }) => s.id === 'worker').state).not.toBe(
      'operational',
    );
  });

  it('reports recovery statistics', async () => {
    const r = await kit.call('GET', '/report?from=2026-01-01T00:00:00Z', { key: read });
    expect(r.status, r.text).toBe(200);
    for (const field of [
      'totalRecoveries',
      'successRate',
      'meanTimeToRecoverSeconds',
      'mostCommonError',
      'mostProblematicComponent',
    ]) {
      expect(r.json).toHaveProperty(field);
    }
    expect(r.json.totalRecoveries).toBeGreaterThanOrEqual(1);
  });

  it('publishes an OpenAPI document generated from the request schemas', async () => {
    const doc = await kit.call('GET', '/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.json.openapi).toBe('3.1.0');
    const post = doc.json.paths['/services'].post;
    expect(post.requestBody.content['application/json'].schema.properties).toHaveProperty('ecs');
    expect(doc.json.paths['/services/{id}/actions'].post.security).toEqual([
      { apiKey: [] },
      { bearer: [] },
    ]);
    expect(Object.keys(doc.json.paths)).toEqual(
      expect.arrayContaining(['/health', '/status', '/decisions/{id}/approve', '/report']),
    );
  });
});
