// Issue #14: people are told once. A fault that lasts raises an anomaly every minute (the watch's
// thresholds); each notify-only decision was a note and an update message of its own.
import { describe, expect, it } from 'vitest';
import { decideFromAnomaly, emptyScalingState, type EngineInput } from '../../../src/decision';
import type { Decision } from '../../../src/model';
import { aService, anAnomaly, anEcsState, aSample, ruleSwitches } from '../../support/builders';

function input(minute: number, recentDecisions: Decision[]): EngineInput {
  const at = new Date(Date.parse('2026-11-22T10:00:00.000Z') + minute * 60_000).toISOString();
  const metrics = { cpu: 40, memory: 50, error_rate: 18, probe_failures: 6 };
  return {
    service: aService(),
    anomaly: anAnomaly({ at, metric: 'error_rate', value: 18, score: 0.9 }),
    sample: aSample({ at, metrics, ecs: anEcsState() }),
    openAnomalies: [],
    forecasts: [],
    learned: [],
    scalingState: emptyScalingState(),
    recentDecisions,
    switches: ruleSwitches,
  };
}

describe('a notify-only decision', () => {
  it('tells a failing dependency once, then records the next minutes as already told', () => {
    const first = decideFromAnomaly(input(0, [])).decision;
    const next = decideFromAnomaly(input(1, [first])).decision;
    expect(first).toMatchObject({ action: 'notify', status: 'approved' });
    expect(first.diagnosis).toBe('failing_dependency');
    expect(next).toMatchObject({ action: 'notify', status: 'skipped' });
    expect(next.result).toBe(`already told: failing_dependency at ${first.at}`);
  });

  it('tells again an hour on, or when the diagnosis changes', () => {
    const first = decideFromAnomaly(input(0, [])).decision;
    expect(decideFromAnomaly(input(61, [first])).decision.status).toBe('approved');
    const other = { ...first, diagnosis: 'error_burst' };
    expect(decideFromAnomaly(input(1, [other])).decision.status).toBe('approved');
  });
});
