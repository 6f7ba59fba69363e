// Was the action worth it? Compares the triggering metrics before the action with the same
// metrics after the verification window (SPEC X5).

export type Outcome = 'resolved' | 'not-resolved' | 'worse';

export interface TriggerMetric {
  metric: string;
  /** Value that triggered the action. */
  before: number;
  /** Value after the verification window; null when the source had no datapoint. */
  after: number | null;
  /** The healthy side of this limit counts as resolved. */
  limit: number;
  /** 'above' when high values are bad (cpu, latency), 'below' when low ones are (throughput). */
  bad: 'above' | 'below';
}

/** Relative move past the trigger value that counts as worse, not just noise. */
export const worseMargin = 0.1;

/**
 * resolved: every triggering metric is back on the healthy side of its limit.
 * worse: any metric moved further into the bad side by more than the margin — and is on the bad
 * side: a metric that moved but stayed healthy (a rollback's latency 230 → 260 ms against a 2 s
 * line) is noise, and undoing the action for it would bring the fault back.
 * not-resolved: otherwise, including missing data after the window.
 */
export function judgeOutcome(metrics: readonly TriggerMetric[]): Outcome {
  if (metrics.length === 0) return 'not-resolved';
  let allHealthy = true;
  for (const m of metrics) {
    if (m.after === null) return 'not-resolved';
    const sign = m.bad === 'above' ? 1 : -1;
    const worsening = (sign * (m.after - m.before)) / Math.max(Math.abs(m.before), 1e-9);
    const healthy = m.bad === 'above' ? m.after <= m.limit : m.after >= m.limit;
    if (worsening > worseMargin && !healthy) return 'worse';
    if (!healthy) allHealthy = false;
  }
  return allHealthy ? 'resolved' : 'not-resolved';
}
