// A models write that landed but whose answer was lost (the soak's "cut after" fault between the
// collector and moto): the SDK sends the same conditional put again, and its version condition
// fails on the write's own result. The item carries this write's token: saved, not a conflict
// (which would send the tick to read the models again and run the service a second time).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoModelStore } from '../../lib/store/model-store';
import { ConflictError } from '../../src/errors';
import type { ServiceModels } from '../../src/ports';
import { freshLocalStack, localAdapters } from '../support/local-aws';
import { cutTheFirst, scriptedFaults, type ScriptedFaults } from '../support/scripted-faults';

let faults: ScriptedFaults;
let store: DynamoModelStore;

function models(level: number): Omit<ServiceModels, 'version'> {
  return {
    series: [{ metric: 'cpu', state: { lastTimestamp: level, detector: { level } }, version: 1 }],
    cadence: null,
  };
}

beforeAll(async () => {
  const stack = await freshLocalStack();
  faults = await scriptedFaults(stack.endpoint);
  store = new DynamoModelStore(localAdapters(faults.through, stack.tableName).table);
});

afterAll(async () => {
  await faults.stop();
});

describe('a models write whose answer was lost', () => {
  it('is saved, not a conflict', async () => {
    const writes = cutTheFirst(faults, 'dynamodb:PutItem', '"kind":{"S":"model"}');

    await expect(store.saveServiceModels('web', models(1), 0)).resolves.toBeUndefined();

    expect(writes()).toBeGreaterThanOrEqual(2);
    faults.script = () => null;
    const saved = (await store.loadServiceModels(['web'])).get('web')!;
    expect(saved.version).toBe(1);
  });

  it('still conflicts over a version another writer saved', async () => {
    await store.saveServiceModels('web', models(2), 1);

    await expect(store.saveServiceModels('web', models(3), 1)).rejects.toBeInstanceOf(
      ConflictError,
    );
  });
});
