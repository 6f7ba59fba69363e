// The status page as a person sees it: headless Chromium (Debian's, driven by playwright-core) opens
// GET / from serverless offline on a phone and a desktop screen and reads the services (with their
// health score), the open incident, the recent action, and the history (uptime, 90 day bars, the
// load chart, a past incident's timeline, who was paged for an escalated one); screenshots of both
// layouts are kept in test-output/.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DynamoEscalationStore } from '../../lib/sns/escalation-store';
import { DynamoAlertingStore } from '../../lib/store/alerting-store';
import { SingleTableStore } from '../../lib/store/single-table-store';
import { StatusHistoryStore } from '../../lib/store/status-history-store';
import {
  alertingConfigSchema,
  emptyAlertingState,
  noteFromDecision,
  openIncident,
} from '../../src/alerting';
import { aDecision, anAnomaly } from '../support/builders';
import { startOfflineStack } from '../support/offline-fixture';
import { apiKit } from './api-support';

const CHROMIUM = '/usr/bin/chromium';

let ctx: Awaited<ReturnType<typeof startOfflineStack>>;
let browser: BrowserContext | undefined;
let profile: string;

beforeAll(async () => {
  // Never skipped: .ci/run installs the browser; elsewhere, say how to get it.
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: run scripts/install-browser.sh (Debian's chromium)`);
  }
  ctx = await startOfflineStack();
  const kit = apiKit(ctx.stack.endpoint, ctx.stack.tableName, ctx.offline.httpUrl);
  const store = new SingleTableStore(kit.table);
  const now = new Date();
  now.setUTCSeconds(0, 0);
  const at = now.toISOString();
  await store.putSample(
    {
      serviceId: 'api',
      at,
      metrics: { cpu: 93, memory: 61 },
      ecs: {
        desiredCount: 2,
        runningCount: 2,
        pendingCount: 0,
        taskDefinition: 'api-task:1',
        deployments: 1,
        rolloutState: 'COMPLETED',
        lastDeploymentAt: null,
      },
    },
    now,
  );
  await store.putAnomaly(
    {
      id: `api~${at}~cpu`,
      serviceId: 'api',
      metric: 'cpu',
      at,
      value: 93,
      score: 0.97,
      direction: 'up',
      expected: 40,
      lower: 30,
      upper: 55,
      severity: 'critical',
      explanation: 'CPU 93% is far above its usual 40%',
      desiredCount: 2,
    },
    now,
  );
  await seedApiEscalation(kit.table, now, at);
  await seedWebHistory(kit.table, store, now);
  const operator = await kit.key('page-operator', ['operate']);
  const scaled = await kit.call('POST', '/services/web/actions', {
    key: operator,
    body: { type: 'scale', desiredCount: 5 },
  });
  expect(scaled.status).toBe(202);
  profile = mkdtempSync(path.join(os.tmpdir(), 'vigia-chromium-'));
  // A fresh profile per run (the persistent-context form is how playwright takes a user-data-dir).
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    viewport: { width: 375, height: 812 },
    deviceScaleFactor: 2,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

/**
 * web: watched for 3 days, CPU over the last hour, and a 30 minute critical incident that ended an
 * hour and a half ago, during which vigia scaled out — resolved through the alerting store as
 * notify saves it.
 */
async function seedWebHistory(
  table: ConstructorParameters<typeof StatusHistoryStore>[0],
  store: SingleTableStore,
  now: Date,
) {
  const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);
  await store.putSample(
    { serviceId: 'web', at: minutesAgo(3 * 1440).toISOString(), metrics: { cpu: 20 }, ecs: null },
    now,
  );
  for (let m = 60; m >= 2; m -= 2) {
    const sampleAt = minutesAgo(m).toISOString();
    await store.putSample(
      { serviceId: 'web', at: sampleAt, metrics: { cpu: 30 + (m % 20) * 2 }, ecs: null },
      now,
    );
  }
  const alerting = new DynamoAlertingStore(
    table,
    alertingConfigSchema.parse({}),
    new StatusHistoryStore(table),
  );
  const openedAt = minutesAgo(120).toISOString();
  const opened = openIncident(
    anAnomaly({
      id: `web~${openedAt}~cpu`,
      serviceId: 'web',
      at: openedAt,
      severity: 'critical',
      explanation: 'CPU 97% is far above its usual 35%',
    }),
    minutesAgo(120),
  );
  const scaled = noteFromDecision(
    aDecision({
      serviceId: 'web',
      at: minutesAgo(118).toISOString(),
      fromCount: 2,
      toCount: 4,
      status: 'executed',
    }),
  );
  const one = (incident: typeof opened) => ({ ...emptyAlertingState(), incidents: [incident] });
  await alerting.saveServiceState(emptyAlertingState(), one(opened), minutesAgo(120));
  await alerting.saveServiceState(
    one(opened),
    one({
      ...opened,
      status: 'resolved',
      resolvedAt: minutesAgo(90).toISOString(),
      notes: [scaled],
      version: opened.version + 1,
    }),
    minutesAgo(90),
  );
}

/** api's CPU incident is critical, unacknowledged, and escalated to its first level. */
async function seedApiEscalation(
  table: ConstructorParameters<typeof StatusHistoryStore>[0],
  now: Date,
  at: string,
) {
  const alerting = new DynamoAlertingStore(
    table,
    alertingConfigSchema.parse({}),
    new StatusHistoryStore(table),
  );
  const incident = openIncident(
    anAnomaly({
      id: `api~${at}~cpu`,
      serviceId: 'api',
      at,
      value: 93,
      severity: 'critical',
      explanation: 'CPU 93% is far above its usual 40%',
    }),
    now,
  );
  await alerting.saveServiceState(
    emptyAlertingState(),
    { ...emptyAlertingState(), incidents: [incident] },
    now,
  );
  await new DynamoEscalationStore(table).record(
    {
      incidentId: incident.id,
      serviceId: 'api',
      pages: [{ level: 0, at, receivers: [PAGED_PAGERDUTY, PAGED_PHONE] }],
      version: 1,
    },
    now,
  );
}

const PAGED_PAGERDUTY = 'pagerduty:/vigia/dev/notify/pagerduty-routing-key';
const PAGED_PHONE = 'sms:+34600111222';

afterAll(async () => {
  await browser?.close();
  await ctx?.offline.stop();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

it('shows each service, the open incident and the recent action on a phone screen', async () => {
  const page = await browser!.newPage();
  await page.goto(`${ctx.offline.httpUrl}/`);
  const banner = page.locator('#banner');
  await expect.poll(() => banner.textContent(), { timeout: 15_000 }).not.toBe('Loading…');
  expect(await banner.textContent()).toBe('Some services are degraded');

  const services = page.locator('#services li');
  expect(await services.count()).toBe(3);
  const names = await page.locator('#services .name').allTextContents();
  expect(names).toEqual(expect.arrayContaining(['Web storefront', 'Public API', 'Order worker']));
  const apiRow = page.locator('#services li[data-service="api"]');
  expect(await apiRow.locator('.pill').textContent()).toBe('degraded');
  expect(await apiRow.locator('.detail').textContent()).toContain('CPU 93%');
  // A critical CPU anomaly with both tasks running: the bottom of degraded, as the pill says.
  expect(await apiRow.locator('.health').textContent()).toBe('Health 40/100');
  expect(await apiRow.locator('.health').getAttribute('data-state')).toBe('degraded');
  const webRow = page.locator('#services li[data-service="web"]');
  expect(await webRow.locator('.health').textContent()).toBe('Health 100/100');

  const incidents = await page.locator('#incidents').textContent();
  expect(incidents).toContain('Public API');
  expect(incidents).toContain('CPU 93% is far above its usual 40%');

  // Who was paged, by kind only: the page is public.
  expect(await page.locator('#incidents .paged').textContent()).toMatch(
    /^Paged: level 1 — pagerduty, sms at .+/,
  );
  expect(incidents).not.toContain('+34600111222');
  expect(incidents).not.toContain('/vigia/');
  const status = await (await fetch(`${ctx.offline.httpUrl}/status`)).text();
  expect(status).not.toContain('+34600111222');
  expect(status).not.toContain('pagerduty-routing-key');

  const actions = await page.locator('#actions').textContent();
  expect(actions).toContain('web: scale-out to 5 tasks');
  expect(actions).toContain('by an operator');

  // Readable on a phone: nothing wider than the screen.
  const overflow = await page.evaluate<number>(
    'document.documentElement.scrollWidth - window.innerWidth',
  );
  expect(overflow).toBeLessThanOrEqual(0);

  await expectHistory(page);
  mkdirSync('test-output', { recursive: true });
  await page.screenshot({ path: 'test-output/status-page-phone.png', fullPage: true });
});

it('shows the history on a desktop screen too', async () => {
  const page = await browser!.newPage();
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${ctx.offline.httpUrl}/`);
  await expect
    .poll(() => page.locator('#banner').textContent(), { timeout: 15_000 })
    .not.toBe('Loading…');
  await expectHistory(page);
  // The desktop layout puts the chart beside the day bars.
  const web = page.locator('#services li[data-service="web"]');
  const bars = await web.locator('.history').boundingBox();
  const chart = await web.locator('.chart').boundingBox();
  expect(chart!.x).toBeGreaterThan(bars!.x + bars!.width - 1);
  mkdirSync('test-output', { recursive: true });
  await page.screenshot({ path: 'test-output/status-page-desktop.png', fullPage: true });
});

/** What a person reads of web's history: uptime, 90 bars, the chart, the past incident. */
async function expectHistory(page: Awaited<ReturnType<BrowserContext['newPage']>>) {
  const web = page.locator('#services li[data-service="web"]');
  // 30 minutes of outage in the last day; 3 days watched.
  expect(await web.locator('.stat[data-window="24h"] b').textContent()).toBe('97.92%');
  expect(await web.locator('.stat[data-window="90d"] b').textContent()).toBe('99.31%');
  expect(await web.locator('.bar').count()).toBe(90);
  expect(await web.locator('.bar.no-data').count()).toBe(86);
  expect(await web.locator('.bar.outage').count()).toBeGreaterThanOrEqual(1);
  expect(await web.locator('.bar.outage').last().getAttribute('title')).toMatch(/\d+ min outage/);
  expect(await web.locator('.chart svg polyline').count()).toBe(1);
  expect(await web.locator('.chart').textContent()).toContain('CPU last 3 h');
  expect(await web.locator('.bar').first().isVisible()).toBe(true);

  const past = page.locator('#past');
  const text = await past.textContent();
  expect(text).toContain('Web storefront');
  expect(text).toContain('Opened: CPU 97% is far above its usual 35%');
  expect(text).toContain('vigia scaled out from 2 to 4 tasks');
  expect(text).toContain('Resolved: back to normal');
  expect(await past.locator('.timeline li').count()).toBe(3);
}
