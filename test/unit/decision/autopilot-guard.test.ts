import { describe, expect, it } from 'vitest';
import {
  actionCap,
  allSwitchesOn,
  compensationFor,
  gateDecision,
  overtakenBy,
} from '../../../src/decision/autopilot-guard';

describe('what a new decision may do', () => {
  it('acts in auto mode, waits in approve mode, only records in dry-run, does nothing when off', () => {
    expect(gateDecision('scale-out', 'auto', allSwitchesOn).status).toBe('approved');
    expect(gateDecision('scale-out', 'approve', allSwitchesOn).status).toBe('proposed');
    expect(gateDecision('restart', 'dry-run', allSwitchesOn)).toEqual({
      status: 'skipped',
      reason: 'dry-run: would restart',
    });
    expect(gateDecision('notify', 'off', allSwitchesOn).status).toBe('skipped');
  });

  it('obeys the global switches in every mode', () => {
    const noScaling = { ...allSwitchesOn, autoScalingEnabled: false };
    const noRecovery = { ...allSwitchesOn, autoRecoveryEnabled: false };
    expect(gateDecision('scale-in', 'auto', noScaling)).toEqual({
      status: 'skipped',
      reason: 'AUTO_SCALING_ENABLED is false',
    });
    expect(gateDecision('rollback', 'approve', noRecovery)).toEqual({
      status: 'skipped',
      reason: 'AUTO_RECOVERY_ENABLED is false',
    });
    expect(gateDecision('restart', 'auto', noScaling).status).toBe('approved');
    expect(
      gateDecision('notify', 'auto', { ...noScaling, autoRecoveryEnabled: false }).status,
    ).toBe('approved');
  });
});

describe('actions per hour', () => {
  it('stops a service after its cap within a sliding hour', () => {
    const now = new Date('2026-03-01T12:00:00.000Z');
    const minutesAgo = (m: number) => new Date(now.getTime() - m * 60000);
    expect(actionCap([minutesAgo(5), minutesAgo(30), minutesAgo(59)], now, 3)).toEqual({
      allowed: false,
      remaining: 0,
    });
    expect(actionCap([minutesAgo(5), minutesAgo(30), minutesAgo(61)], now, 3)).toEqual({
      allowed: true,
      remaining: 1,
    });
  });
});

describe('an action that made things worse', () => {
  it('puts the task count back', () => {
    expect(
      compensationFor({ action: 'scale-in', fromCount: 6, toCount: 3 }, 'worse'),
    ).toMatchObject({ action: 'scale-out', toCount: 6 });
    expect(
      compensationFor({ action: 'scale-out', fromCount: 3, toCount: 6 }, 'worse'),
    ).toMatchObject({ action: 'scale-in', toCount: 3 });
  });

  it('returns a rolled-back service to the task definition it ran', () => {
    expect(
      compensationFor(
        { action: 'rollback', fromCount: null, toCount: null, previousTaskDefinition: 'api:9' },
        'worse',
      ),
    ).toMatchObject({ action: 'rollback', taskDefinition: 'api:9' });
  });

  it('tells people about a restart, which cannot be undone', () => {
    expect(compensationFor({ action: 'restart', fromCount: 4, toCount: 4 }, 'worse')?.action).toBe(
      'notify',
    );
  });

  it('leaves an action that did not hurt alone', () => {
    expect(
      compensationFor({ action: 'scale-out', fromCount: 3, toCount: 6 }, 'not-resolved'),
    ).toBeNull();
  });
});

describe('a scaling decision overtaken before it runs', () => {
  const autopilot = { requestedBy: 'vigia:decide', toCount: 3 };

  it('is skipped when ECS already wants at least as many tasks (scale-out) or as few (scale-in)', () => {
    expect(overtakenBy({ ...autopilot, action: 'scale-out' }, { desiredCount: 4 })).toBe(
      'desired count is already 4, not below the 3 this scale-out asked for',
    );
    expect(overtakenBy({ ...autopilot, action: 'scale-in' }, { desiredCount: 2 })).toMatch(
      /already 2, not above the 3/,
    );
    expect(overtakenBy({ ...autopilot, action: 'scale-out' }, { desiredCount: 2 })).toBeNull();
  });

  it("never stops an operator's explicit count", () => {
    expect(
      overtakenBy({ requestedBy: 'api:ops', toCount: 3, action: 'scale-out' }, { desiredCount: 4 }),
    ).toBeNull();
  });
});
