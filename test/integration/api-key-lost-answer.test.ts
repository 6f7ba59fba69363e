// API key writes (`npm run keys`) whose write landed but whose answer was lost (the soak's "cut
// after" fault in front of moto): the SDK sends the same conditional write again, and it fails on
// the write's own result. A created key must still be shown (only its hash is stored: a key never
// shown is lost), and a revoked key is revoked, not "no live key".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKeyStore } from '../../lib/store/api-key-store';
import { freshLocalStack, localAdapters } from '../support/local-aws';
import { cutTheFirst, scriptedFaults, type ScriptedFaults } from '../support/scripted-faults';

const now = new Date('2026-03-02T10:00:00.000Z');
let faults: ScriptedFaults;
let keys: ApiKeyStore;

beforeAll(async () => {
  const stack = await freshLocalStack();
  faults = await scriptedFaults(stack.endpoint);
  keys = new ApiKeyStore(localAdapters(faults.through, stack.tableName).table);
});

afterAll(async () => {
  await faults.stop();
});

describe('an API key whose creation was written but whose answer was lost', () => {
  it('is created and its key answered, and the key authenticates', async () => {
    const writes = cutTheFirst(faults, 'dynamodb:PutItem', '"kind":{"S":"apikey"}');

    const { key, record } = await keys.create({ name: 'ci', scopes: ['read'], now });

    expect(writes()).toBeGreaterThanOrEqual(2);
    faults.script = () => null;
    expect(await keys.authenticate(key)).toMatchObject({ keyId: record.keyId, name: 'ci' });
  });
});

describe('an API key whose revocation was written but whose answer was lost', () => {
  it('is revoked (true), not "no live key"', async () => {
    const { key, record } = await keys.create({ name: 'old', scopes: ['read'], now });
    const writes = cutTheFirst(faults, 'dynamodb:UpdateItem', 'revokedAt');

    const revoked = await keys.revoke(record.keyId, new Date(now.getTime() + 1000));

    expect(writes()).toBeGreaterThanOrEqual(2);
    expect(revoked).toBe(true);
    faults.script = () => null;
    expect(await keys.authenticate(key)).toBeNull();
  });

  it('still answers false to revoking it again', async () => {
    const [old] = (await keys.list()).filter((k) => k.name === 'old');

    expect(await keys.revoke(old!.keyId, new Date(now.getTime() + 2000))).toBe(false);
  });
});
