// Recovery statistics from the decision history (SPEC A5): how often vigia acted, how often it
// worked, how fast, what went wrong most and where.

export interface DecisionRecord {
  id: string;
  serviceId: string;
  anomalyId: string;
  at: string;
  action: string;
  status: string;
  result: string | null;
  requestedBy?: string;
  finishedAt?: string;
  /** Set by verification when the decision engine records one (resolved / not-resolved / worse). */
  outcome?: string;
  diagnosis?: string;
}

export interface RecoveryReport {
  from: string;
  to: string;
  decisions: number;
  byStatus: Record<string, number>;
  totalRecoveries: number;
  succeeded: number;
  failed: number;
  successRate: number | null;
  meanTimeToRecoverSeconds: number | null;
  mostCommonError: { name: string; count: number } | null;
  mostCommonFailure: { result: string; count: number } | null;
  mostProblematicComponent: { serviceId: string; recoveries: number; failed: number } | null;
}

const ACTIONS = new Set(['scale-out', 'scale-in', 'restart', 'rollback']);

/** What the decision was about: the diagnosis when there is one, else the anomaly's metric. */
export function triggerOf(d: DecisionRecord): string {
  if (d.diagnosis) return d.diagnosis;
  const parts = d.anomalyId.split('~');
  const metric = parts[2] ?? 'unknown';
  return metric.startsWith('manual-') ? 'manual' : metric;
}

function succeeded(d: DecisionRecord): boolean {
  if (d.outcome) return d.outcome === 'resolved';
  return d.status === 'executed';
}

function top<K extends string>(counts: Map<K, number>): [K, number] | null {
  let best: [K, number] | null = null;
  for (const [k, n] of counts)
    if (!best || n > best[1] || (n === best[1] && k < best[0])) best = [k, n];
  return best;
}

export function recoveryReport(decisions: DecisionRecord[], from: Date, to: Date): RecoveryReport {
  const byStatus: Record<string, number> = {};
  for (const d of decisions) byStatus[d.status] = (byStatus[d.status] ?? 0) + 1;
  const recoveries = decisions.filter(
    (d) => ACTIONS.has(d.action) && (d.status === 'executed' || d.status === 'failed'),
  );
  const ok = recoveries.filter(succeeded);
  const durations = ok
    .filter((d) => d.finishedAt)
    .map((d) => (new Date(d.finishedAt!).getTime() - new Date(d.at).getTime()) / 1000)
    .filter((s) => Number.isFinite(s) && s >= 0);

  const triggers = new Map<string, number>();
  for (const d of recoveries) triggers.set(triggerOf(d), (triggers.get(triggerOf(d)) ?? 0) + 1);
  const failures = new Map<string, number>();
  for (const d of recoveries.filter((r) => !succeeded(r))) {
    const key = (d.result ?? d.outcome ?? 'unknown').slice(0, 200);
    failures.set(key, (failures.get(key) ?? 0) + 1);
  }
  const perService = new Map<string, { recoveries: number; failed: number }>();
  for (const d of recoveries) {
    const s = perService.get(d.serviceId) ?? { recoveries: 0, failed: 0 };
    s.recoveries += 1;
    if (!succeeded(d)) s.failed += 1;
    perService.set(d.serviceId, s);
  }
  let worst: RecoveryReport['mostProblematicComponent'] = null;
  for (const [serviceId, s] of perService) {
    if (
      !worst ||
      s.failed > worst.failed ||
      (s.failed === worst.failed && s.recoveries > worst.recoveries)
    ) {
      worst = { serviceId, ...s };
    }
  }
  const topTrigger = top(triggers);
  const topFailure = top(failures);
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    decisions: decisions.length,
    byStatus,
    totalRecoveries: recoveries.length,
    succeeded: ok.length,
    failed: recoveries.length - ok.length,
    successRate: recoveries.length ? ok.length / recoveries.length : null,
    meanTimeToRecoverSeconds: durations.length
      ? Math.round((durations.reduce((a, b) => a + b, 0) / durations.length) * 10) / 10
      : null,
    mostCommonError: topTrigger ? { name: topTrigger[0], count: topTrigger[1] } : null,
    mostCommonFailure: topFailure ? { result: topFailure[0], count: topFailure[1] } : null,
    mostProblematicComponent: worst,
  };
}
