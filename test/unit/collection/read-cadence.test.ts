import { describe, expect, it } from 'vitest';
import {
  defaultCadence,
  emptyCadence,
  nextMemory,
  readVerdict,
  type CadenceMemory,
} from '../../../src/collection/read-cadence';
import { aService, anEcsState } from '../../support/builders';

const MIN = 60_000;
const t0 = 29_400_000 * MIN;
const every5 = { ...defaultCadence, calmEveryMinutes: 5 };
const service = aService({ targets: { cpu: 70, memory: 75 } });
const ecs = anEcsState({
  desiredCount: 2,
  runningCount: 2,
  deployments: 1,
  lastDeploymentAt: null,
});
const calm: CadenceMemory = {
  ...emptyCadence,
  lastReadAt: t0,
  desiredCount: 2,
  lastValues: { cpu: 30, memory: 40 },
};

describe('read cadence', () => {
  it('reads a service it has never read, whatever the cadence', () => {
    expect(readVerdict(service, null, ecs, t0, every5)).toMatchObject({
      due: true,
      reason: 'first-read',
    });
  });

  it('reads a calm service every calmEveryMinutes: every minute with 1, every 15 by default', () => {
    const at = (m: number) => readVerdict(service, calm, ecs, t0 + m * MIN, every5).due;
    expect([1, 2, 3, 4, 5, 6].map(at)).toEqual([false, false, false, false, true, true]);
    const everyMinute = { ...defaultCadence, calmEveryMinutes: 1 };
    expect(readVerdict(service, calm, ecs, t0 + MIN, everyMinute).due).toBe(true);
    const byDefault = (m: number) => readVerdict(service, calm, ecs, t0 + m * MIN, defaultCadence);
    expect([byDefault(14).due, byDefault(15).due]).toEqual([false, true]);
  });

  it('reads a hot service every minute: a recent anomaly, a scaling action, a deployment, a metric near its target', () => {
    const next = t0 + MIN;
    const verdict = (memory: CadenceMemory, e = ecs) =>
      readVerdict(service, memory, e, next, every5);
    expect(verdict({ ...calm, lastAnomalyAt: t0 - 10 * MIN })).toMatchObject({
      due: true,
      reason: 'anomaly',
    });
    expect(verdict({ ...calm, lastAnomalyAt: t0 - 20 * MIN }).due).toBe(false);
    expect(verdict(calm, { ...ecs, desiredCount: 3 })).toMatchObject({
      due: true,
      reason: 'scaling',
    });
    expect(verdict({ ...calm, lastScaleAt: t0 - 5 * MIN })).toMatchObject({ reason: 'scaling' });
    expect(
      verdict(calm, { ...ecs, lastDeploymentAt: new Date(t0 - 3 * MIN).toISOString() }),
    ).toMatchObject({
      reason: 'deployment',
    });
    // cpu 64 is within 10 % of the 70 % target; 62 is not.
    expect(verdict({ ...calm, lastValues: { cpu: 64 } })).toMatchObject({
      due: true,
      reason: 'near-target',
    });
    expect(verdict({ ...calm, lastValues: { cpu: 62 } }).due).toBe(false);
  });

  it('remembers the read, the desired count it saw change, the newest values and anomalies', () => {
    const after = nextMemory(calm, {
      nowMs: t0 + 5 * MIN,
      read: true,
      ecs: { ...ecs, desiredCount: 4 },
      latest: { cpu: 55 },
      anomalyAt: t0 + 4 * MIN,
    });
    expect(after).toEqual({
      lastReadAt: t0 + 5 * MIN,
      lastAnomalyAt: t0 + 4 * MIN,
      lastScaleAt: t0 + 5 * MIN,
      desiredCount: 4,
      lastValues: { cpu: 55, memory: 40 },
      wokenAt: null,
    });
  });

  it('reads a service its sentinel alarm woke every minute for the hot window, then calm again', () => {
    // Read last at minute 14: its calm read is not due again before minute 19.
    const woken: CadenceMemory = { ...calm, lastReadAt: t0 + 14 * MIN, wokenAt: t0 + 30_000 };
    const at = (m: number) => readVerdict(service, woken, ecs, t0 + m * MIN, every5);
    expect(at(1)).toEqual({ due: true, hot: true, reason: 'sentinel' });
    expect(at(15)).toMatchObject({ due: true, reason: 'sentinel' });
    expect(at(16)).toMatchObject({ due: false, reason: 'calm-not-due' });
    // The wake is kept across the reads that follow it.
    const read = nextMemory(woken, {
      nowMs: t0 + MIN,
      read: true,
      ecs,
      latest: {},
      anomalyAt: null,
    });
    expect(read.wokenAt).toBe(t0 + 30_000);
  });
});
