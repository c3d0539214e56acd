/**
 * The monitoring dashboard in Chromium: a supervisor logs in at /operator with TOTP, follows the link to
 * /operator/stats, sees the Tabel 13 table with its TOTAL row and both charts drawn (canvas pixels, not just the
 * element), drills into a province, and nothing breaks the CSP. Screenshots go to test-results/e2e/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { accessLog, accounts, registrations } from '../../src/db/schema/index.js';
import { createServiceRequest } from '../../src/domain/services/requests.js';
import { REQUESTS } from '../helpers/services.js';
import { createTestOperator, currentOtp } from '../helpers/operator.js';
import { browserSuiteTitle, chromiumAvailable, detectChromium, launchChromium, newPage, screenshot, startApp, type RunningApp } from './harness.js';

async function seed(app: RunningApp) {
  const { db } = app.ctx.deps;
  // The test clock stands at 2026-11-23T08:00Z; all of this is in November, local time.
  const reg = (id: string, nik: string, createdAt: string) => ({
    id,
    nik,
    name: 'X',
    birthDate: '1990-01-01',
    email: `${id}@example.id`,
    phone: '+6281200000000',
    devicePublicKey: 'k',
    kind: 'new' as const,
    status: 'pending_verification' as const,
    createdAt: new Date(createdAt),
    expiresAt: new Date(Date.parse(createdAt) + 86_400_000),
  });
  await db.insert(registrations).values([
    reg('reg_1', '7310014501900001', '2026-11-05T03:00:00Z'),
    reg('reg_2', '7310044501900005', '2026-11-12T03:00:00Z'),
    reg('reg_3', '7372016003850003', '2026-11-20T03:00:00Z'),
    reg('reg_4', '5108015002950002', '2026-11-21T03:00:00Z'),
    reg('reg_5', '3171014501900006', '2026-11-22T03:00:00Z'),
  ]);
  const acc = (id: string, nik: string, activatedAt: string) => ({
    id,
    nik,
    email: `${id}@example.id`,
    phone: '+6281200000000',
    status: 'active' as const,
    pinHash: 'x',
    activatedAt: new Date(activatedAt),
    createdAt: new Date(activatedAt),
    updatedAt: new Date(activatedAt),
  });
  await db.insert(accounts).values([acc('acc_1', '7310014501900001', '2026-11-06T03:00:00Z'), acc('acc_2', '5108015002950002', '2026-11-22T03:00:00Z')]);
  await db.insert(accessLog).values([
    { at: new Date('2026-11-10T03:00:00Z'), tokenId: null, accountId: 'acc_1', verifierId: 'ver_1', outcome: 'verified', elements: ['nik'] },
    { at: new Date('2026-11-23T03:00:00Z'), tokenId: null, accountId: 'acc_2', verifierId: 'ver_1', outcome: 'verified', elements: ['nik'] },
  ]);
  // Service requests (Pelayanan), created through the domain at their moments: Pangkep on 6 November, Buleleng on the 22nd.
  const { clock } = app.ctx;
  const before = clock.now().toISOString();
  const { type, details, attachments, fulfilment } = REQUESTS.data_sync;
  try {
    for (const [accountId, nik, when] of [
      ['acc_1', '7310014501900001', '2026-11-06T05:00:00Z'],
      ['acc_2', '5108015002950002', '2026-11-22T05:00:00Z'],
    ] as const) {
      clock.set(when);
      await createServiceRequest(app.ctx.deps, { resident: { accountId, nik, sessionId: 'ses_x', deviceId: 'dev_x' }, type, details, attachments: [...attachments], fulfilment });
    }
  } finally {
    clock.set(before);
  }
}

/** How many pixels of the canvas are not blank: a drawn chart has lines, bars, axes and labels. */
const paintedPixels = (page: Page, id: string) =>
  page.evaluate((canvasId) => {
    const canvas = document.getElementById(canvasId) as HTMLCanvasElement;
    if (!canvas || canvas.width === 0 || canvas.height === 0) return 0;
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    let painted = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) painted += 1;
    return painted;
  }, id);

describe.skipIf(!chromiumAvailable())(browserSuiteTitle('monitoring dashboard in Chromium', detectChromium()), () => {
  let app: RunningApp;
  let browser: Browser;

  beforeAll(async () => {
    [app, browser] = await Promise.all([startApp(), launchChromium()]);
    await seed(app);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('a supervisor opens /operator/stats: table with TOTAL, both charts drawn, drill-down into a province', async () => {
    const supervisor = await createTestOperator(app.ctx, 'supervisor', { name: 'Sari Supervisor' });
    const { page, context, problems } = await newPage(browser, { baseUrl: app.baseUrl, viewport: { width: 1280, height: 900 } });
    try {
      await page.goto('/operator');
      await page.waitForSelector('#view-op-login:not([hidden])');
      await page.fill('#op-username', supervisor.username);
      await page.fill('#op-password', supervisor.password);
      await page.fill('#op-otp', await currentOtp(app.ctx, supervisor.totpSecret));
      await page.click('#op-login-form button[type=submit]');
      await page.waitForSelector('#view-op-console:not([hidden])');
      // The console offers the dashboard to a supervisor.
      await page.click('#op-stats-link');
      await page.waitForURL(/\/operator\/stats$/);
      await page.waitForSelector('body[data-charts-ready="true"]');

      const cells = (selector: string) => page.locator(`${selector} td.num`).allTextContents();
      expect(await page.locator('#stats-total th').textContent()).toBe('TOTAL');
      // The fourth measure: service requests (Pelayanan), with its column header.
      expect(await page.locator('#stats-table thead th.num').allTextContents()).toEqual(['Pendaftaran', 'Aktivasi', 'Verifikasi', 'Pelayanan']);
      expect(await cells('#stats-total')).toEqual(['5', '2', '2', '2']);
      expect(await cells('tr[data-code="73"]')).toEqual(['3', '1', '1', '1']);
      expect(await page.locator('tr[data-code="51"] td[data-measure="serviceRequests"]').textContent()).toBe('1');
      expect(await page.locator('#stats-table tbody tr').count()).toBe(1 + 38);
      expect(await page.locator('#stats-footnote').textContent()).toContain('NIK');
      for (const id of ['stats-chart-days', 'stats-chart-regions']) {
        expect(await paintedPixels(page, id), id).toBeGreaterThan(500);
      }
      // The per-day series carries the service requests too (6 and 22 November, WIB).
      const series = await page.evaluate(() => {
        const chart = (window as unknown as { Chart: { getChart(id: string): { data: { labels: string[]; datasets: { label: string; data: number[] }[] } } } }).Chart.getChart('stats-chart-days');
        const pelayanan = chart.data.datasets.find((d) => d.label === 'Pelayanan')!;
        return chart.data.labels.filter((_, i) => pelayanan.data[i]! > 0);
      });
      expect(series).toEqual(['2026-11-06', '2026-11-22']);
      await screenshot(page, 'stats-national');

      await page.click('tr[data-code="73"] th a');
      await page.waitForURL(/level=regency&parent=73/);
      await page.waitForSelector('body[data-charts-ready="true"]');
      expect(await page.locator('#stats-breadcrumb [aria-current="page"]').textContent()).toBe('SULAWESI SELATAN');
      expect(await page.locator('#stats-period-note').textContent()).toContain('WITA');
      expect(await cells('#stats-total')).toEqual(['3', '1', '1', '1']);
      expect(await cells('tr[data-code="7310"]')).toEqual(['2', '1', '1', '1']);
      expect(await paintedPixels(page, 'stats-chart-regions')).toBeGreaterThan(500);
      await screenshot(page, 'stats-province-73');

      // One more level: the regency's districts; the period filter to a range keeps the level.
      await page.click('tr[data-code="7310"] th a');
      await page.waitForURL(/level=district&parent=7310/);
      await page.selectOption('#stats-period', 'range');
      await page.fill('#stats-from', '2026-11-01');
      await page.fill('#stats-to', '2026-11-06');
      await page.click('#stats-filter button[type=submit]');
      await page.waitForURL(/period=range/);
      await page.waitForSelector('body[data-charts-ready="true"]');
      expect(page.url()).toContain('level=district&parent=7310');
      expect(await cells('#stats-total')).toEqual(['1', '1', '0', '1']);
      expect(await cells('tr[data-code="731001"]')).toEqual(['1', '1', '0', '1']);
      await screenshot(page, 'stats-district-7310-range');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('a plain operator gets the 403 page', async () => {
    const plain = await createTestOperator(app.ctx, 'operator');
    const { page, context } = await newPage(browser, { baseUrl: app.baseUrl, viewport: { width: 1280, height: 900 } });
    try {
      await page.goto('/operator');
      await page.waitForSelector('#view-op-login:not([hidden])');
      await page.fill('#op-username', plain.username);
      await page.fill('#op-password', plain.password);
      await page.fill('#op-otp', await currentOtp(app.ctx, plain.totpSecret));
      await page.click('#op-login-form button[type=submit]');
      await page.waitForSelector('#view-op-console:not([hidden])');
      expect(await page.isHidden('#op-stats-link')).toBe(true);
      const response = await page.goto('/operator/stats');
      expect(response?.status()).toBe(403);
      expect(await page.getAttribute('#stats-denied', 'data-status')).toBe('403');
    } finally {
      await context.close();
    }
  });
});
