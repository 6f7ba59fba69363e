import { describe, expect, it } from 'vitest';
import { evaluateCondition } from '../../../src/decision/condition-eval';
import { ConditionSyntaxError, parseCondition } from '../../../src/decision/condition-parser';
import { policiesSchema, policySchema } from '../../../src/decision/policy-schema';
import { matchPolicies } from '../../../src/decision/policy-match';

const holds = (text: string, context: Record<string, number | string | null>) =>
  evaluateCondition(parseCondition(text), context);

function syntaxError(text: string): string {
  try {
    parseCondition(text);
  } catch (error) {
    if (error instanceof ConditionSyntaxError) return error.message;
    throw error;
  }
  throw new Error(`expected "${text}" not to parse`);
}

describe('policy conditions', () => {
  it('combines comparisons with and, or, not and parentheses', () => {
    const busy = { cpu: 90, latency_p95: 700, memory: 50 };
    expect(holds('cpu > 80 and latency_p95 > 500', busy)).toBe(true);
    expect(holds('cpu > 95 or memory >= 50', busy)).toBe(true);
    expect(holds('not (cpu > 80 and memory > 80)', busy)).toBe(true);
    expect(holds('cpu > 80 and (memory > 80 or latency_p95 > 1s)', busy)).toBe(false);
  });

  it('binds and tighter than or', () => {
    expect(
      holds('cpu > 95 and memory > 95 or latency_p95 < 1000', {
        cpu: 0,
        memory: 0,
        latency_p95: 5,
      }),
    ).toBe(true);
  });

  it('reads units: 2s is 2000 ms, 80% is 80', () => {
    expect(holds('latency_p95 > 2s', { latency_p95: 2500 })).toBe(true);
    expect(holds('latency_p95 > 2s', { latency_p95: 1500 })).toBe(false);
    expect(holds('cpu >= 80%', { cpu: 80 })).toBe(true);
  });

  it('matches diagnoses by name', () => {
    expect(holds('diagnosis == memory_leak', { diagnosis: 'memory_leak' })).toBe(true);
    expect(
      holds('diagnosis != memory_leak and anomaly_score > 0.6', {
        diagnosis: 'overload',
        anomaly_score: 0.7,
      }),
    ).toBe(true);
  });

  it('never acts on a metric it does not have', () => {
    expect(holds('latency_p95 > 500', { cpu: 90 })).toBe(false);
    expect(holds('latency_p95 != 500', { latency_p95: null })).toBe(false);
  });

  it('says where and why a condition is wrong', () => {
    expect(syntaxError('cpu > 80 and latency_p95 >')).toBe(
      "at 27: expected a number after '>', found 'end of condition'",
    );
    expect(syntaxError('cpu >> 80')).toBe("at 6: expected a number after '>', found '>'");
    expect(syntaxError('cpu 80')).toBe(
      "at 5: expected a comparison (> >= < <= == !=) after 'cpu', found '80'",
    );
    expect(syntaxError('(cpu > 80')).toBe("at 10: expected ')' to close '(' at 1");
    expect(syntaxError('cpu > 80 latency_p95 > 1')).toBe(
      "at 10: expected 'and', 'or' or the end, found 'latency_p95'",
    );
    expect(syntaxError('cpu = 80')).toBe("at 5: '=' is not an operator; use == or !=");
    expect(syntaxError('diagnosis > 3')).toBe('at 11: diagnosis compares with == or != only');
    expect(syntaxError('cpu > 80 and $x > 1')).toBe("at 14: unexpected character '$'");
    expect(syntaxError('and cpu > 1')).toBe("at 1: expected a metric name, found 'and'");
  });

  it('rejects unknown metrics when told which exist', () => {
    expect(() => parseCondition('cpux > 1', { knownSubjects: new Set(['cpu']) })).toThrow(
      "at 1: unknown metric 'cpux'",
    );
  });

  it('fails a policy with a broken condition when the configuration is read', () => {
    const result = policySchema.safeParse({ name: 'bad', when: 'cpu >', actions: ['scale-out'] });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe(
      "at 6: expected a number after '>', found 'end of condition'",
    );
  });
});

describe('policies', () => {
  it('default to SPEC X2 when a service declares none', () => {
    const policies = policiesSchema.parse(undefined);
    const names = policies.map((p) => p.name);
    expect(names).toContain('scale-out-cpu');
    expect(policies.find((p) => p.name === 'scale-out-latency')?.when).toBe('latency_p95 > 2s');
  });

  it('allow the actions of every matching policy, highest priority first', () => {
    // Without their `for` windows (those match only through the watch): the order is the point.
    const policies = policiesSchema.parse(undefined).map(({ for: _held, ...p }) => p);
    const match = matchPolicies(policies, {
      metrics: { cpu: 92, memory: 50, requests: 100, errors_5xx: 20 },
      anomalyScore: 0.8,
      diagnosis: 'overload',
    });
    expect(match.matched.map((m) => m.name)).toEqual([
      'alert-error-rate',
      'scale-out-cpu',
      'notify-anomaly',
    ]);
    expect(match.actions).toEqual(['restart', 'rollback', 'notify', 'scale-out']);
  });

  it('scale in only when both CPU and memory are low', () => {
    const policies = policiesSchema.parse(undefined);
    const idle = matchPolicies(policies, {
      metrics: { cpu: 12, memory: 30 },
      anomalyScore: 0.1,
      diagnosis: 'unknown',
    });
    const memoryBound = matchPolicies(policies, {
      metrics: { cpu: 12, memory: 60 },
      anomalyScore: 0.1,
      diagnosis: 'unknown',
    });
    expect(idle.actions).toEqual(['scale-in']);
    expect(memoryBound.actions).toEqual([]);
  });
});
