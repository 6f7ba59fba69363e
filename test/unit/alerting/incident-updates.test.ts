// Issue #14 (b): target scaling follows the load reading by reading. Every step it took inside an
// open incident was an update message (messages per incident went 4 → 11). Its steps now ride along
// in the next message and are news only when they fail or make things worse.
import { describe, expect, it } from 'vitest';
import {
  applyAnomaly,
  applyDecision,
  applyOutcome,
  emptyAlertingState,
  type AlertingState,
} from '../../../src/alerting';
import { TARGET_SCALING_REQUESTER, type Decision } from '../../../src/model';
import { anomaly, at, config, decision, flushEvery10s, isoAt } from '../../support/builders';

const cfg = config();
const step = (seconds: number, status: 'executed' | 'failed' = 'executed') =>
  decision('api', seconds, { status, requestedBy: TARGET_SCALING_REQUESTER });

function openedAndTold(): AlertingState {
  const state = applyAnomaly(
    emptyAlertingState(),
    anomaly('api', 'cpu', 0, 'critical'),
    at(0),
    cfg,
  );
  return flushEvery10s(state, 0, 30).state;
}

function verdict(seconds: number, on: number, v: 'resolved' | 'worse' | 'not-resolved') {
  return {
    decisionId: decision('api', on).id,
    serviceId: 'api',
    verdict: v,
    at: isoAt(seconds),
    detail: '',
  };
}

describe('updates of an open incident', () => {
  it('are not sent for routine target-scaling steps and their verdicts', () => {
    let state = openedAndTold();
    for (const t of [60, 400, 800]) {
      state = applyDecision(state, step(t), at(t), cfg);
      state = applyOutcome(state, verdict(t + 300, t, 'resolved'), at(t + 300));
    }
    const later = flushEvery10s(state, 40, 1500);
    expect(later.sent).toEqual([]);
  });

  it('are sent when a target-scaling step fails or makes things worse', () => {
    let state = openedAndTold();
    state = applyDecision(state, step(60, 'failed'), at(60), cfg);
    const failed = flushEvery10s(state, 40, 700);
    state = applyDecision(failed.state, step(800), at(800), cfg);
    state = applyOutcome(state, verdict(1100, 800, 'worse'), at(1100));
    // Before the stale rule (30 min without an anomaly) resolves the incident.
    const worse = flushEvery10s(state, 1100, 1700);
    expect(failed.sent).toHaveLength(1);
    expect(failed.sent[0]!.actions.join(' ')).toMatch(/failed/);
    expect(worse.sent).toHaveLength(1);
    expect(worse.sent[0]!.outcomes.join(' ')).toMatch(/made things worse/);
  });

  it('still show the target-scaling steps in the next message that goes out', () => {
    let state = openedAndTold();
    state = applyDecision(state, step(60), at(60), cfg);
    // A remedy of decide's own is news: its update carries the scaling step too.
    state = applyDecision(state, decision('api', 90, { action: 'restart' }), at(90), cfg);
    const next = flushEvery10s(state, 40, 700);
    expect(next.sent).toHaveLength(1);
    expect(next.sent[0]!.actions).toEqual([
      'scaled out from 2 to 4 tasks',
      'restarted the service (new deployment)',
    ]);
  });

  it('are not sent for whether a notify-only decision "resolved" anything', () => {
    let state = openedAndTold();
    state = applyDecision(state, decision('api', 60, { action: 'notify' }), at(60), cfg);
    const told = flushEvery10s(state, 40, 700);
    state = applyOutcome(told.state, verdict(700, 60, 'not-resolved'), at(700));
    const after = flushEvery10s(state, 700, 1500);
    expect(told.sent).toHaveLength(1);
    expect(after.sent).toEqual([]);
  });

  it('name what vigia diagnosed, even when decide held back, without a message per diagnosis', () => {
    // Prepare: decide names an overload but holds its scale-out while target scaling acts
    const decide = (seconds: number, overrides: Partial<Decision>) =>
      decision('api', seconds, { requestedBy: 'vigia:decide', ...overrides });
    let state = applyAnomaly(
      emptyAlertingState(),
      anomaly('api', 'cpu', 0, 'critical'),
      at(0),
      cfg,
    );
    state = applyDecision(state, { ...step(2), diagnosis: 'target' }, at(2), cfg);
    state = applyDecision(
      state,
      decide(3, { status: 'skipped', diagnosis: 'overload', result: 'hold: target scaling acted' }),
      at(3),
      cfg,
    );
    const first = flushEvery10s(state, 0, 30);
    // Act: later decisions tell the same overload, then name an error burst while holding back
    state = applyDecision(
      first.state,
      decide(120, { action: 'notify', diagnosis: 'overload' }),
      at(120),
      cfg,
    );
    state = applyDecision(
      state,
      decide(180, { status: 'skipped', diagnosis: 'error_burst' }),
      at(180),
      cfg,
    );
    const later = flushEvery10s(state, 40, 1500);
    // Assess
    expect(first.sent).toHaveLength(1);
    expect(first.sent[0]!.actions).toEqual(['diagnosed overload', 'scaled out from 2 to 4 tasks']);
    expect(later.sent).toEqual([]);
  });

  it('a notify-only decision naming a new diagnosis is news once', () => {
    let state = openedAndTold();
    const tell = (seconds: number) =>
      decision('api', seconds, { action: 'notify', diagnosis: 'failing_dependency' });
    state = applyDecision(state, tell(60), at(60), cfg);
    const told = flushEvery10s(state, 40, 700);
    // decide tells a diagnosis again (every hour; sooner here, before the incident goes stale)
    state = applyDecision(told.state, tell(1000), at(1000), cfg);
    const again = flushEvery10s(state, 1000, 1700);
    expect(told.sent).toHaveLength(1);
    expect(told.sent[0]!.actions).toEqual([
      'diagnosed failing dependency; notified only (no automatic action)',
    ]);
    expect(told.sent[0]!.headline).toBe(
      'vigia diagnosed failing dependency; notified only (no automatic action)',
    );
    expect(again.sent).toEqual([]);
  });

  it('do not list whether a notify-only decision "worked" as an outcome', () => {
    let state = openedAndTold();
    state = applyDecision(state, decision('api', 60, { action: 'notify' }), at(60), cfg);
    state = applyOutcome(state, verdict(100, 60, 'resolved'), at(100));
    state = applyDecision(state, decision('api', 120, { action: 'restart' }), at(120), cfg);
    const next = flushEvery10s(state, 40, 700);
    expect(next.sent).toHaveLength(1);
    expect(next.sent[0]!.outcomes).toEqual(['restart: not verified yet']);
  });
});

// Soak, session 9: updates 2 and 3 of one incident said the same thing ("vigia diagnosed saturation;
// proposes to scale out from 2 to 4 tasks: waiting for an operator's approval") because a second
// decision proposed what the first had, and each decision's proposal was news by its id.
describe('an update that would tell people nothing new', () => {
  const propose = (seconds: number, overrides: Partial<Decision> = {}) =>
    decision('api', seconds, {
      status: 'proposed',
      mode: 'approve',
      diagnosis: 'saturation',
      ...overrides,
    });

  function toldOneProposal() {
    let state = openedAndTold();
    state = applyDecision(state, propose(60), at(60), cfg);
    return flushEvery10s(state, 40, 70);
  }

  it('is not sent when a second decision proposes what the first proposal already said', () => {
    // Prepare: the first proposal is told in an update of its own
    const first = toldOneProposal();
    // Act: another decision proposes the same scale-out for the same diagnosis
    const state = applyDecision(first.state, propose(90), at(90), cfg);
    const again = flushEvery10s(state, 90, 700);
    // Assess
    expect(first.sent).toHaveLength(1);
    expect(first.sent[0]!.headline).toBe(
      "vigia diagnosed saturation; proposes to scale out from 2 to 4 tasks: waiting for an operator's approval",
    );
    expect(again.sent).toEqual([]);
  });

  it('is still sent when the second proposal says something the first did not', () => {
    const first = toldOneProposal();
    const state = applyDecision(first.state, propose(90, { toCount: 6 }), at(90), cfg);
    const again = flushEvery10s(state, 90, 700);
    expect(again.sent).toHaveLength(1);
    expect(again.sent[0]!.headline).toBe(
      "vigia diagnosed saturation; proposes to scale out from 2 to 6 tasks: waiting for an operator's approval",
    );
  });

  it('does not hold back the news that comes after it', () => {
    // Prepare: the repeated proposal was held back
    const first = toldOneProposal();
    let state = flushEvery10s(applyDecision(first.state, propose(90), at(90), cfg), 90, 200).state;
    // Act: the second proposal fails once approved
    state = applyDecision(
      state,
      propose(90, { status: 'failed', result: 'ECS said no' }),
      at(300),
      cfg,
    );
    const failed = flushEvery10s(state, 300, 400);
    // Assess
    expect(failed.sent).toHaveLength(1);
    expect(failed.sent[0]!.headline).toMatch(/tried to scale out from 2 to 4 tasks, but it failed/);
  });
});
