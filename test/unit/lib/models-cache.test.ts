import { describe, expect, it } from 'vitest';
import type { ServiceModels } from '../../../src/ports';
import { DecodedModelsCache } from '../../../lib/store/models-cache';

// The container's cache of decoded models items: a read is served only for the very write it kept,
// and the services kept are bounded, least recently used first out.
function decodedAs(version: number) {
  let calls = 0;
  const decode = (): ServiceModels => {
    calls++;
    return { version, series: [], cadence: null };
  };
  return { decode, calls: () => calls };
}

describe('decoded models cache', () => {
  it('serves a kept write only to a read of the same version and token', () => {
    // Prepare
    const cache = new DecodedModelsCache(10);
    const kept: ServiceModels = { version: 3, series: [], cadence: null };
    cache.keep('web', 'token-a', kept);
    const d = decodedAs(3);
    // Act
    const same = cache.read('web', { version: 3, writer: 'token-a' }, d.decode);
    const otherWriter = cache.read('web', { version: 3, writer: 'token-b' }, d.decode);
    // Assess
    expect(same).toBe(kept);
    expect(otherWriter).not.toBe(kept);
    expect(d.calls()).toBe(1);
  });

  it('never keeps an item without a write token (saved before tokens existed)', () => {
    const cache = new DecodedModelsCache(10);
    const d = decodedAs(2);
    cache.read('web', { version: 2 }, d.decode);
    cache.read('web', { version: 2 }, d.decode);
    expect(d.calls()).toBe(2);
    expect(cache.size).toBe(0);
  });

  it('keeps at most its capacity of services, dropping the least recently used', () => {
    // Prepare: a, b, c kept; a read again, so b is the least recently used.
    const cache = new DecodedModelsCache(3);
    for (const id of ['a', 'b', 'c'])
      cache.keep(id, `t-${id}`, { version: 1, series: [], cadence: null });
    cache.read('a', { version: 1, writer: 't-a' }, decodedAs(1).decode);
    // Act
    cache.keep('d', 't-d', { version: 1, series: [], cadence: null });
    // Assess
    const d = decodedAs(1);
    cache.read('a', { version: 1, writer: 't-a' }, d.decode);
    cache.read('c', { version: 1, writer: 't-c' }, d.decode);
    expect(d.calls()).toBe(0);
    cache.read('b', { version: 1, writer: 't-b' }, d.decode);
    expect(d.calls()).toBe(1);
    expect(cache.size).toBe(3);
  });
});
