import { describe, expect, it } from 'vitest';
import type { ExistingAlarm, SentinelAlarmSpec } from '../../../src/collection/sentinel-alarm';
import {
  emptyReconcileMemory,
  reconcileSentinels,
  type SentinelAlarmStore,
  type SentinelSettings,
} from '../../../src/use-cases/sentinel-reconcile';
import { aService } from '../../support/builders';

class MemoryAlarms implements SentinelAlarmStore {
  readonly alarms = new Map<string, ExistingAlarm>();
  lists = 0;
  async list(prefix: string) {
    this.lists++;
    return [...this.alarms.values()].filter((a) => a.name.startsWith(prefix));
  }
  async put(spec: SentinelAlarmSpec) {
    this.alarms.set(spec.name, spec);
  }
  async remove(names: readonly string[]) {
    for (const n of names) this.alarms.delete(n);
  }
}

const settings: SentinelSettings = {
  enabled: true,
  stage: 'dev',
  nearTargetPercent: 10,
  fullEveryMinutes: 60,
  maxChangesPerTick: 2,
};
const fleet = ['a', 'b', 'c', 'd', 'e'].map((id) => aService({ id }));
const MIN = 60_000;

describe('reconciling the sentinel alarms', () => {
  it('spreads a large rollout over ticks without listing the alarms again', async () => {
    const alarms = new MemoryAlarms();
    const memory = emptyReconcileMemory();
    const first = await reconcileSentinels(alarms, memory, fleet, 0, settings);
    expect(first).toMatchObject({ compared: true, pending: 3 });
    expect(first.put).toHaveLength(2);
    const second = await reconcileSentinels(alarms, memory, fleet, MIN, settings);
    const third = await reconcileSentinels(alarms, memory, fleet, 2 * MIN, settings);
    expect([second.compared, second.pending, third.compared, third.pending]).toEqual([
      false,
      1,
      false,
      0,
    ]);
    expect(alarms.alarms.size).toBe(5);
    expect(alarms.lists).toBe(1);
    // Done: an unchanged fleet costs no call until the hourly full pass.
    expect(await reconcileSentinels(alarms, memory, fleet, 3 * MIN, settings)).toMatchObject({
      compared: false,
      put: [],
    });
    expect(alarms.lists).toBe(1);
    await reconcileSentinels(alarms, memory, fleet, 63 * MIN, settings);
    expect(alarms.lists).toBe(2);
  });

  it('starts over from a fresh listing when the fleet changes mid-rollout', async () => {
    const alarms = new MemoryAlarms();
    const memory = emptyReconcileMemory();
    await reconcileSentinels(alarms, memory, fleet, 0, settings);
    const smaller = fleet.slice(0, 2);
    const next = await reconcileSentinels(alarms, memory, smaller, MIN, settings);
    expect(next.compared).toBe(true);
    expect(alarms.lists).toBe(2);
    expect([...alarms.alarms.keys()].sort()).toEqual([
      'vigia-dev-sentinel-a',
      'vigia-dev-sentinel-b',
    ]);
  });

  it('keeps what is left to do when CloudWatch refuses a change, and goes on from there', async () => {
    const alarms = new MemoryAlarms();
    const memory = emptyReconcileMemory();
    const put = alarms.put.bind(alarms);
    let refuse = true;
    alarms.put = async (spec) => {
      if (refuse && spec.name.endsWith('-b')) throw new Error('Throttling');
      return put(spec);
    };
    await expect(
      reconcileSentinels(alarms, memory, fleet.slice(0, 3), 0, settings),
    ).rejects.toThrow('Throttling');
    refuse = false;
    const retried = await reconcileSentinels(alarms, memory, fleet.slice(0, 3), MIN, settings);
    expect(retried).toMatchObject({
      compared: false,
      put: ['vigia-dev-sentinel-b', 'vigia-dev-sentinel-c'],
    });
    expect(alarms.alarms.size).toBe(3);
  });
});
