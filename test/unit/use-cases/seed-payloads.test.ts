// The seed systems' payloads (issue 13 part 5): their metric names are aliases of the canonical
// ones, a pushed error_rate is what the policies and the diagnosis read, and values that cannot be
// true are refused naming the field as sent.
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../../src/decision/diagnosis';
import { matchPolicies } from '../../../src/decision/policy-match';
import { defaultPolicies } from '../../../src/model/policy';
import { metricsPushSchema, scalingReadingOf } from '../../../src/use-cases/pushed-metrics';
import { aSample } from '../../support/builders';

const now = new Date('2026-03-01T12:00:00.000Z');

function issues(metrics: Record<string, unknown>) {
  const parsed = metricsPushSchema.safeParse({ serviceId: 'web', metrics });
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('a seed payload', () => {
  it('is stored under the canonical names, and its load sizes the service', () => {
    const push = metricsPushSchema.parse({
      serviceId: 'web',
      metrics: { cpu_usage: 91, memory_usage: 40, response_time_ms: 2300, error_rate: 12 },
    });

    expect(push.metrics).toEqual({ cpu: 91, memory: 40, latency_p95: 2300, error_rate: 12 });
    const planned = scalingReadingOf(push, now);
    expect('reading' in planned && planned.reading).toMatchObject({ cpu: 91, memory: 40 });
  });

  it('refuses negative, non-finite and duplicated values naming the field as sent', () => {
    expect(issues({ response_time_ms: -5 })).toEqual([
      'metrics.response_time_ms: must not be negative',
    ]);
    expect(issues({ cpu_usage: -1 })).toEqual(['metrics.cpu_usage: must not be negative']);
    expect(issues({ error_rate: -0.5 })).toEqual(['metrics.error_rate: must not be negative']);
    expect(issues({ error_rate: 140 })).toEqual(['metrics.error_rate: must be at most 100 (%)']);
    expect(issues({ errors_5xx: -3 })).toEqual(['metrics.errors_5xx: must not be negative']);
    expect(issues({ cpu: 50, cpu_usage: 60 })).toEqual([
      'metrics.cpu_usage: is an alias of cpu, which the push also holds',
    ]);
    for (const value of [NaN, Infinity, -Infinity]) {
      expect(issues({ response_time_ms: value })[0]).toMatch(/^metrics\.response_time_ms: /);
    }
  });
});

describe('a pushed error_rate', () => {
  it('is used as is: the error-rate policy fires and the diagnosis is an error burst', () => {
    // No errors_5xx and no requests: the derived rate would be null and nothing would fire.
    const metrics = { cpu: 30, error_rate: 12 };

    // As the watch's threshold anomaly brings it, once alert-error-rate's window held.
    const match = matchPolicies(defaultPolicies, {
      metrics,
      anomalyScore: 0.9,
      diagnosis: 'unknown',
      heldPolicy: 'alert-error-rate',
    });
    const [first] = diagnose({ sample: aSample({ metrics }), openAnomalies: [], now });

    expect(match.matched.map((m) => m.name)).toContain('alert-error-rate');
    expect(first?.name).toBe('error_burst');
    expect(first?.evidence[0]).toBe('5xx rate 12% ≥ 10%');
  });

  it('wins over errors_5xx ÷ requests when both arrive', () => {
    const match = matchPolicies(defaultPolicies, {
      metrics: { error_rate: 2, errors_5xx: 50, requests: 100 },
      anomalyScore: 0.9,
      diagnosis: 'unknown',
    });
    expect(match.matched.map((m) => m.name)).not.toContain('alert-error-rate');
  });
});
