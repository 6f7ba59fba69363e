import { describe, expect, it } from 'vitest';
import {
  chooseAction,
  expectedSuccess,
  priorFor,
  recordOutcome,
  type ActionStats,
} from '../../../src/decision/action-learning';
import { pickAction } from '../../../src/decision/action-pick';
import { decisionAccuracy } from '../../../src/decision/decision-accuracy';
import { judgeOutcome } from '../../../src/decision/outcome-judgement';
import { sampleBeta, seededRandom } from '../../../src/decision/seeded-random';

describe('learning from outcomes', () => {
  it('moves the posterior towards success on resolved and away on worse, worse counting double', () => {
    const prior = priorFor('overload', 'scale-out');
    const resolved = recordOutcome(prior, 'resolved');
    const worse = recordOutcome(prior, 'worse');
    expect(resolved).toMatchObject({ alpha: prior.alpha + 1, beta: prior.beta, resolved: 1 });
    expect(worse).toMatchObject({ alpha: prior.alpha, beta: prior.beta + 2, worse: 1 });
    expect(expectedSuccess(resolved)).toBeGreaterThan(expectedSuccess(prior));
  });

  it('starts from a runbook prior: scale out for overload, roll back a bad deploy', () => {
    expect(expectedSuccess(priorFor('overload', 'scale-out'))).toBeGreaterThan(
      expectedSuccess(priorFor('overload', 'restart')),
    );
    expect(expectedSuccess(priorFor('bad_deploy', 'rollback'))).toBeGreaterThan(0.8);
    expect(priorFor('unknown', 'restart')).toMatchObject({ alpha: 1, beta: 1 });
  });

  it('chooses the same action for the same seed', () => {
    const pick = (seed: number) =>
      chooseAction('error_burst', ['restart', 'rollback', 'notify'], [], seededRandom(seed));
    expect(pick(7)).toEqual(pick(7));
    const actions = new Set(Array.from({ length: 50 }, (_, seed) => pick(seed)?.action));
    expect(actions.size).toBeGreaterThan(1); // still explores while unsure
  });

  it('learns to prefer the action that keeps working', () => {
    let restart: ActionStats = priorFor('memory_leak', 'restart');
    let scaleOut: ActionStats = priorFor('memory_leak', 'scale-out');
    for (let i = 0; i < 20; i++) {
      restart = recordOutcome(restart, 'not-resolved');
      scaleOut = recordOutcome(scaleOut, 'resolved');
    }
    const random = seededRandom(42);
    const picks = Array.from(
      { length: 200 },
      () =>
        chooseAction('memory_leak', ['restart', 'scale-out'], [restart, scaleOut], random)!.action,
    );
    expect(picks.filter((a) => a === 'scale-out').length).toBeGreaterThan(190);
  });

  it('follows the runbook order when AI decisions are switched off', () => {
    const pick = pickAction(
      'overload',
      ['notify', 'scale-out'],
      [],
      { aiDecisionsEnabled: false },
      seededRandom(1),
    );
    expect(pick).toEqual({ action: 'notify', how: 'rule', samples: [] });
  });

  it('samples Beta draws with the right mean', () => {
    const random = seededRandom(3);
    const draws = Array.from({ length: 4000 }, () => sampleBeta(2, 6, random));
    const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
    expect(mean).toBeCloseTo(0.25, 1);
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThanOrEqual(1);
  });
});

describe('judging an outcome', () => {
  const cpu = (before: number, after: number | null) => ({
    metric: 'cpu',
    before,
    after,
    limit: 80,
    bad: 'above' as const,
  });

  it('is resolved when the triggering metric is back under its limit', () => {
    expect(judgeOutcome([cpu(95, 60)])).toBe('resolved');
  });

  it('is not resolved while any trigger stays over its limit or has no data', () => {
    expect(
      judgeOutcome([
        cpu(95, 60),
        { metric: 'latency_p95', before: 3000, after: 2500, limit: 2000, bad: 'above' },
      ]),
    ).toBe('not-resolved');
    expect(judgeOutcome([cpu(95, null)])).toBe('not-resolved');
  });

  it('is worse when a trigger moved more than 10% further the wrong way', () => {
    expect(
      judgeOutcome([
        { metric: 'latency_p95', before: 2000, after: 2600, limit: 2000, bad: 'above' },
      ]),
    ).toBe('worse');
    expect(
      judgeOutcome([{ metric: 'throughput', before: 100, after: 50, limit: 90, bad: 'below' }]),
    ).toBe('worse');
  });
});

describe('decision accuracy', () => {
  it('is the share of verified decisions that resolved their trigger', () => {
    const accuracy = decisionAccuracy(['resolved', 'resolved', 'worse', 'not-resolved', null]);
    expect(accuracy).toEqual({ verified: 4, resolved: 2, notResolved: 1, worse: 1, accuracy: 0.5 });
    expect(decisionAccuracy([]).accuracy).toBeNull();
  });
});
