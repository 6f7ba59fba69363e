import { describe, expect, it } from 'vitest';
import { emptyCadence } from '../../../src/collection/read-cadence';
import { ConflictError } from '../../../src/errors';
import type { Service } from '../../../src/model';
import type { ServiceModels } from '../../../src/ports';
import type { CollectResult } from '../../../src/use-cases/collect-tick';
import { wakeOnSentinel, type WakeDeps } from '../../../src/use-cases/sentinel-wake';
import { aService } from '../../support/builders';

const changedAt = Date.parse('2026-11-22T10:03:20.515Z');
const settings = { enabled: true, stage: 'dev', maxConflictRetries: 3 };
const event = { alarmName: 'vigia-dev-sentinel-web', state: 'ALARM', changedAt };

function harness(initial: ServiceModels, options: { conflicts?: number } = {}) {
  const failing = { read: false };
  let item = initial;
  let conflicts = options.conflicts ?? 0;
  const reads: Date[] = [];
  const deps: WakeDeps = {
    clock: { now: () => new Date(changedAt + 20_000) },
    registry: { get: async (id) => (id === 'web' ? aService({ id: 'web' }) : null) },
    models: {
      loadServiceModels: async (ids) => new Map(ids.map((id) => [id, structuredClone(item)])),
      saveServiceModels: async (_id, models, expected) => {
        if (conflicts-- > 0 || expected !== item.version)
          throw new ConflictError('models changed meanwhile');
        item = { ...models, version: expected + 1 };
      },
    },
    readNow: async (_service: Service, at: Date): Promise<CollectResult> => {
      reads.push(at);
      // A read that works saves the models with its time, as the collector does; one that fails
      // saves nothing.
      if (!failing.read)
        item = {
          ...item,
          cadence: { ...item.cadence!, lastReadAt: at.getTime() },
          version: item.version + 1,
        };
      return {
        tickAt: at.toISOString(),
        services: 1,
        notDue: 0,
        series: 2,
        samples: 3,
        anomalies: [],
        failures: failing.read ? [{ serviceId: 'web', error: 'GetMetricData throttled' }] : [],
        sourceFailures: [],
      };
    },
  };
  return { deps, reads, failing, item: () => item };
}

const calm: ServiceModels = {
  version: 7,
  series: [],
  cadence: { ...emptyCadence, lastReadAt: changedAt - 10 * 60_000 },
};

describe('the sentinel wake', () => {
  it('marks the service hot over the version it read, then reads it once', async () => {
    const h = harness(calm, { conflicts: 1 });
    expect(await wakeOnSentinel(h.deps, event, settings)).toMatchObject({
      kind: 'woken',
      read: { samples: 3 },
    });
    expect(h.item().cadence!.wokenAt).toBe(changedAt);
    expect(h.reads).toHaveLength(1);
    expect(await wakeOnSentinel(h.deps, event, settings)).toEqual({
      kind: 'already-read',
      serviceId: 'web',
    });
    expect(h.reads).toHaveLength(1);
  });

  it('reads again on a second delivery when the first one marked the service but its read failed', async () => {
    const h = harness(calm);
    h.failing.read = true;
    await expect(wakeOnSentinel(h.deps, event, settings)).rejects.toThrow(
      'wake read of web failed: GetMetricData throttled',
    );
    expect(h.item().cadence!.wokenAt).toBe(changedAt);
    h.failing.read = false;
    expect(await wakeOnSentinel(h.deps, event, settings)).toMatchObject({ kind: 'woken' });
    expect(h.reads).toHaveLength(2);
  });

  it('does nothing when a tick read the service after the alarm changed, or when switched off', async () => {
    const readSince = harness({
      ...calm,
      cadence: { ...calm.cadence!, lastReadAt: changedAt + 5_000 },
    });
    expect(await wakeOnSentinel(readSince.deps, event, settings)).toMatchObject({
      kind: 'already-read',
    });
    const off = harness(calm);
    expect(await wakeOnSentinel(off.deps, event, { ...settings, enabled: false })).toMatchObject({
      kind: 'ignored',
    });
    expect([...readSince.reads, ...off.reads]).toEqual([]);
  });
});
