// The cadence frontier's reaction times in the scaling simulator, and the default chosen on it.
import { describe, expect, it } from 'vitest';
import { cadenceReaction, reactToStep } from '../../../bench/cost/cadence-sim';
import { typicalScenario } from '../../../bench/cost/derive-usage';
import {
  chooseDefault,
  frontier,
  maxCalmMinutes,
  sentinelAlarmDelays,
} from '../../../bench/cost/frontier';
import { defaultCadence } from '../../../src/collection/read-cadence';

describe('reaction to a load step', () => {
  it('is three minutes read every minute: the datapoint closes, arrives a minute later, and a CPU-only step waits for a second sample', () => {
    expect(cadenceReaction(1, null)).toMatchObject({ meanSeconds: 180, worstSeconds: 180 });
  });

  it('waits up to K - 1 more minutes for a calm read', () => {
    const every5 = cadenceReaction(5, null);
    // A calm read that lands after the step sees load past the tasks' capacity in its newest
    // datapoint and acts on it (issue 14): no second read to wait for, a minute off the worst.
    expect(every5.worstSeconds).toBe(120 + 4 * 60);
    expect(every5.meanSeconds).toBe(252);
  });

  it('with the sentinel alarm, does not wait for the calm read', () => {
    const every10 = cadenceReaction(10, sentinelAlarmDelays);
    // At worst the alarm (at 90 % of the target) trips on a minute still below the target and the
    // wake's read sizes nothing; the next read sees requests past the tasks' capacity and acts at
    // once (issue 14: load past capacity does not wait for a second sample): ahead of target tracking.
    expect(every10.worstSeconds).toBe(195);
    expect(every10.worstSeconds).toBeLessThanOrEqual(
      reactToStep({ kind: 'targetTracking' }).reactionSeconds!,
    );
    // On average well before the next calm read.
    expect(every10.meanSeconds).toBeLessThan(cadenceReaction(10, null).meanSeconds / 2);
    expect(every10.missed).toBe(0);
  });

  it('is about four minutes for AWS target tracking (three datapoints, then the lag)', () => {
    expect(reactToStep({ kind: 'targetTracking' }).reactionSeconds).toBe(240);
    expect(reactToStep({ kind: 'targetTracking', lagMinutes: 2 }).reactionSeconds).toBe(300);
  });

  it('comes a minute later for every CloudWatch reader when datapoints are 2 minutes late', () => {
    expect(cadenceReaction(1, null, 2).worstSeconds).toBe(240);
    expect(cadenceReaction(5, sentinelAlarmDelays, 2).worstSeconds).toBe(255);
  });

  it('is within a minute with readings pushed every 15 s', () => {
    expect(
      reactToStep({ kind: 'pushed', intervalSeconds: 15 }).reactionSeconds,
    ).toBeLessThanOrEqual(60);
  });
});

describe('the frontier', () => {
  it('chooses the cheapest shipped cadence no slower than target tracking, the shipped default', () => {
    const { rows, targetTracking } = frontier(typicalScenario);
    const chosen = chooseDefault(rows, targetTracking);
    expect(chosen).toMatchObject({
      calmEveryMinutes: defaultCadence.calmEveryMinutes,
      sentinelAlarm: true,
      built: true,
    });
    expect(chosen.calmEveryMinutes).toBeLessThanOrEqual(maxCalmMinutes);
    expect(chosen.reaction.worstSeconds).toBeLessThanOrEqual(targetTracking.reaction.worstSeconds);
    expect(chosen.reactionLate.worstSeconds).toBeLessThanOrEqual(
      targetTracking.reactionLate.worstSeconds,
    );
    // Cost falls as the calm reads stretch.
    const polled = rows.filter((r) => !r.sentinelAlarm && r.pushIntervalSeconds === null);
    for (let i = 1; i < polled.length; i++) {
      expect(polled[i]!.costPerServiceMonth).toBeLessThan(polled[i - 1]!.costPerServiceMonth);
    }
  }, 180_000);
});
