// An escalation record whose write landed but whose answer was lost (the soak's "cut after" fault
// between the alert timer and moto): the SDK sends the same conditional put again and its version
// condition fails on the write's own result. That is this timer's page to send, not another's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoEscalationStore } from '../../lib/sns/escalation-store';
import type { EscalationState } from '../../src/alerting';
import { freshLocalStack, localAdapters } from '../support/local-aws';
import { cutTheFirst, scriptedFaults, type ScriptedFaults } from '../support/scripted-faults';

const at = '2026-03-02T10:05:00.000Z';
let faults: ScriptedFaults;
let escalations: DynamoEscalationStore;

function firstPage(incidentId: string): EscalationState {
  return {
    incidentId,
    serviceId: 'web',
    pages: [{ level: 0, at, receivers: ['sns:primary'] }],
    version: 1,
  };
}

beforeAll(async () => {
  const stack = await freshLocalStack();
  faults = await scriptedFaults(stack.endpoint);
  escalations = new DynamoEscalationStore(localAdapters(faults.through, stack.tableName).table);
});

afterAll(async () => {
  await faults.stop();
});

describe('an escalation record whose answer was lost', () => {
  it('is recorded (the page is this timer to send), not "another timer paged it"', async () => {
    const writes = cutTheFirst(faults, 'dynamodb:PutItem', '"kind":{"S":"escalation"}');

    const recorded = await escalations.record(firstPage('inc~web~a'), new Date(at));

    expect(writes()).toBeGreaterThanOrEqual(2);
    expect(recorded).toBe(true);
    faults.script = () => null;
    expect(await escalations.load('web', 'inc~web~a')).toMatchObject({ version: 1 });
  });

  it('still refuses the same level recorded by another timer', async () => {
    expect(await escalations.record(firstPage('inc~web~b'), new Date(at))).toBe(true);

    expect(await escalations.record(firstPage('inc~web~b'), new Date(at))).toBe(false);
  });
});
