// Recovery statistics from the decision history (SPEC A5): how often vigia acted, how often it
// worked (per service, per action kind), how fast it acted and how fast the service recovered —
// two different clocks — what went wrong most and where, and the decision accuracy of every
// action kind, target scaling included.
import { decisionAccuracy, type DecisionAccuracy } from '../decision/decision-accuracy';
import { TARGET_SCALING_REQUESTER } from '../model/decision';

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
  verifiedAt?: string;
  diagnosis?: string;
}

/** An incident as the status history keeps it: from the first anomaly to healthy again. */
export interface IncidentSpan {
  id: string;
  serviceId: string;
  openedAt: string;
  resolvedAt: string | null;
}

export interface DurationStats {
  count: number;
  medianSeconds: number | null;
  meanSeconds: number | null;
}

export interface RateStats {
  recoveries: number;
  succeeded: number;
  failed: number;
  successRate: number | null;
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
  /** Anomaly (or request) → the ECS call done, per executed action. */
  timeToAct: DurationStats;
  /**
   * Start of the trouble (the incident's first anomaly, else the decision's anomaly) → healthy
   * again (the incident resolved, else verification saying resolved), once per incident vigia acted
   * in; `unrecovered` counts those with neither.
   */
  timeToRecover: DurationStats & { unrecovered: number };
  /** timeToRecover.meanSeconds, kept for existing readers. */
  meanTimeToRecoverSeconds: number | null;
  byService: Record<string, RateStats>;
  byAction: Record<string, RateStats>;
  /** Verified outcomes: overall, per action kind, and target scaling's own. */
  accuracy: {
    overall: DecisionAccuracy;
    byAction: Record<string, DecisionAccuracy>;
    targetScaling: DecisionAccuracy;
  };
  mostCommonError: { name: string; count: number } | null;
  mostCommonFailure: { result: string; count: number } | null;
  mostProblematicComponent: { serviceId: string; recoveries: number; failed: number } | null;
}

const ACTIONS = new Set(['scale-out', 'scale-in', 'restart', 'rollback']);
const OUTCOMES = new Set(['resolved', 'not-resolved', 'worse']);

/** What the decision was about: the diagnosis when there is one, else the anomaly's metric. */
export function triggerOf(d: DecisionRecord): string {
  if (d.diagnosis) return d.diagnosis;
  const parts = d.anomalyId.split('~');
  const metric = parts[2] ?? 'unknown';
  return metric.startsWith('manual-') ? 'manual' : metric;
}

/** When the trouble the decision answers began: its anomaly's (or request's) time, in its id. */
export function startOf(d: DecisionRecord): number {
  const fromId = Date.parse(d.anomalyId.split('~')[1] ?? '');
  return Number.isFinite(fromId) ? fromId : Date.parse(d.at);
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

const round1 = (n: number) => Math.round(n * 10) / 10;

export function durationStats(seconds: readonly number[]): DurationStats {
  const ok = seconds.filter((s) => Number.isFinite(s) && s >= 0).sort((a, b) => a - b);
  if (ok.length === 0) return { count: 0, medianSeconds: null, meanSeconds: null };
  const mid = Math.floor(ok.length / 2);
  const median = ok.length % 2 ? ok[mid]! : (ok[mid - 1]! + ok[mid]!) / 2;
  return {
    count: ok.length,
    medianSeconds: round1(median),
    meanSeconds: round1(ok.reduce((a, b) => a + b, 0) / ok.length),
  };
}

function rates(items: readonly DecisionRecord[]): RateStats {
  const ok = items.filter(succeeded).length;
  return {
    recoveries: items.length,
    succeeded: ok,
    failed: items.length - ok,
    successRate: items.length ? ok / items.length : null,
  };
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) out.set(key(item), [...(out.get(key(item)) ?? []), item]);
  return out;
}

const mapValues = <T, U>(m: Map<string, T>, f: (t: T) => U): Record<string, U> =>
  Object.fromEntries([...m].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, f(v)]));

/**
 * Time to recover, once per incident vigia acted in: incident start → resolved. An action outside
 * any resolved incident (target scaling, an incident still open) recovers when its verification
 * said resolved; otherwise it has not recovered.
 */
function recoveryTimes(executed: readonly DecisionRecord[], incidents: readonly IncidentSpan[]) {
  const perIncident = new Map<string, number>();
  const seconds: number[] = [];
  let unrecovered = 0;
  for (const d of executed) {
    const start = startOf(d);
    const incident = incidents.find(
      (i) =>
        i.serviceId === d.serviceId &&
        i.resolvedAt !== null &&
        Date.parse(i.openedAt) <= start &&
        start <= Date.parse(i.resolvedAt),
    );
    if (incident) {
      perIncident.set(
        incident.id,
        (Date.parse(incident.resolvedAt!) - Date.parse(incident.openedAt)) / 1000,
      );
    } else if (d.outcome === 'resolved' && d.verifiedAt) {
      seconds.push((Date.parse(d.verifiedAt) - start) / 1000);
    } else {
      unrecovered++;
    }
  }
  return { ...durationStats([...perIncident.values(), ...seconds]), unrecovered };
}

export function recoveryReport(
  decisions: DecisionRecord[],
  from: Date,
  to: Date,
  incidents: readonly IncidentSpan[] = [],
): RecoveryReport {
  const byStatus: Record<string, number> = {};
  for (const d of decisions) byStatus[d.status] = (byStatus[d.status] ?? 0) + 1;
  const recoveries = decisions.filter(
    (d) => ACTIONS.has(d.action) && (d.status === 'executed' || d.status === 'failed'),
  );
  const executed = recoveries.filter((d) => d.status === 'executed');
  const ok = recoveries.filter(succeeded);
  const timeToAct = durationStats(
    executed
      .filter((d) => d.finishedAt)
      .map((d) => (Date.parse(d.finishedAt!) - startOf(d)) / 1000),
  );
  const timeToRecover = recoveryTimes(executed, incidents);

  const triggers = new Map<string, number>();
  for (const d of recoveries) triggers.set(triggerOf(d), (triggers.get(triggerOf(d)) ?? 0) + 1);
  const failures = new Map<string, number>();
  for (const d of recoveries.filter((r) => !succeeded(r))) {
    const key = (d.result ?? d.outcome ?? 'unknown').slice(0, 200);
    failures.set(key, (failures.get(key) ?? 0) + 1);
  }
  const byService = groupBy(recoveries, (d) => d.serviceId);
  let worst: RecoveryReport['mostProblematicComponent'] = null;
  for (const [serviceId, items] of byService) {
    const s = rates(items);
    const candidate = { serviceId, recoveries: s.recoveries, failed: s.failed };
    if (
      !worst ||
      s.failed > worst.failed ||
      (s.failed === worst.failed && s.recoveries > worst.recoveries)
    ) {
      worst = candidate;
    }
  }
  const verified = executed.filter((d) => d.outcome !== undefined && OUTCOMES.has(d.outcome));
  const accuracyOf = (items: readonly DecisionRecord[]) =>
    decisionAccuracy(items.map((d) => d.outcome as 'resolved' | 'not-resolved' | 'worse'));
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
    timeToAct,
    timeToRecover,
    meanTimeToRecoverSeconds: timeToRecover.meanSeconds,
    byService: mapValues(byService, rates),
    byAction: mapValues(
      groupBy(recoveries, (d) => d.action),
      rates,
    ),
    accuracy: {
      overall: accuracyOf(verified),
      byAction: mapValues(
        groupBy(verified, (d) => d.action),
        accuracyOf,
      ),
      targetScaling: accuracyOf(verified.filter((d) => d.requestedBy === TARGET_SCALING_REQUESTER)),
    },
    mostCommonError: topTrigger ? { name: topTrigger[0], count: topTrigger[1] } : null,
    mostCommonFailure: topFailure ? { result: topFailure[0], count: topFailure[1] } : null,
    mostProblematicComponent: worst,
  };
}
