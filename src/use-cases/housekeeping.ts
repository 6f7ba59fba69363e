// The daily housekeeping run (SPEC O4, issue 16 part 6): resolved incidents the status page has
// not kept yet are kept (notify keeps them as it resolves them; this repairs a run that died in
// between), yesterday's report kept and sent once, detector models of series that stopped
// reporting deleted, and each service's first-seen mark moved back to its oldest sample before
// samples expire (the status page's 90 days need it).
// Every step is safe to run twice: the report is created once and sent through the notification
// log, a model is deleted only at the version read, and a mark only moves earlier.
import type { Incident } from '../alerting';
import type { LearningSummary } from '../decision';
import type {
  Clock,
  CollectorHeartbeat,
  ModelRecord,
  NotificationLog,
  PublicationEcho,
  UnconfirmedPublications,
  Notifier,
  ServiceRegistry,
} from '../ports';
import { dailyReport, dailyReportNotification, reportDay, type DailyReport } from './daily-report';
import { pastIncident, type PastIncident } from './incident-timeline';
import { publishNotification } from './publish-notification';
import type { DecisionRecord } from './recovery-report';

export interface DailyReportStore {
  /** False when that day's report was kept already. */
  create(report: DailyReport, now: Date): Promise<boolean>;
  get(day: string): Promise<DailyReport | null>;
}

export interface StaleModelStore {
  loadModels(serviceId: string): Promise<ModelRecord[]>;
  /** Which of `metrics` have a value in some sample since `since`. */
  metricsSampledSince(serviceId: string, metrics: string[], since: Date): Promise<Set<string>>;
  /** False when the model changed since it was read (it is alive after all). */
  deleteModel(serviceId: string, metric: string, version: number): Promise<boolean>;
}

export interface HousekeepingDeps {
  clock: Clock;
  registry: ServiceRegistry;
  decisions: { allDecisions(range: { from: Date; to: Date }, max: number): Promise<unknown[]> };
  incidents: {
    pastIncidents(serviceId: string, since: Date): Promise<PastIncident[]>;
    openIncidents(serviceId: string): Promise<Incident[]>;
    /** The alerting incidents still in the table (resolved ones stay a day). */
    currentIncidents(serviceId: string, now: Date): Promise<Incident[]>;
    /** False when it was kept already. */
    keepPast(p: PastIncident & { resolvedAt: string }): Promise<boolean>;
  };
  learning: { loadSummary(): Promise<{ summary: LearningSummary }> };
  heartbeat: { lastCollectorRun(): Promise<CollectorHeartbeat | null> };
  reports: DailyReportStore;
  models: StaleModelStore;
  tracking: {
    oldestSampleAt(serviceId: string): Promise<string | null>;
    markTracked(serviceId: string, firstSeenAt: string): Promise<boolean>;
  };
  log: NotificationLog;
  notifier: Notifier;
  /** The topic's echo: settles a Publish whose answer was lost (publish-notification.ts). */
  echo?: PublicationEcho;
  /** Keeps a Publish with no answer and no echo for alert-timers (publish-notification.ts). */
  unconfirmed?: UnconfirmedPublications;
  /** A model whose series had no sample for this many days is deleted. */
  staleModelDays: number;
}

export interface HousekeepingResult {
  /** Resolved incidents kept for the status page by this run (0 when notify kept them all). */
  repaired: number;
  report: { day: string; kept: 'created' | 'existing'; sent: 'published' | 'duplicate' };
  compacted: { serviceId: string; metric: string }[];
  tracked: number;
}

const MAX_DECISIONS = 5000;

export async function runHousekeeping(deps: HousekeepingDeps): Promise<HousekeepingResult> {
  const now = deps.clock.now();
  const services = await deps.registry.list();
  let repaired = 0;
  for (const s of services) {
    for (const i of await deps.incidents.currentIncidents(s.id, now)) {
      if (i.resolvedAt === null) continue;
      if (await deps.incidents.keepPast({ ...pastIncident(i), resolvedAt: i.resolvedAt }))
        repaired += 1;
    }
  }
  const report = await keepDailyReport(
    deps,
    services.map((s) => s.id),
    now,
  );
  const compacted: HousekeepingResult['compacted'] = [];
  let tracked = 0;
  for (const s of services) {
    compacted.push(...(await compactModels(deps, s.id, now)));
    const oldest = await deps.tracking.oldestSampleAt(s.id);
    if (oldest !== null && (await deps.tracking.markTracked(s.id, oldest))) tracked += 1;
  }
  return { repaired, report, compacted, tracked };
}

async function keepDailyReport(
  deps: HousekeepingDeps,
  serviceIds: string[],
  now: Date,
): Promise<HousekeepingResult['report']> {
  const day = reportDay(now);
  // A second run sends what the first kept, not a recount of a table that has moved on.
  let report = await deps.reports.get(day.day);
  let kept: 'created' | 'existing' = 'existing';
  if (report === null) {
    const [decisions, learning, heartbeat, perService] = await Promise.all([
      deps.decisions.allDecisions(day, MAX_DECISIONS),
      deps.learning.loadSummary(),
      deps.heartbeat.lastCollectorRun(),
      Promise.all(
        serviceIds.map(async (id) => ({
          past: await deps.incidents.pastIncidents(id, day.from),
          open: await deps.incidents.openIncidents(id),
        })),
      ),
    ]);
    const fresh = dailyReport({
      day,
      services: serviceIds.length,
      series: heartbeat?.series ?? serviceIds.length * 2,
      decisions: decisions as DecisionRecord[],
      past: perService.flatMap((p) => p.past),
      open: perService.flatMap((p) => p.open),
      learning: learning.summary,
    });
    if (await deps.reports.create(fresh, now)) {
      report = fresh;
      kept = 'created';
    } else {
      report = (await deps.reports.get(day.day)) ?? fresh;
    }
  }
  const sent = await publishNotification(deps, dailyReportNotification(report));
  return { day: day.day, kept, sent };
}

async function compactModels(deps: HousekeepingDeps, serviceId: string, now: Date) {
  const models = await deps.models.loadModels(serviceId);
  if (models.length === 0) return [];
  const since = new Date(now.getTime() - deps.staleModelDays * 86_400_000);
  const alive = await deps.models.metricsSampledSince(
    serviceId,
    models.map((m) => m.metric),
    since,
  );
  const removed: { serviceId: string; metric: string }[] = [];
  for (const m of models) {
    if (alive.has(m.metric)) continue;
    if (await deps.models.deleteModel(serviceId, m.metric, m.version))
      removed.push({ serviceId, metric: m.metric });
  }
  return removed;
}
