// Issue #14, seen in bench:incidents (seed 2, bad deploy #3): a rollback of a bad release was carried
// by a CPU-down anomaly, so verification judged it on CPU, called it "worse" and undid it — the bad
// release went out again. A restart or rollback is judged on its diagnosis's symptoms: a bad release
// on errors, latency and running tasks, a leak on memory, a crash loop on running tasks.
import { describe, expect, it } from 'vitest';
import {
  judgeDecision,
  judgedTriggers,
  judgeOutcome,
  metricsAfter,
  metricsAt,
} from '../../../src/decision';
import type { Decision, Sample } from '../../../src/model';
import { aDecision, anEcsState, aSample, aService } from '../../support/builders';

const t0 = Date.parse('2026-11-22T10:00:00.000Z');
const iso = (minute: number) => new Date(t0 + minute * 60_000).toISOString();
// Targets cpu 60, memory 75, tolerance 10 %: memory's line is 82.5.
const service = aService();

const at = (minute: number, metrics: Record<string, number>, running = 6): Sample =>
  aSample({
    at: iso(minute),
    metrics,
    ecs: anEcsState({ desiredCount: 6, runningCount: running }),
  });

function verdictOf(d: Decision, samples: readonly Sample[], dueMinute: number) {
  const judged = judgedTriggers(d, service, metricsAt(samples, Date.parse(d.at)));
  return judgeDecision(d, metricsAfter(samples, Date.parse(iso(dueMinute)))!, judged);
}

describe('verifying a recovery on its diagnosis', () => {
  const rollback = aDecision({
    at: iso(0),
    action: 'rollback',
    diagnosis: 'bad_deploy',
    // The anomaly that carried it: CPU fell while the bad release failed requests fast.
    trigger: [{ metric: 'cpu', value: 40, limit: 50, bad: 'below' }],
  });
  const samples = [
    at(-1, { cpu: 45, error_rate: 22, latency_p95: 300 }),
    at(0, { cpu: 40, error_rate: 25, latency_p95: 320 }),
    // Rolled back: errors gone, latency back, CPU lower still on a quiet minute.
    at(6, { cpu: 34, error_rate: 0.3, latency_p95: 260 }),
  ];

  it("judges a bad release's rollback on errors and latency, not on the CPU dip that carried it", () => {
    const onTrigger = judgeDecision(rollback, metricsAfter(samples, Date.parse(iso(6)))!);
    const verdict = verdictOf(rollback, samples, 6);

    expect(onTrigger.outcome).toBe('worse');
    expect(verdict.outcome).toBe('resolved');
    expect(verdict.detail).toContain('error_rate 25 → 0.3 (limit 10)');
    expect(verdict.detail).not.toContain('cpu');
  });

  it('still finds a rollback that did not help: errors still high', () => {
    const still = [...samples.slice(0, 2), at(6, { cpu: 40, error_rate: 24, latency_p95: 310 })];

    expect(verdictOf(rollback, still, 6).outcome).toBe('not-resolved');
  });

  it('judges a memory leak restart on memory, whatever anomaly carried it', () => {
    const restart = aDecision({
      at: iso(0),
      action: 'restart',
      diagnosis: 'memory_leak',
      trigger: [{ metric: 'error_rate', value: 0.4, limit: 0.5, bad: 'above' }],
    });
    const before = at(0, { memory: 78, error_rate: 0.4 });

    const freed = verdictOf(restart, [before, at(5, { memory: 55, error_rate: 0.6 })], 5);
    const climbing = verdictOf(restart, [before, at(5, { memory: 90, error_rate: 0.3 })], 5);

    expect(freed.outcome).toBe('resolved');
    expect(freed.detail).toBe('memory 78 → 55 (limit 82.5)');
    expect(climbing.outcome).toBe('worse');
  });

  it("judges a crash loop's rollback on the tasks ECS runs", () => {
    const crashLoop = aDecision({
      at: iso(0),
      action: 'rollback',
      diagnosis: 'crash_loop',
      trigger: [{ metric: 'running_tasks', value: 0, limit: 1, bad: 'below' }],
    });
    const verdict = verdictOf(crashLoop, [at(0, { cpu: 0 }, 0), at(5, { cpu: 50 }, 6)], 5);

    expect(verdict).toEqual({ outcome: 'resolved', detail: 'running_tasks 0 → 6 (limit 1)' });
  });

  it("keeps the decision's triggers without a diagnosis, or without a reading of its symptoms", () => {
    const unknown = { ...rollback, diagnosis: 'unknown' };
    const blind = judgedTriggers(rollback, service, null);

    expect(judgedTriggers(unknown, service, metricsAt(samples, t0))).toEqual(unknown.trigger);
    expect(blind).toEqual(rollback.trigger);
  });

  it('leaves scaling judged on its own triggers', () => {
    const scaleOut = aDecision({
      at: iso(0),
      diagnosis: 'overload',
      trigger: [{ metric: 'cpu', value: 93, limit: 66, bad: 'above' }],
    });

    expect(judgedTriggers(scaleOut, service, metricsAt(samples, t0))).toEqual(scaleOut.trigger);
  });
});

describe('worse', () => {
  it('is a move into the bad side, not a healthy metric moving within its line', () => {
    const latency = { metric: 'latency_p95', before: 230, limit: 2000, bad: 'above' as const };

    expect(judgeOutcome([{ ...latency, after: 260 }])).toBe('resolved');
    expect(judgeOutcome([{ ...latency, before: 2200, after: 2600 }])).toBe('worse');
  });
});
