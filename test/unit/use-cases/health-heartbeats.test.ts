// /health judges every function by its heartbeat: a consumer that throws, a consumer that stopped
// with work waiting, a schedule that is late or never ran, an open circuit breaker — each turns its
// subsystem DEGRADED (or DOWN) with the reason; nothing is OK by default.
import { describe, expect, it } from 'vitest';
import type { FunctionHeartbeat } from '../../../src/ports';
import { healthReport, type HealthInput } from '../../../src/use-cases/health-report';
import { aDecision } from '../../support/builders';
import { aFunctionBeat, healthyFunctions } from '../../support/heartbeats';

const now = new Date('2026-11-22T10:00:00Z');
const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000).toISOString();

function report(overrides: Partial<HealthInput> = {}, beats: FunctionHeartbeat[] = []) {
  const functions = healthyFunctions(now).map((b) => beats.find((x) => x.name === b.name) ?? b);
  return healthReport({
    now,
    heartbeat: {
      ranAt: ago(30),
      tickAt: ago(30),
      services: 3,
      series: 6,
      anomalies: 0,
      failures: 0,
      durationMs: 100,
    },
    functions,
    recentDecisions: [],
    openAnomalies: 0,
    switches: {},
    ...overrides,
  });
}

describe('health from the functions’ heartbeats', () => {
  it('is OK, every subsystem, when every function succeeded recently', () => {
    const r = report();

    expect(r.status).toBe('OK');
    for (const s of Object.values(r.systems)) expect(s.status).toBe('OK');
    expect(r.systems.decisionEngine!.functions).toMatchObject({
      decide: { status: 'OK', lastSuccessAt: ago(20), errors: 0 },
    });
  });

  it('turns the decision engine DEGRADED when decide threw last, naming the error', () => {
    const decide = aFunctionBeat('decide', now, {
      lastSuccessAt: ago(300),
      lastFailureAt: ago(40),
      lastError: '1 stream record(s) failed, first: anomaly is invalid: at',
      errors: 4,
    });

    const r = report({}, [decide]);

    expect(r.status).toBe('DEGRADED');
    expect(r.systems.decisionEngine!.status).toBe('DEGRADED');
    expect(r.systems.decisionEngine!.reason).toMatch(
      /decide: last run failed 40 s ago \(4 error\(s\)\): .*anomaly is invalid/,
    );
    expect(r.systems.scaler!.status).toBe('OK');
  });

  it('stays DEGRADED for five minutes after a failure even when a run succeeded since', () => {
    const recent = aFunctionBeat('notify', now, { lastFailureAt: ago(240), lastError: 'boom' });
    const old = aFunctionBeat('notify', now, { lastFailureAt: ago(360), lastError: 'boom' });

    expect(report({}, [recent]).systems.alerting).toMatchObject({ status: 'DEGRADED' });
    expect(report({}, [recent]).systems.alerting!.reason).toMatch(/notify: failed 240 s ago/);
    expect(report({}, [old]).systems.alerting!.status).toBe('OK');
  });

  it('turns a stopped consumer DEGRADED once work it owes has waited 90 s', () => {
    const decide = aFunctionBeat('decide', now, { lastSuccessAt: ago(600) });

    const waiting = report({ latestAnomalyAt: ago(100) }, [decide]);
    const fresh = report({ latestAnomalyAt: ago(60) }, [decide]);

    expect(waiting.systems.decisionEngine!.status).toBe('DEGRADED');
    expect(waiting.systems.decisionEngine!.reason).toMatch(/decide: stalled: work from .* 100 s/);
    expect(fresh.systems.decisionEngine!.status).toBe('OK');
  });

  it('expects notify and autoscale to follow every collecting tick', () => {
    const notify = aFunctionBeat('notify', now, { lastSuccessAt: ago(400) });
    const r = report(
      {
        heartbeat: {
          ranAt: ago(95),
          tickAt: ago(95),
          services: 3,
          series: 6,
          anomalies: 0,
          failures: 0,
          durationMs: 100,
        },
      },
      [notify],
    );

    expect(r.systems.alerting).toMatchObject({ status: 'DEGRADED' });
    expect(r.systems.decisionEngine!.status).toBe('OK');
  });

  it('expects watch to follow every collecting tick: thresholds are judged on the same samples', () => {
    const stalled = healthyFunctions(now).map((b) =>
      b.name === 'watch' ? aFunctionBeat('watch', now, { lastSuccessAt: ago(400) }) : b,
    );
    const tick = {
      heartbeat: {
        ranAt: ago(95),
        tickAt: ago(95),
        services: 3,
        series: 6,
        anomalies: 0,
        failures: 0,
        durationMs: 100,
      },
    };

    const r = report(tick, stalled);

    expect(r.systems.decisionEngine!.status).toBe('DEGRADED');
    expect(r.systems.decisionEngine!.reason).toMatch(/watch: stalled/);
    expect(report(tick, healthyFunctions(now)).systems.decisionEngine!.status).toBe('OK');
  });

  it('judges schedules by the minute: late, down, or never run', () => {
    const late = aFunctionBeat('sweep', now, { lastSuccessAt: ago(200) });
    const gone = aFunctionBeat('verify', now, { lastSuccessAt: ago(1200) });
    const functions = healthyFunctions(now).filter((b) => b.name !== 'alert-timers');

    expect(report({}, [late]).systems.scaler).toMatchObject({
      status: 'DEGRADED',
      reason: 'sweep: late: last success 200 s ago',
    });
    expect(report({}, [gone]).systems.recoveries!.status).toBe('DOWN');
    expect(report({}, [gone]).status).toBe('DOWN');
    expect(report({ functions }).systems.alerting).toMatchObject({
      status: 'DEGRADED',
      reason: 'alert-timers: no successful run recorded yet',
    });
  });

  it('reports the oldest unfinished decision, and a scaler that leaves an approved one waiting', () => {
    const approved = aDecision({ status: 'approved', at: ago(180) });
    const scale = aFunctionBeat('scale', now, { lastSuccessAt: ago(900) });

    const r = report({ recentDecisions: [aDecision({ at: ago(60) }), approved] }, [scale]);

    expect(r.systems.scaler).toMatchObject({
      status: 'DEGRADED',
      oldestUnfinished: { decisionId: approved.id, status: 'approved', ageSeconds: 180 },
    });
    expect(r.systems.scaler!.reason).toMatch(/scale: stalled/);
  });

  it('shows each breaker, and is DEGRADED while one refuses calls', () => {
    const breaker = {
      dependency: 'ecs',
      state: 'open' as const,
      consecutiveFailures: 5,
      openedAt: ago(10),
      retryAt: new Date(now.getTime() + 20_000).toISOString(),
      lastError: 'ECS unreachable',
    };
    const scale = aFunctionBeat('scale', now, { breakers: [breaker] });

    const r = report({ breakers: [{ ...breaker, dependency: 'sns', state: 'closed' }] }, [scale]);

    expect(r.systems.breakers).toMatchObject({
      status: 'DEGRADED',
      dependencies: {
        ecs: [{ state: 'open', reportedBy: 'scale' }],
        sns: [{ state: 'closed', reportedBy: 'api' }],
      },
    });
    expect(r.systems.breakers!.reason).toMatch(/ecs open in scale until .*: ECS unreachable/);
    expect(report({ breakers: [{ ...breaker, state: 'closed' }] }).systems.breakers!.status).toBe(
      'OK',
    );
  });
});
