// Daily housekeeping against the emulator, with the function's own wiring: yesterday's report is
// kept and reaches the topic once however often the run repeats, GET /reports/daily lists it, the
// model of a series that stopped reporting is deleted (a live one stays), and the first-seen mark
// outlives the samples' TTL.
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { config } from '../../lib/config';
import { StatusHistoryStore } from '../../lib/store/status-history-store';
import { housekeepingDeps } from '../../lib/wiring/housekeeping';
import { modelStore, table } from '../../lib/wiring/table';
import { apiAdapters } from '../../lib/wiring/api';
import { openIncident, parseNotificationMessage } from '../../src/alerting';
import { DynamoAlertingStore } from '../../lib/store/alerting-store';
import { runHousekeeping, type HousekeepingDeps } from '../../src/use-cases/housekeeping';
import { FleetWatch } from '../../scripts/lib/fleet-watch';
import { apiGet } from '../support/api-get';
import { aDecision, anomaly, aSample, at, isoAt } from '../support/builders';
import { freshLocalStack, useStackEnvironment } from '../support/local-aws';

// The run on 3 March at 06:00 reports on 2 March.
const now = new Date('2026-03-03T06:00:00.000Z');
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);

describe('housekeeping', () => {
  let deps: HousekeepingDeps;
  let watch: FleetWatch;
  let history: StatusHistoryStore;

  beforeEach(async () => {
    const stack = await freshLocalStack();
    useStackEnvironment(stack);
    const c = config();
    deps = { ...housekeepingDeps(c), clock: { now: () => now } };
    watch = new FleetWatch(stack.endpoint, stack.tableName, stack.inboxQueueUrl);
    history = new StatusHistoryStore(table(c));
    const store = apiAdapters(c).store;

    // web: watched for 10 days; cpu sampled an hour ago, queue-depth last seen 10 days ago.
    await store.putSample(
      aSample({ at: hoursAgo(240).toISOString(), metrics: { cpu: 50, 'queue-depth': 3 } }),
      now,
    );
    await store.putSample(aSample({ at: hoursAgo(1).toISOString(), metrics: { cpu: 50 } }), now);
    await modelStore(c).saveModel('web', 'cpu', { n: 1 }, 0);
    await modelStore(c).saveModel('web', 'queue-depth', { n: 1 }, 0);
    // Yesterday: a 30 minute incident on web, and one scale-out.
    await history.recordPastIncident({
      id: 'inc~web~2026-03-02T10:00:00.000Z',
      serviceId: 'web',
      severity: 'critical',
      level: 'outage',
      openedAt: '2026-03-02T10:00:00.000Z',
      resolvedAt: '2026-03-02T10:30:00.000Z',
      summary: 'CPU 97% is far above its usual 40%',
      timeline: [],
    });
    await store.putDecision(aDecision({ at: '2026-03-02T10:01:00.000Z' }), now);
  });

  it('keeps and sends yesterday’s report once, and GET /reports/daily lists it', async () => {
    const first = await runHousekeeping(deps);
    const again = await runHousekeeping(deps);

    expect(first.report).toEqual({ day: '2026-03-02', kept: 'created', sent: 'published' });
    expect(again.report).toEqual({ day: '2026-03-02', kept: 'existing', sent: 'duplicate' });
    const messages = [...(await watch.receive(2)), ...(await watch.receive(1))];
    expect(messages).toHaveLength(1);
    const n = parseNotificationMessage(messages[0]!.message);
    expect(n.headline).toBe(
      'Daily report 2026-03-02: 1 incident opened, 1 resolved, 1 recovery action',
    );
    expect(n.actions).toContain('Actions: 1 × scale-out');
    expect(n.actions.join('\n')).toContain('Mean time to resolve an incident: 30 min');
    expect(n.actions.join('\n')).toContain('Top problem: CPU 97% is far above its usual 40% (1)');
    expect(n.actions.join('\n')).toMatch(/Estimated cost of vigia that day: \$\d+\.\d{4}/);

    const res = await apiGet('/reports/daily', { now });
    expect(res.status).toBe(200);
    const { items } = res.json;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      day: '2026-03-02',
      incidents: { opened: 1, resolved: 1, stillOpen: 0, meanMinutesToResolve: 30 },
      actions: { 'scale-out': 1 },
      recovery: { totalRecoveries: 1, succeeded: 1 },
    });
    expect(items[0].estimatedCostUsd.total).toBeGreaterThan(0);
  });

  it('deletes the model of a series silent for a week, once, and keeps the live one', async () => {
    const first = await runHousekeeping(deps);
    const again = await runHousekeeping(deps);

    expect(first.compacted).toEqual([{ serviceId: 'web', metric: 'queue-depth' }]);
    expect(again.compacted).toEqual([]);
    const models = await deps.models.loadModels('web');
    expect(models.map((m) => m.metric)).toEqual(['cpu']);
  });

  it('keeps a resolved incident notify did not get to keep (a run that died after saving it)', async () => {
    const c = config();
    // Saved as notify would, minus the step that keeps it for the status page.
    const bare = new DynamoAlertingStore(table(c), c.alerting);
    const opened = openIncident(anomaly('api', 'cpu', 0, 'critical'), at(0));
    await bare.saveIncident(
      { ...opened, status: 'resolved', resolvedAt: isoAt(600), version: opened.version + 1 },
      0,
    );

    const first = await runHousekeeping(deps);
    const again = await runHousekeeping(deps);

    expect(first.repaired).toBe(1);
    expect(again.repaired).toBe(0);
    const kept = await history.pastIncidents('api', at(-86_400));
    expect(kept.map((p) => [p.openedAt, p.resolvedAt])).toEqual([[isoAt(0), isoAt(600)]]);
    // Yesterday's report counts it.
    expect((await deps.reports.get('2026-03-02'))?.incidents.resolved).toBe(2);
  });

  it('keeps when web was first seen after its oldest sample expires', async () => {
    const first = await runHousekeeping(deps);
    expect(first.tracked).toBeGreaterThanOrEqual(1);
    // The 10 day old sample goes (its TTL is 14 days; here it is deleted by hand).
    const t = table(config());
    await t.send(
      new DeleteCommand({
        TableName: t.name,
        Key: { pk: 'SVC#web', sk: `SAMPLE#${hoursAgo(240).toISOString()}` },
      }),
    );

    expect(await history.trackedSince('web')).toEqual(hoursAgo(240));
  });
});
