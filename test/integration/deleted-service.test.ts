// A service removed through the API, through the api function's real handler against the emulator:
// its proposed decision can no longer be approved (a 409 naming the service, and the decision is
// rejected with that reason), and /services and /status no longer show it. Its history stays.
import { beforeAll, describe, expect, it } from 'vitest';
import { adminCaller } from '../support/api-get';
import { aDecision } from '../support/builders';
import { freshLocalStack, localAdapters, useStackEnvironment } from '../support/local-aws';

const now = Date.parse('2026-03-02T10:00:00.000Z');
const billing = {
  id: 'billing',
  name: 'Billing',
  type: 'api',
  ecs: { cluster: 'vigia-demo', service: 'billing' },
  minTasks: 1,
  maxTasks: 4,
};
const call = adminCaller(now);

const proposed = aDecision({
  serviceId: 'billing',
  at: new Date(now - 60_000).toISOString(),
  status: 'proposed',
  mode: 'approve',
});

beforeAll(async () => {
  const stack = await freshLocalStack();
  useStackEnvironment(stack);
  const a = localAdapters(stack.endpoint, stack.tableName);
  expect((await call('POST', '/services', billing)).status).toBe(201);
  await a.store.putDecision(proposed, new Date(now));
  expect((await call('DELETE', '/services/billing')).status).toBe(204);
});

describe('a deleted service', () => {
  it('cannot have its proposed decision approved: 409 naming it, and the decision is rejected', async () => {
    const res = await call('POST', `/decisions/${encodeURIComponent(proposed.id)}/approve`);

    expect(res.status).toBe(409);
    expect(res.json.message).toContain("service 'billing' no longer exists");
    const stored = await call('GET', '/decisions', undefined, { service: 'billing' });
    expect(stored.json.items).toEqual([
      expect.objectContaining({
        id: proposed.id,
        status: 'rejected',
        reviewNote: "service 'billing' no longer exists",
      }),
    ]);
  });

  it('is no longer listed by /services or /status', async () => {
    const services = await call('GET', '/services');
    const status = await call('GET', '/status');

    const ids = (services.json.items as { id: string }[]).map((s) => s.id);
    expect(ids).not.toContain('billing');
    expect(ids.length).toBeGreaterThan(0);
    expect(JSON.stringify(status.json)).not.toContain('billing');
  });
});
