// Per-service policies (SPEC X2): a condition in the policy language → the actions it allows,
// with a priority. Conditions are parsed when the configuration is read, so a typo fails the
// service's validation with the position and reason, not a decision at 3 a.m.
import { z } from 'zod';
import { actionTypeSchema } from './decision';
import { ConditionSyntaxError, parseCondition } from './condition';

const conditionTextSchema = z
  .string()
  .min(1)
  .superRefine((text, ctx) => {
    try {
      parseCondition(text);
    } catch (error) {
      if (!(error instanceof ConditionSyntaxError)) throw error;
      ctx.addIssue({ code: 'custom', message: error.message });
    }
  });

export const policySchema = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be a lowercase name like scale-out-cpu'),
  when: conditionTextSchema,
  actions: z.array(actionTypeSchema).min(1),
  /** Higher wins when several policies match. */
  priority: z.number().int().min(0).max(1000).default(100),
  /**
   * As in Prometheus alerting rules: the condition must hold on every sample over this window
   * ("5m", "90s", "1h") before the policy matches. Absent: it matches on the first sample.
   */
  for: z
    .string()
    .regex(/^[1-9][0-9]{0,4}(s|m|h)$/, 'must be a duration like 5m, 90s or 1h')
    .optional(),
});
export type Policy = z.infer<typeof policySchema>;

const durationUnitMs = { s: 1000, m: 60_000, h: 3_600_000 } as const;

/** The policy's `for` window in milliseconds; 0 when it has none. */
export function policyHoldMs(policy: Pick<Policy, 'for'>): number {
  if (!policy.for) return 0;
  const unit = policy.for.slice(-1) as keyof typeof durationUnitMs;
  return Number(policy.for.slice(0, -1)) * durationUnitMs[unit];
}

/**
 * SPEC X2 defaults. Units: cpu, memory, request_utilisation (requests as % of capacity) and
 * error_rate in %; cpu_of_target and memory_of_target in % of the service's target; latencies in
 * ms ("2s" reads as 2000).
 */
export const defaultPolicies: Policy[] = [
  {
    // No task running (a crash loop, a failing start): a recent deployment is rolled back.
    name: 'rollback-crash-loop',
    when: 'diagnosis == crash_loop and deployed_minutes_ago <= 30min',
    actions: ['rollback', 'notify'],
    priority: 450,
  },
  {
    // With no recent deployment nothing vigia can do would start them: a person must look.
    name: 'alert-crash-loop',
    when: 'diagnosis == crash_loop',
    actions: ['notify'],
    priority: 440,
  },
  {
    name: 'rollback-bad-deploy',
    when: 'diagnosis == bad_deploy',
    actions: ['rollback', 'notify'],
    priority: 400,
  },
  {
    // Errors from a dependency that fails are not mended by restarting or rolling back this service.
    name: 'alert-failing-dependency',
    when: 'diagnosis == failing_dependency',
    actions: ['notify'],
    priority: 350,
  },
  {
    name: 'alert-error-rate',
    when: 'error_rate >= 10%',
    for: '2m',
    actions: ['restart', 'rollback', 'notify'],
    priority: 300,
  },
  {
    name: 'alert-probe-failures',
    when: 'probe_failures >= 5',
    // A dependency that keeps failing is not mended by restarting the healthy service that calls it.
    actions: ['notify'],
    priority: 300,
  },
  {
    name: 'restart-memory-leak',
    when: 'diagnosis == memory_leak',
    actions: ['restart', 'scale-out', 'notify'],
    priority: 250,
  },
  {
    // Each request got slower with neither more of them nor a busy CPU: more tasks would not help.
    name: 'alert-latency-regression',
    when: 'diagnosis == latency_regression',
    actions: ['notify'],
    priority: 260,
  },
  {
    name: 'alert-latency',
    when: 'latency_p95 >= 5s',
    for: '3m',
    actions: ['scale-out', 'restart', 'notify'],
    priority: 250,
  },
  // One minute over a line is noise: the thresholds act once they hold (`for`), as CloudWatch alarms
  // and Prometheus rules do; a rise the detector finds unusual acts at once (scale-out-above-target).
  { name: 'scale-out-cpu', when: 'cpu > 80%', for: '3m', actions: ['scale-out'], priority: 200 },
  {
    // The service's own targets: an anomalous rise past target + the default 10% tolerance.
    name: 'scale-out-above-target',
    when: 'anomaly_score > 0.6 and (cpu_of_target > 110% or memory_of_target > 110%)',
    actions: ['scale-out'],
    priority: 150,
  },
  {
    name: 'scale-out-memory',
    when: 'memory > 85%',
    for: '3m',
    actions: ['scale-out'],
    priority: 200,
  },
  {
    name: 'scale-out-requests',
    when: 'request_utilisation > 75%',
    for: '3m',
    actions: ['scale-out'],
    priority: 200,
  },
  {
    name: 'scale-out-latency',
    when: 'latency_p95 > 2s',
    for: '3m',
    actions: ['scale-out'],
    priority: 200,
  },
  {
    name: 'scale-in-idle',
    when: 'cpu < 30% and memory < 40%',
    actions: ['scale-in'],
    priority: 100,
  },
  { name: 'notify-anomaly', when: 'anomaly_score > 0.6', actions: ['notify'], priority: 10 },
];

export const policiesSchema = z
  .array(policySchema)
  .default(() => defaultPolicies.map((p) => ({ ...p })));
export type Policies = z.infer<typeof policiesSchema>;
