// The daily report (SPEC O4, issue 16 part 6): one UTC day of incidents, actions, accuracy, time to
// recover, top problems and an estimate of what vigia itself cost — built on the recovery report
// (SPEC A5), sent once through the alerts topic as a notification and kept for the API.
import type { Incident, Notification } from '../alerting';
import type { LearningSummary } from '../decision';
import type { PastIncident } from './incident-timeline';
import { recoveryReport, type DecisionRecord, type RecoveryReport } from './recovery-report';

export interface DailyReport {
  day: string;
  from: string;
  to: string;
  services: number;
  incidents: {
    opened: number;
    resolved: number;
    stillOpen: number;
    /** Mean opened → resolved of the incidents resolved that day. */
    meanMinutesToResolve: number | null;
    worstServices: { serviceId: string; incidents: number }[];
  };
  /** Actions vigia carried out, by kind (scale-out, restart, …). */
  actions: Record<string, number>;
  recovery: RecoveryReport;
  /** Share of verified actions that resolved their problem, all time (null before any). */
  accuracy: number | null;
  topProblems: { problem: string; count: number }[];
  estimatedCostUsd: EstimatedCost;
}

export interface EstimatedCost {
  lambda: number;
  dynamodb: number;
  cloudwatch: number;
  total: number;
}

const DAY_MS = 86_400_000;
const TICKS_PER_DAY = 1440;

/** The UTC day before `now`, the one a daily run reports on. */
export function reportDay(now: Date): { day: string; from: Date; to: Date } {
  const to = new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS);
  const from = new Date(to.getTime() - DAY_MS);
  return { day: from.toISOString().slice(0, 10), from, to };
}

/**
 * A rough day of vigia's own AWS bill at public us-east-1 on-demand prices: every minute one
 * collect and three other scheduled runs, stream consumers on each sample, a sample per service and
 * a model per series written and read, a GetMetricData metric per series.
 */
export function estimatedDailyCost(services: number, series: number): EstimatedCost {
  const invocations = TICKS_PER_DAY * (4 + 4 * Math.max(1, services));
  const lambda = invocations * (0.2 / 1e6 + 0.25 * 0.5 * 0.0000166667);
  const writes = TICKS_PER_DAY * (services + series) * 2;
  const dynamodb = writes * (0.625 / 1e6) + writes * 2 * (0.125 / 1e6);
  const cloudwatch = TICKS_PER_DAY * series * (0.01 / 1000);
  const round = (n: number) => Math.round(n * 10_000) / 10_000;
  return {
    lambda: round(lambda),
    dynamodb: round(dynamodb),
    cloudwatch: round(cloudwatch),
    total: round(lambda + dynamodb + cloudwatch),
  };
}

const inDay = (iso: string | null, from: Date, to: Date) =>
  iso !== null && iso >= from.toISOString() && iso < to.toISOString();

export function dailyReport(input: {
  day: { day: string; from: Date; to: Date };
  services: number;
  series: number;
  decisions: readonly DecisionRecord[];
  past: readonly PastIncident[];
  open: readonly Incident[];
  learning: Pick<LearningSummary, 'accuracy'>;
}): DailyReport {
  const { from, to } = input.day;
  const recovery = recoveryReport([...input.decisions], from, to, input.past);
  const resolved = input.past.filter((p) => inDay(p.resolvedAt, from, to));
  const opened = [...input.past, ...input.open].filter((i) => inDay(i.openedAt, from, to));
  const durations = resolved.map((p) => Date.parse(p.resolvedAt!) - Date.parse(p.openedAt));
  const perService = new Map<string, number>();
  for (const i of [...resolved, ...input.open.filter((o) => o.status === 'open')])
    perService.set(i.serviceId, (perService.get(i.serviceId) ?? 0) + 1);
  const actions: Record<string, number> = {};
  for (const d of input.decisions)
    if (d.status === 'executed' && d.action !== 'notify')
      actions[d.action] = (actions[d.action] ?? 0) + 1;
  const problems = new Map<string, number>();
  for (const p of resolved) problems.set(p.summary, (problems.get(p.summary) ?? 0) + 1);
  if (recovery.mostCommonError)
    problems.set(recovery.mostCommonError.name, recovery.mostCommonError.count);
  return {
    day: input.day.day,
    from: from.toISOString(),
    to: to.toISOString(),
    services: input.services,
    incidents: {
      opened: opened.length,
      resolved: resolved.length,
      stillOpen: input.open.filter((o) => o.status === 'open').length,
      meanMinutesToResolve: durations.length
        ? Math.round(durations.reduce((a, b) => a + b, 0) / durations.length / 6000) / 10
        : null,
      worstServices: [...perService]
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
        .slice(0, 3)
        .map(([serviceId, incidents]) => ({ serviceId, incidents })),
    },
    actions,
    recovery,
    accuracy: input.learning.accuracy,
    topProblems: [...problems]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, 3)
      .map(([problem, count]) => ({ problem, count })),
    estimatedCostUsd: estimatedDailyCost(input.services, input.series),
  };
}

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
const percent = (v: number | null) => (v === null ? 'n/a' : `${Math.round(v * 100)}%`);

/**
 * The report as a notification, so Slack, the webhook and email render it like any message from
 * vigia (an info "outcome" note about vigia itself; its id makes the send exactly-once per day).
 */
export function dailyReportNotification(r: DailyReport): Notification {
  const acted = Object.entries(r.actions).map(([k, n]) => `${n} × ${k}`);
  return {
    id: `daily-report~${r.day}`,
    kind: 'outcome',
    phase: 'note',
    severity: 'info',
    serviceId: 'vigia',
    incidentId: null,
    at: r.to,
    openedAt: null,
    resolvedAt: null,
    headline: `Daily report ${r.day}: ${count(r.incidents.opened, 'incident')} opened, ${r.incidents.resolved} resolved, ${count(r.recovery.totalRecoveries, 'recovery action')}`,
    metrics: [],
    otherMetrics: 0,
    actions: [
      acted.length ? `Actions: ${acted.join(', ')}` : 'Actions: none',
      `Recoveries that worked: ${percent(r.recovery.successRate)}; accuracy so far: ${percent(r.accuracy)}`,
      `Mean time to resolve an incident: ${r.incidents.meanMinutesToResolve ?? 'n/a'} min; to recover by an action: ${r.recovery.meanTimeToRecoverSeconds ?? 'n/a'} s`,
      ...r.topProblems.map((p) => `Top problem: ${p.problem} (${p.count})`),
      `Estimated cost of vigia that day: $${r.estimatedCostUsd.total.toFixed(4)}`,
    ],
    outcomes: [],
    acknowledgedBy: null,
    statusUrl: null,
  };
}
