// The status page as a person sees it: headless Chromium (Debian's, driven by playwright-core) opens
// GET / from serverless offline on a phone-sized screen and reads the services, the open incident
// and the recent action; a screenshot is kept in test-output/.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SingleTableStore } from '../../lib/store/single-table-store';
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
    viewport: { width: 390, height: 844 },
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

  const incidents = await page.locator('#incidents').textContent();
  expect(incidents).toContain('Public API');
  expect(incidents).toContain('CPU 93% is far above its usual 40%');

  const actions = await page.locator('#actions').textContent();
  expect(actions).toContain('web: scale-out to 5 tasks');
  expect(actions).toContain('by an operator');

  // Readable on a phone: nothing wider than the screen.
  const overflow = await page.evaluate<number>(
    'document.documentElement.scrollWidth - window.innerWidth',
  );
  expect(overflow).toBeLessThanOrEqual(0);

  mkdirSync('test-output', { recursive: true });
  await page.screenshot({ path: 'test-output/status-page.png', fullPage: true });
});
