import { describe, expect, it } from 'vitest';
import {
  applyAnomaly,
  applyDecision,
  applyNormal,
  applyOutcome,
  emptyAlertingState,
  flush,
  noteFromDecision,
  renderEmail,
} from '../../../src/alerting';
import { anomaly, at, config, decision, flushEvery10s, isoAt } from '../../support/builders';

const cfg = config();

describe('recovery notes', () => {
  it('the first message says what vigia did; "it worked" waits for the resolved message', () => {
    // Prepare
    let state = applyAnomaly(
      emptyAlertingState(),
      anomaly('api', 'cpu', 0, 'critical'),
      at(0),
      cfg,
    );
    state = applyDecision(state, decision('api', 5, { status: 'executing' }), at(5), cfg);
    state = applyDecision(state, decision('api', 5, { status: 'executed' }), at(8), cfg);
    const first = flushEvery10s(state, 0, 30);
    // Act: the verification says it worked; the incident then recovers
    state = applyOutcome(
      first.state,
      {
        decisionId: decision('api', 5).id,
        serviceId: 'api',
        verdict: 'resolved',
        at: isoAt(300),
        detail: 'cpu 95 → 60',
      },
      at(300),
    );
    const second = flushEvery10s(state, 300, 400);
    state = applyNormal(
      second.state,
      { serviceId: 'api', metric: null, at: isoAt(420) },
      at(420),
      cfg,
    );
    state = applyNormal(state, { serviceId: 'api', metric: null, at: isoAt(720) }, at(720), cfg);
    const end = flushEvery10s(state, 720, 800);
    // Assess: two messages in all (issue #14: a third, "update: it worked", said nothing a person
    // needed before the incident was over)
    expect(first.sent.map((m) => m.phase)).toEqual(['opened']);
    expect(first.sent[0]!.actions).toEqual(['scaled out from 2 to 4 tasks']);
    expect(first.sent[0]!.outcomes).toEqual(['scale-out: not verified yet']);
    expect(second.sent).toEqual([]);
    expect(end.sent.map((m) => m.phase)).toEqual(['resolved']);
    expect(end.sent[0]!.headline).toBe('back to normal after 12 min; the scale-out worked');
    expect(end.sent[0]!.outcomes).toEqual([
      'scale-out: it worked: the metrics are back to normal (cpu 95 → 60)',
    ]);
    expect(renderEmail(end.sent[0]!).body).toMatch(/Did it work: scale-out: it worked/);
  });

  it('an action that did not help is an update; one that made things worse is told at once', () => {
    let state = applyAnomaly(
      emptyAlertingState(),
      anomaly('api', 'cpu', 0, 'critical'),
      at(0),
      cfg,
    );
    state = applyDecision(state, decision('api', 5, { action: 'restart' }), at(5), cfg);
    const first = flushEvery10s(state, 0, 30);
    const verdict = (v: 'not-resolved' | 'worse', seconds: number) => ({
      decisionId: decision('api', 5).id,
      serviceId: 'api',
      verdict: v,
      at: isoAt(seconds),
      detail: '',
    });
    state = applyOutcome(first.state, verdict('not-resolved', 100), at(100));
    const notHelped = flushEvery10s(state, 100, 400);
    state = applyOutcome(notHelped.state, verdict('worse', 420), at(420));
    const worse = flushEvery10s(state, 420, 430);
    expect(notHelped.sent).toHaveLength(1);
    expect(notHelped.sent[0]).toMatchObject({ phase: 'updated', at: isoAt(300) });
    expect(notHelped.sent[0]!.outcomes[0]).toMatch(/did not help/);
    // The subject names the news, not the latest verdict of any note
    expect(renderEmail(notHelped.sent[0]!).subject).toBe(
      '[CRITICAL] api update: restart: it did not help: the problem is still there',
    );
    // 420 s: two minutes after the last update, not held for the group interval
    expect(worse.sent).toHaveLength(1);
    expect(worse.sent[0]).toMatchObject({ phase: 'updated', at: isoAt(420) });
    expect(worse.sent[0]!.outcomes[0]).toMatch(/made things worse/);
  });

  it('target scaling is told inside an incident without a verdict, and not at all outside one', () => {
    // Prepare
    const routine = { status: 'executed' as const, requestedBy: 'vigia:autoscale' };
    let state = applyAnomaly(
      emptyAlertingState(),
      anomaly('api', 'cpu', 0, 'critical'),
      at(0),
      cfg,
    );
    state = applyDecision(state, decision('api', 5, routine), at(5), cfg);
    // Act
    const inside = flushEvery10s(state, 0, 30);
    const quiet = applyDecision(emptyAlertingState(), decision('web', 5, routine), at(5), cfg);
    // Assess
    expect(inside.sent[0]!.actions).toEqual(['scaled out from 2 to 4 tasks']);
    expect(inside.sent[0]!.outcomes).toEqual([]);
    expect(flushEvery10s(quiet, 0, 600).sent).toEqual([]);
  });

  it('a stale decision status arriving late does not move the note backwards', () => {
    let state = applyAnomaly(emptyAlertingState(), anomaly('api', 'cpu', 0), at(0), cfg);
    state = applyDecision(state, decision('api', 5, { status: 'executed' }), at(5), cfg);
    const after = applyDecision(state, decision('api', 5, { status: 'approved' }), at(6), cfg);
    expect(after).toBe(state);
  });

  it('the resolved message waits for a pending verdict and reports it', () => {
    // Prepare: notified, then recovered while the action's verification is pending
    let state = applyAnomaly(emptyAlertingState(), anomaly('api', 'cpu', 0), at(0), cfg);
    state = applyDecision(state, decision('api', 5), at(5), cfg);
    state = flushEvery10s(state, 0, 30).state;
    state = applyNormal(state, { serviceId: 'api', metric: null, at: isoAt(60) }, at(60), cfg);
    state = applyNormal(state, { serviceId: 'api', metric: null, at: isoAt(360) }, at(360), cfg);
    const waiting = flushEvery10s(state, 360, 420);
    // Act
    state = applyOutcome(
      waiting.state,
      {
        decisionId: decision('api', 5).id,
        serviceId: 'api',
        verdict: 'resolved',
        at: isoAt(430),
        detail: '',
      },
      at(430),
    );
    const done = flushEvery10s(state, 430, 1000);
    // Assess
    expect(waiting.sent).toHaveLength(0);
    expect(done.sent.map((m) => m.kind)).toEqual(['resolved']);
    expect(done.sent[0]!.outcomes[0]).toMatch(/it worked/);
  });

  it('a failed action is a critical notice when no incident is open', () => {
    const state = applyDecision(
      emptyAlertingState(),
      decision('api', 0, { action: 'restart', status: 'failed', result: 'ECS throttled' }),
      at(0),
      cfg,
    );
    const { messages } = flush(state, at(1), cfg);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ kind: 'decision', severity: 'critical' });
    expect(messages[0]!.headline).toBe(
      'vigia tried to restart (new deployment), but it failed: ECS throttled',
    );
    expect(flush(flush(state, at(1), cfg).state, at(2), cfg).messages).toHaveLength(0);
  });
});

describe('a suspected diagnosis (issue #14: named in the first minutes, not acted on)', () => {
  it('rides along as "suspected", and is no update after an unknown notify was told', () => {
    // Prepare: the incident's first message told vigia's notify on a signature it did not know
    let state = applyAnomaly(
      emptyAlertingState(),
      anomaly('api', 'memory', 0, 'warning'),
      at(0),
      cfg,
    );
    const unknown = decision('api', 5, { action: 'notify', diagnosis: 'unknown', confidence: 0 });
    state = applyDecision(state, unknown, at(5), cfg);
    const first = flushEvery10s(state, 0, 60);
    // Act: a minute on, decide suspects a memory leak and notifies again (not acted on)
    const suspected = decision('api', 65, {
      action: 'notify',
      diagnosis: 'memory_leak',
      confidence: 0.3,
    });
    state = applyDecision(first.state, suspected, at(65), cfg);
    const later = flushEvery10s(state, 60, 600);
    // Assess: one message; the suspicion is no news of its own (it was: "diagnosed memory leak")
    expect(first.sent.map((m) => m.phase)).toEqual(['opened']);
    expect(later.sent).toEqual([]);
    expect(noteFromDecision(suspected)).toMatchObject({
      cause: 'suspected memory_leak',
      suspected: true,
    });
  });
});
