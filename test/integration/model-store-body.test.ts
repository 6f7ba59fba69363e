// The models item's body against the emulator: saved as a DynamoDB Binary attribute in the binary
// layout, loaded back as the very states JSON would give; an item saved by session 10's store
// (packed JSON in brotli) still loads and is rewritten as binary at its next save; a corrupt body
// fails the load with a clear error.
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { brotliCompressSync, constants } from 'node:zlib';
import { beforeEach, describe, expect, it } from 'vitest';
import { packState } from '../../src/detection';
import type { ServiceModels } from '../../src/ports';
import { BINARY_BODY, DynamoModelStore } from '../../lib/store/model-store';
import { modelsSk, servicePk } from '../../lib/store/keys';
import type { Table } from '../../lib/store/table';
import { freshLocalStack, localAdapters } from '../support/local-aws';

let table: Table;

beforeEach(async () => {
  const stack = await freshLocalStack();
  table = localAdapters(stack.endpoint, stack.tableName).table;
});

const state = {
  lastTimestamp: 1_700_000_000_000,
  detector: { level: 41.5, profile: [0.25, 1.5, 2.75, 3.125, 4.5], memory: 'a~b', gone: NaN },
};
const models: Omit<ServiceModels, 'version'> = {
  series: [{ metric: 'cpu', state, version: 4 }],
  cadence: null,
};
const asJson = JSON.parse(JSON.stringify(models.series)) as unknown;

async function storedBody(): Promise<Uint8Array> {
  const out = await table.send(
    new GetCommand({ TableName: table.name, Key: { pk: servicePk('web'), sk: modelsSk } }),
  );
  return out.Item!.body as Uint8Array;
}

/** An item as session 10's store wrote it: states packed by the state codec, JSON, brotli. */
async function putSession10Item(body: Uint8Array): Promise<void> {
  await table.send(
    new PutCommand({
      TableName: table.name,
      Item: {
        pk: servicePk('web'),
        sk: modelsSk,
        kind: 'model',
        serviceId: 'web',
        metrics: ['cpu'],
        body,
        version: 3,
        writer: 'session-10-token',
      },
    }),
  );
}

describe('the models item body in DynamoDB', () => {
  it('is saved binary and loads in another container as JSON would give it back', async () => {
    // Act
    await new DynamoModelStore(table).saveServiceModels('web', models, 0);
    const loaded = (await new DynamoModelStore(table).loadServiceModels(['web'])).get('web')!;
    // Assess
    expect((await storedBody())[0]).toBe(BINARY_BODY);
    expect(loaded.version).toBe(1);
    expect(loaded.series).toEqual(asJson);
  });

  it('loads an item session 10 saved, and rewrites it as binary at the next save', async () => {
    // Prepare
    const json = JSON.stringify({
      series: { cpu: { v: 4, s: packState(state) } },
      cadence: null,
    });
    await putSession10Item(
      brotliCompressSync(json, {
        params: { [constants.BROTLI_PARAM_QUALITY]: 1, [constants.BROTLI_PARAM_LGWIN]: 16 },
      }),
    );
    const store = new DynamoModelStore(table);
    // Act
    const old = (await store.loadServiceModels(['web'])).get('web')!;
    await store.saveServiceModels('web', { series: old.series, cadence: old.cadence }, old.version);
    const again = (await new DynamoModelStore(table).loadServiceModels(['web'])).get('web')!;
    // Assess
    expect(old.version).toBe(3);
    expect(old.series).toEqual(asJson);
    expect((await storedBody())[0]).toBe(BINARY_BODY);
    expect(again.version).toBe(4);
    expect(again.series).toEqual(asJson);
  });

  it('fails the load with a clear error when the body is corrupt', async () => {
    // Prepare: a binary body cut short.
    await new DynamoModelStore(table).saveServiceModels('web', models, 0);
    const body = await storedBody();
    await putSession10Item(body.subarray(0, body.length - 4));
    // Act, Assess
    await expect(new DynamoModelStore(table).loadServiceModels(['web'])).rejects.toThrow(
      /models body corrupt/,
    );
  });
});
