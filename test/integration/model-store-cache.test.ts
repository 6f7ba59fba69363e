// The container's cache of decoded models items, against the emulator: a tick that reads back its
// own last write skips the decoding; anything another container wrote, a lost race or an item
// deleted and created again (its version restarts at 1) is read from the item.
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { ConflictError } from '../../src/errors';
import type { ServiceModels } from '../../src/ports';
import { DynamoModelStore } from '../../lib/store/model-store';
import { DecodedModelsCache } from '../../lib/store/models-cache';
import type { Table } from '../../lib/store/table';
import { freshLocalStack, localAdapters } from '../support/local-aws';

let table: Table;
let tableName: string;

beforeEach(async () => {
  const stack = await freshLocalStack();
  tableName = stack.tableName;
  table = localAdapters(stack.endpoint, stack.tableName).table;
});

/** One collector container: its own store and cache over the shared table. */
function container() {
  const cache = new DecodedModelsCache();
  return { cache, store: new DynamoModelStore(table, cache) };
}

function models(lastTimestamp: number, level: number): Omit<ServiceModels, 'version'> {
  return {
    series: [
      {
        metric: 'cpu',
        state: { lastTimestamp, detector: { level, profile: [0.25, 1.5, level, 3.125, 4.5] } },
        version: 1,
      },
    ],
    cadence: null,
  };
}

async function load(store: DynamoModelStore): Promise<ServiceModels> {
  return (await store.loadServiceModels(['web'])).get('web')!;
}

describe('the decoded models cache', () => {
  it('serves the models a container saved when it reads its own write back', async () => {
    // Prepare
    const a = container();
    const saved = models(60_000, 41.5);
    await a.store.saveServiceModels('web', saved, 0);
    // Act
    const first = await load(a.store);
    const second = await load(a.store);
    // Assess: the very objects saved, not decoded again.
    expect(first.version).toBe(1);
    expect(first.series).toBe(saved.series);
    expect(second).toBe(first);
    expect(a.cache).toMatchObject({ hits: 2, misses: 0 });
  });

  it('decodes the item once another container wrote it', async () => {
    // Prepare
    const a = container();
    const b = container();
    await a.store.saveServiceModels('web', models(60_000, 41.5), 0);
    const read = await load(b.store);
    await b.store.saveServiceModels('web', models(120_000, 55.25), read.version);
    // Act
    const loaded = await load(a.store);
    // Assess
    expect(loaded.version).toBe(2);
    expect(loaded.series[0]!.state).toEqual(models(120_000, 55.25).series[0]!.state);
    expect(a.cache).toMatchObject({ hits: 0, misses: 1 });
  });

  it('after a lost race, reads the winner’s models and saves over them', async () => {
    // Prepare: both containers hold version 1, b saves first.
    const a = container();
    const b = container();
    await a.store.saveServiceModels('web', models(60_000, 41.5), 0);
    await load(a.store);
    await load(b.store);
    await b.store.saveServiceModels('web', models(120_000, 55.25), 1);
    // Act
    const lost = a.store.saveServiceModels('web', models(120_000, 99), 1);
    // Assess
    await expect(lost).rejects.toThrow(ConflictError);
    const reread = await load(a.store);
    expect(reread.version).toBe(2);
    expect(reread.series[0]!.state).toEqual(models(120_000, 55.25).series[0]!.state);
    await a.store.saveServiceModels('web', models(180_000, 60), reread.version);
    expect((await load(b.store)).series[0]!.state).toEqual(models(180_000, 60).series[0]!.state);
  });

  it('does not serve a deleted item that was created again at the same version', async () => {
    // Prepare: a holds version 1; the item goes, and b creates a new one, also version 1.
    const a = container();
    const b = container();
    await a.store.saveServiceModels('web', models(60_000, 41.5), 0);
    await load(a.store);
    await table.send(
      new DeleteCommand({ TableName: tableName, Key: { pk: 'SVC#web', sk: 'MODELS' } }),
    );
    await b.store.saveServiceModels('web', models(60_000, 7), 0);
    // Act
    const loaded = await load(a.store);
    // Assess
    expect(loaded.version).toBe(1);
    expect(loaded.series[0]!.state).toEqual(models(60_000, 7).series[0]!.state);
  });
});
