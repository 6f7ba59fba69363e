// The repository against the real emulator: conditional writes make every state change safe to repeat.
import { beforeEach, describe, expect, it } from 'vitest';
import { ConflictError } from '../../src/errors';
import type { Decision } from '../../src/model';
import { SingleTableStore } from '../../lib/store/single-table-store';
import { Table } from '../../lib/store/table';
import { createClients } from '../../lib/aws/clients';
import { freshLocalStack, localAdapters } from '../support/local-aws';

let store: SingleTableStore;
let endpoint: string;

const decision: Decision = {
  id: 'web~2026-11-22T10:00:00.000Z~cpu~decision',
  serviceId: 'web',
  anomalyId: 'web~2026-11-22T10:00:00.000Z~cpu',
  at: '2026-11-22T10:00:00.000Z',
  action: 'scale-out',
  fromCount: 2,
  toCount: 4,
  reason: 'cpu 90% vs target 60%',
  mode: 'auto',
  status: 'approved',
  requestedBy: 'vigia:decide',
  result: null,
};
const now = new Date('2026-11-22T10:00:02Z');

beforeEach(async () => {
  const stack = await freshLocalStack();
  endpoint = stack.endpoint;
  store = localAdapters(stack.endpoint, stack.tableName).store;
});

describe('the single-table store', () => {
  it('writes a decision once, and lets exactly one of two concurrent scalers claim it', async () => {
    expect(await store.putDecision(decision, now)).toBe(true);
    expect(await store.putDecision({ ...decision, toCount: 9 }, now)).toBe(false);

    const stale = new Date(now.getTime() - 300_000);
    const claims = await Promise.all([
      store.claimDecision('web', decision.id, now, stale),
      store.claimDecision('web', decision.id, now, stale),
    ]);

    expect(claims.filter(Boolean)).toHaveLength(1);
    expect((await store.getDecision('web', decision.id))?.status).toBe('executing');
    expect((await store.getDecision('web', decision.id))?.toCount).toBe(4);
  });

  it('records the result only on a decision that is executing', async () => {
    await store.putDecision(decision, now);
    await store.claimDecision('web', decision.id, now, new Date(0));

    await store.finishDecision('web', decision.id, {
      status: 'executed',
      result: 'desired count 2 → 4',
      finishedAt: now,
    });
    const again = store.finishDecision('web', decision.id, {
      status: 'failed',
      result: 'x',
      finishedAt: now,
    });

    await expect(again).rejects.toThrow(ConflictError);
    expect(await store.getDecision('web', decision.id)).toMatchObject({
      status: 'executed',
      result: 'desired count 2 → 4',
    });
  });

  it('saves a detector model only from the version it read', async () => {
    await store.saveModel('web', 'cpu', { lastTimestamp: 1, detector: {} }, 0);
    const [record] = await store.loadModels('web');

    await store.saveModel('web', 'cpu', { lastTimestamp: 2, detector: {} }, record!.version);
    const lost = store.saveModel('web', 'cpu', { lastTimestamp: 3, detector: {} }, record!.version);

    await expect(lost).rejects.toThrow(ConflictError);
    expect((await store.loadModels('web'))[0]).toMatchObject({
      version: 2,
      state: { lastTimestamp: 2 },
    });
  });

  it('publishes a notification once: a second claim sees it sent, a crashed one is taken over', async () => {
    expect(await store.claim('k1', now, new Date(0))).toBe('claimed');
    expect(await store.claim('k1', now, new Date(0))).toBe('in-flight');
    await store.markSent('k1', 'msg-1', now);
    expect(await store.claim('k1', now, new Date(0))).toBe('already-sent');

    await store.claim('k2', now, new Date(0));
    expect(
      await store.claim('k2', new Date(now.getTime() + 120_000), new Date(now.getTime() + 60_000)),
    ).toBe('claimed');
  });

  it('names the missing table and the endpoint', async () => {
    const aws = createClients({ endpoint, region: 'us-east-1' });
    const missing = new SingleTableStore(new Table(aws.dynamo, 'vigia-nope', endpoint));

    await expect(missing.lastCollectorRun()).rejects.toThrow(
      `DynamoDB table 'vigia-nope' does not exist at ${endpoint}`,
    );
  });

  it('names an endpoint that does not answer', async () => {
    const dead = 'http://127.0.0.1:9';
    const aws = createClients({ endpoint: dead, region: 'us-east-1' });
    const unreachable = new SingleTableStore(new Table(aws.dynamo, 'vigia-dev', dead));

    await expect(unreachable.lastCollectorRun()).rejects.toThrow(
      `cannot reach DynamoDB table 'vigia-dev' at ${dead}`,
    );
  });
});
