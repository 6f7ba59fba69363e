// A verification whose transaction landed but whose answer was lost (the soak's "cut after" fault
// between the verify function and moto): the SDK sends the same transaction again, and it is
// cancelled on its own outcome. That is this run's verification, not one another run committed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoLearningStore } from '../../lib/store/learning-store';
import { aDecision } from '../support/builders';
import { freshLocalStack, localAdapters } from '../support/local-aws';
import { cutTheFirst, scriptedFaults, type ScriptedFaults } from '../support/scripted-faults';

const now = new Date('2026-03-02T10:00:00.000Z');
let faults: ScriptedFaults;
let learning: DynamoLearningStore;
let direct: ReturnType<typeof localAdapters>;

beforeAll(async () => {
  const stack = await freshLocalStack();
  faults = await scriptedFaults(stack.endpoint);
  direct = localAdapters(stack.endpoint, stack.tableName);
  learning = new DynamoLearningStore(localAdapters(faults.through, stack.tableName).table);
});

afterAll(async () => {
  await faults.stop();
});

async function executed(minutesAgo: number) {
  const d = aDecision({
    at: new Date(now.getTime() - minutesAgo * 60_000).toISOString(),
    status: 'executed',
  });
  await direct.store.putDecision(d, now);
  return d;
}

async function commit(decision: Awaited<ReturnType<typeof executed>>) {
  return learning.commitVerification({
    decision,
    outcome: 'resolved',
    detail: 'cpu back under target',
    verifiedAt: now,
    stats: null,
    summary: await learning.loadSummary(),
    compensation: null,
  });
}

describe('a verification whose answer was lost', () => {
  it('is committed, not "verified" by another run', async () => {
    const decision = await executed(10);
    const writes = cutTheFirst(faults, 'dynamodb:TransactWriteItems', 'outcomeDetail');

    const out = await commit(decision);

    expect(writes()).toBeGreaterThanOrEqual(2);
    expect(out).toBe('committed');
    faults.script = () => null;
  });

  it('still answers "verified" for a decision another run verified', async () => {
    const decision = await executed(20);
    expect(await commit(decision)).toBe('committed');

    expect(await commit(decision)).toBe('verified');
  });
});
