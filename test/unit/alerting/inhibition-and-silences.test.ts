import { describe, expect, it } from 'vitest';
import {
  addSilence,
  applyAnomaly,
  applyDecision,
  createSilence,
  emptyAlertingState,
  flush,
  removeSilence,
  silenceRequestSchema,
  silenceStatus,
  silencedBy,
  type SilenceRequest,
} from '../../../src/alerting';
import { anomaly, at, config, decision, flushEvery10s } from '../../support/builders';

const cfg = config();

describe('inhibition', () => {
  it('a critical incident hides its warnings, and a new warning alone sends no update', () => {
    // Prepare
    let state = emptyAlertingState();
    state = applyAnomaly(state, anomaly('api', 'latency_p95', 0, 'critical'), at(0), cfg);
    state = applyAnomaly(state, anomaly('api', 'cpu', 5, 'warning'), at(5), cfg);
    const opened = flushEvery10s(state, 0, 30);
    // Act: two more warnings join over the next 10 minutes
    state = applyAnomaly(opened.state, anomaly('api', 'memory', 60, 'warning'), at(60), cfg);
    state = applyAnomaly(state, anomaly('api', 'requests', 400, 'warning'), at(400), cfg);
    const later = flushEvery10s(state, 40, 900);
    // Assess
    expect(opened.sent).toHaveLength(1);
    expect(opened.sent[0]!.metrics.map((m) => m.metric)).toEqual(['latency_p95']);
    expect(opened.sent[0]!.otherMetrics).toBe(1);
    expect(later.sent).toHaveLength(0);
  });

  it('without inhibition the next message lists the same warnings', () => {
    const show = (inhibit: boolean) => {
      const c = config({ inhibitWarningsWhenCritical: inhibit });
      let state = applyAnomaly(
        emptyAlertingState(),
        anomaly('api', 'p95', 0, 'critical'),
        at(0),
        c,
      );
      state = flush(state, at(30), c).state;
      state = applyAnomaly(state, anomaly('api', 'cpu', 60, 'warning'), at(60), c);
      state = applyDecision(state, decision('api', 90, { action: 'restart' }), at(90), c);
      return flush(state, at(330), c).messages;
    };
    expect(show(false).map((m) => m.metrics.map((x) => x.metric))).toEqual([['p95', 'cpu']]);
    expect(show(true).map((m) => m.metrics.map((x) => x.metric))).toEqual([['p95']]);
  });

  it('a critical incident mutes a standalone warning notice of the same service', () => {
    // Prepare: a decision that belongs to no incident (opened at 0, decided before it)
    let state = emptyAlertingState();
    state = applyDecision(state, decision('api', -100, { status: 'proposed' }), at(-100), cfg);
    state = applyAnomaly(state, anomaly('api', 'cpu', 0, 'critical'), at(0), cfg);
    state = applyDecision(state, decision('web', -100, { status: 'proposed' }), at(-100), cfg);
    // Act: once the incident's wait for a decision on it is over
    const { messages } = flush(state, at(30), cfg);
    // Assess: the critical incident itself pages; the warning notice of the same service does not
    expect(messages.map((m) => [m.serviceId, m.kind])).toEqual([
      ['api', 'incident'],
      ['web', 'decision'],
    ]);
  });
});

describe('silences', () => {
  const request: SilenceRequest = {
    matchers: [
      { label: 'service', op: '=~', value: 'api|web' },
      { label: 'severity', op: '!=', value: 'critical' },
    ],
    durationMinutes: 60,
    createdBy: 'alice',
    comment: 'deploy window',
  };

  it('matches on service, severity and kind, with equality and anchored regex', () => {
    const silence = createSilence(request, 's1', at(0));
    const now = at(60);
    expect(
      silencedBy([silence], { service: 'api', severity: 'warning', kind: 'incident' }, now),
    ).toBe(silence);
    expect(
      silencedBy([silence], { service: 'api', severity: 'critical', kind: 'incident' }, now),
    ).toBeNull();
    expect(
      silencedBy([silence], { service: 'api-2', severity: 'warning', kind: 'incident' }, now),
    ).toBeNull();
    const byKind = createSilence(
      { matchers: [{ label: 'kind', value: 'decision' }], durationMinutes: 5, createdBy: 'bob' },
      's2',
      at(0),
    );
    expect(silencedBy([byKind], { service: 'x', severity: 'info', kind: 'decision' }, now)).toBe(
      byKind,
    );
  });

  it('rejects a bad regex and a silence without an end, naming the field', () => {
    const bad = silenceRequestSchema.safeParse({
      ...request,
      matchers: [{ label: 'service', op: '=~', value: '(' }],
    });
    const endless = silenceRequestSchema.safeParse({ ...request, durationMinutes: undefined });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['matchers', 0, 'value']);
    expect(endless.error?.issues[0]?.path).toEqual(['endsAt']);
  });

  it('holds an incident back while active and lets it through once expired', () => {
    // Prepare: silence api warnings for 10 minutes
    let state = addSilence(
      emptyAlertingState(),
      createSilence({ ...request, durationMinutes: 10 }, 's1', at(0)),
    );
    state = applyAnomaly(state, anomaly('api', 'cpu', 0, 'warning'), at(0), cfg);
    // Act
    const { sent } = flushEvery10s(state, 0, 900);
    // Assess
    expect(silenceStatus(state.silences[0]!, at(599))).toBe('active');
    expect(silenceStatus(state.silences[0]!, at(600))).toBe('expired');
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ phase: 'opened', at: at(600).toISOString() });
  });

  it('deleting a silence ends it at once', () => {
    let state = addSilence(emptyAlertingState(), createSilence(request, 's1', at(0)));
    state = applyAnomaly(state, anomaly('api', 'cpu', 0), at(0), cfg);
    state = flush(state, at(30), cfg).state;
    state = removeSilence(state, 's1', at(100));
    expect(silenceStatus(state.silences[0]!, at(100))).toBe('expired');
    expect(flush(state, at(100), cfg).messages).toHaveLength(1);
  });
});
