// An operator's request whose write landed but whose answer was lost (the soak's "cut after"
// fault, injected by bench/soak/fault-proxy.ts between the api function and moto): the SDK sends the
// same conditional write again, and its condition now fails on the write's own result. That is the
// write done, not a server error: the soak's one 500, an approval whose audit entry was already in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminCaller, apiRequest } from '../support/api-get';
import { aDecision } from '../support/builders';
import { freshLocalStack, localAdapters, useStackEnvironment } from '../support/local-aws';
import { cutTheFirst, scriptedFaults, type ScriptedFaults } from '../support/scripted-faults';

const now = Date.parse('2026-03-02T10:00:00.000Z');
const billing = {
  id: 'billing',
  name: 'Billing',
  type: 'api',
  ecs: { cluster: 'vigia-demo', service: 'billing' },
  minTasks: 1,
  maxTasks: 4,
};
let faults: ScriptedFaults;
const call = adminCaller(now);

const proposed = aDecision({
  serviceId: 'billing',
  at: new Date(now - 60_000).toISOString(),
  status: 'proposed',
  mode: 'approve',
});
const another = aDecision({
  serviceId: 'billing',
  at: new Date(now - 30_000).toISOString(),
  status: 'proposed',
  mode: 'approve',
});

beforeAll(async () => {
  const stack = await freshLocalStack();
  faults = await scriptedFaults(stack.endpoint);
  useStackEnvironment({ ...stack, endpoint: faults.through });
  const direct = localAdapters(stack.endpoint, stack.tableName);
  expect((await call('POST', '/services', billing)).status).toBe(201);
  await direct.store.putDecision(proposed, new Date(now));
  await direct.store.putDecision(another, new Date(now));
});

afterAll(async () => {
  await faults.stop();
});

describe('an approval whose audit entry was written but whose answer was lost', () => {
  it('is answered 200 with the decision approved, and audited once', async () => {
    const auditWrites = cutTheFirst(faults, 'dynamodb:PutItem', '"kind":{"S":"action"}');

    const res = await call('POST', `/decisions/${encodeURIComponent(proposed.id)}/approve`, {});

    expect(auditWrites()).toBeGreaterThanOrEqual(2);
    expect(res.status).toBe(200);
    expect(res.json.decision).toMatchObject({ id: proposed.id, status: 'approved' });
    faults.script = () => null;
    const actions = await call('GET', '/actions', undefined, { service: 'billing' });
    expect(
      (actions.json.items as { type: string }[]).filter((a) => a.type === 'approve'),
    ).toHaveLength(1);
  });
});

describe('an approval whose verdict was written but whose answer was lost', () => {
  it('is answered 200 with the decision approved, not 409 "not proposed"', async () => {
    const verdictWrites = cutTheFirst(faults, 'dynamodb:UpdateItem', 'reviewedBy');

    const res = await call('POST', `/decisions/${encodeURIComponent(another.id)}/approve`, {});

    expect(verdictWrites()).toBeGreaterThanOrEqual(2);
    expect(res.status).toBe(200);
    expect(res.json.decision).toMatchObject({ id: another.id, status: 'approved' });
    faults.script = () => null;
  });

  it('still answers 409 to a second approval of it', async () => {
    const res = await call('POST', `/decisions/${encodeURIComponent(another.id)}/approve`, {});

    expect(res.status).toBe(409);
  });
});

const orders = {
  id: 'orders',
  name: 'Orders',
  type: 'api',
  ecs: { cluster: 'vigia-demo', service: 'orders' },
  minTasks: 1,
  maxTasks: 4,
};

describe('a service write whose answer was lost', () => {
  it('registers it: 201, not 409 "already exists"', async () => {
    const serviceWrites = cutTheFirst(faults, 'dynamodb:PutItem', '"kind":{"S":"service"}');

    const res = await call('POST', '/services', orders);

    expect(serviceWrites()).toBeGreaterThanOrEqual(2);
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ id: 'orders', version: 1 });
    faults.script = () => null;
  });

  it('replaces it: 200 at the next version, not 409 "changed since"', async () => {
    const serviceWrites = cutTheFirst(faults, 'dynamodb:PutItem', '"kind":{"S":"service"}');

    const res = await call('PUT', '/services/orders', { ...orders, maxTasks: 6 });

    expect(serviceWrites()).toBeGreaterThanOrEqual(2);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id: 'orders', version: 2, maxTasks: 6 });
    faults.script = () => null;
  });

  it('sets its mode: 200, not 409', async () => {
    const serviceWrites = cutTheFirst(faults, 'dynamodb:PutItem', '"kind":{"S":"service"}');

    const res = await call('PUT', '/services/orders/mode', { mode: 'dry-run' });

    expect(serviceWrites()).toBeGreaterThanOrEqual(2);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id: 'orders', version: 3, mode: 'dry-run' });
    faults.script = () => null;
  });

  it('still answers 409 to a replacement from a version already gone', async () => {
    const res = await apiRequest('PUT', '/services/orders', {
      now: new Date(now + 600_000),
      scopes: ['admin'],
      body: { ...orders, maxTasks: 8 },
      headers: { 'if-match': '"2"' },
    });

    expect(res.status).toBe(409);
  });

  it('removes it: 204, not 409, and it is gone', async () => {
    const deletes = cutTheFirst(faults, 'dynamodb:DeleteItem', '"S":"SVC#orders"');

    const res = await call('DELETE', '/services/orders');

    expect(deletes()).toBeGreaterThanOrEqual(2);
    expect(res.status).toBe(204);
    faults.script = () => null;
    expect((await call('GET', '/services/orders')).status).toBe(404);
  });
});

describe('a silence whose write landed but whose answer was lost', () => {
  it('is answered 201 with the silence, not 409 "exists already"', async () => {
    const silenceWrites = cutTheFirst(faults, 'dynamodb:PutItem', '"kind":{"S":"silence"}');

    const res = await call('POST', '/silences', {
      matchers: [{ label: 'service', value: 'billing' }],
      durationMinutes: 60,
    });

    expect(silenceWrites()).toBeGreaterThanOrEqual(2);
    expect(res.status).toBe(201);
    expect(res.json.silence).toMatchObject({ status: 'active' });
    faults.script = () => null;
  });
});

describe('a manual action whose transaction landed but whose answer was lost', () => {
  it('is answered 202 with its decision, not 200 "repeated"', async () => {
    const transactions = cutTheFirst(
      faults,
      'dynamodb:TransactWriteItems',
      '"kind":{"S":"action"}',
    );

    const res = await call('POST', '/services/billing/actions', { type: 'scale', desiredCount: 3 });

    expect(transactions()).toBeGreaterThanOrEqual(2);
    expect(res.status).toBe(202);
    expect(res.json).toMatchObject({ repeated: false, decision: { toCount: 3 } });
    faults.script = () => null;
  });
});
