/**
 * Pelayanan in Chromium: a resident in /app sends a download-type request with a real photo, an operator in
 * /operator (own browser context) opens it from the queue, sees the photo and the registry record and moves it to
 * completed with the buttons; the resident sees the timeline in Pemantauan Pelayanan, downloads the issued PDF and
 * rates it. A courier on a phone marks a delivery request delivered, seeing only the courier's buttons.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createOperatorSession, createTestOperator, currentOtp, type TestOperator } from '../helpers/operator.js';
import { createActiveResident, loginAs, type ActiveResident } from '../helpers/resident.js';
import { REQUESTS, submitRequest, walk } from '../helpers/services.js';
import { browserSuiteTitle, chromiumAvailable, detectChromium, installDevice, launchChromium, newPage, PHONE, screenshot, startApp, type RunningApp, type WatchedPage } from './harness.js';

describe.skipIf(!chromiumAvailable())(browserSuiteTitle('Pelayanan in /app and /operator', detectChromium()), () => {
  let app: RunningApp;
  let browser: Browser;
  const opened: WatchedPage[] = [];

  beforeAll(async () => {
    [app, browser] = await Promise.all([startApp(), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function residentApp(holder: ActiveResident): Promise<WatchedPage> {
    const watched = await newPage(browser, { baseUrl: app.baseUrl });
    opened.push(watched);
    const { page } = watched;
    await page.goto('/app');
    await installDevice(page, holder);
    await page.reload();
    await page.waitForSelector('#view-login:visible');
    await page.fill('#login-pin', holder.pin);
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#view-home:visible');
    return watched;
  }

  async function operatorConsole(operator: TestOperator, viewport = { width: 1100, height: 900 }): Promise<WatchedPage> {
    const watched = await newPage(browser, { baseUrl: app.baseUrl, viewport });
    opened.push(watched);
    const { page } = watched;
    await page.goto('/operator');
    await page.fill('#op-username', operator.username);
    await page.fill('#op-password', operator.password);
    await page.fill('#op-otp', await currentOtp(app.ctx, operator.totpSecret));
    await page.click('#op-login-form button[type=submit]');
    await page.waitForSelector('#view-op-console:visible');
    return watched;
  }

  async function stepButtons(page: Page): Promise<string[]> {
    return page.locator('#op-svc-buttons button').evaluateAll((buttons) => buttons.map((b) => (b as HTMLElement).dataset.to ?? ''));
  }

  async function takeStep(page: Page, to: string): Promise<void> {
    await page.click(`#op-svc-buttons [data-to=${to}]`);
    await page.waitForSelector(`#op-svc-request-status[data-status=${to}]`);
    expect(await page.textContent('#op-svc-status')).toContain('Status sekarang');
  }

  it('resident sends a request with a photo; the operator completes it with the buttons; the resident downloads the PDF and rates it', async () => {
    const holder = await createActiveResident(app.ctx, { login: false }); // MUHAMMAD ARIF
    const resident = await residentApp(holder);
    const page = resident.page;
    // A real PNG: Chromium's own screenshot of the page.
    const photo = await page.screenshot({ clip: { x: 0, y: 0, width: 200, height: 120 } });

    await page.click('.tabs [data-tab=services]');
    await expect.poll(() => page.locator('#svc-type option').count()).toBeGreaterThan(5);
    await page.selectOption('#svc-type', 'data_sync');
    await page.waitForSelector('#svc-form:visible');
    // Sending without the required photos: requirements_missing in words, naming what is missing.
    // The form speaks Indonesian: labels from the field names, not the names themselves.
    const labels = await page.$$eval('#svc-form label', (ls) => ls.map((l) => l.textContent ?? ''));
    expect(labels).toEqual(expect.arrayContaining(['Data yang dibetulkan', 'Data yang benar']));
    expect(labels.some((l) => /correctValue|registryValue/.test(l))).toBe(false);
    await page.fill('[name="items[0].element"]', 'birthPlace');
    await page.fill('[name="items[0].correctValue"]', 'PANGKAJENE');
    await page.click('#svc-form button[type=submit]');
    await expect.poll(() => page.textContent('#svc-status')).toContain('Persyaratan belum lengkap: KTP-el pemohon, Kartu Keluarga (asli)');
    expect(resident.expectedHttpErrors.some((e) => /422/.test(e))).toBe(true);

    await page.setInputFiles('#svc-file-ktp_el', { name: 'ktp.png', mimeType: 'image/png', buffer: photo });
    await page.setInputFiles('#svc-file-kk', { name: 'kk.png', mimeType: 'image/png', buffer: photo });
    expect(await page.getAttribute('#svc-file-kk', 'accept')).toBe('image/*,application/pdf');
    expect(await page.getAttribute('#svc-file-kk', 'capture')).toBe('environment');
    await page.fill('[name="purpose"]', 'BPJS Kesehatan');
    await page.check('#svc-ful-download');
    await screenshot(page, 'services-form');
    await page.click('#svc-form button[type=submit]');
    await expect.poll(() => page.textContent('#svc-status')).toMatch(/Permohonan 7310-\d{8}-\d{6} terkirim/);

    // The operator of office 7310 opens it from the queue.
    const operator = await createTestOperator(app.ctx, 'operator', { name: 'Sari Operator' });
    const office = await operatorConsole(operator);
    const op = office.page;
    await op.waitForSelector('#op-svc-queue [data-request-id]');
    await op.click('#op-svc-queue [data-request-id]');
    await op.waitForSelector('#op-svc-request:visible');
    await expect.poll(() => op.locator('#op-svc-attachments img').count()).toBe(2);
    // The image really decoded (a blob from the attachment route, not a broken image).
    await expect.poll(() => op.locator('#op-svc-attachments img').first().evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(200);
    expect(await op.textContent('#op-svc-registry')).toContain('MUHAMMAD ARIF');
    expect(await op.textContent('#op-svc-details')).toContain('element: birthPlace, correctValue: PANGKAJENE');
    expect(await stepButtons(op)).toEqual(['in_review']);
    expect(await op.isVisible('#op-lookup-form')).toBe(true); // an operator keeps the registration desk
    await takeStep(op, 'in_review');
    expect(await stepButtons(op)).toEqual(['processing', 'needs_correction', 'rejected']);
    await screenshot(op, 'services-operator-review');
    await takeStep(op, 'processing');
    expect(await stepButtons(op)).toEqual(['completed']);
    await takeStep(op, 'completed');
    expect(await op.textContent('#op-svc-request-status')).toContain('Selesai');
    expect(await stepButtons(op)).toEqual([]); // download: nothing left to do
    expect(office.problems).toEqual([]);

    // The resident follows it in Pemantauan Pelayanan.
    await page.click('.tabs [data-tab=tracking]');
    await page.waitForSelector('#svc-track-list [data-request-id]');
    expect(await page.textContent('#svc-track-list')).toContain('Selesai');
    await page.click('#svc-track-list [data-request-id]');
    await page.waitForSelector('#svc-timeline');
    const steps = await page.locator('#svc-timeline li').evaluateAll((items) => items.map((li) => (li as HTMLElement).dataset.status));
    expect(steps).toEqual(['submitted', 'in_review', 'processing', 'completed']);
    expect(await page.isVisible('#svc-cancel')).toBe(false);

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#svc-track-view [data-document-id]')]);
    const dir = mkdtempSync(join(tmpdir(), 'ikd-svc-'));
    const file = join(dir, 'issued.pdf');
    await download.saveAs(file);
    const bytes = readFileSync(file);
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('%PDF');
    expect(execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' })).toContain('MUHAMMAD ARIF');

    await page.selectOption('#svc-score', '4');
    await page.fill('#svc-comment', 'Cepat sekali');
    await page.click('#svc-rating-form button[type=submit]');
    await expect.poll(() => page.textContent('#svc-track-status')).toContain('Terima kasih');
    expect(await page.textContent('#svc-rating')).toContain('4 — Sangat baik');
    expect(await page.isVisible('#svc-rating-form')).toBe(false);
    await screenshot(page, 'services-tracking');
    expect(resident.problems).toEqual([]);
  });

  it('a courier on a phone sees only the delivery steps and marks a request delivered', async () => {
    const holder = await createActiveResident(app.ctx);
    const created = await submitRequest(app.ctx, holder, REQUESTS.ktp_el_reprint);
    const officeCode = holder.nik.slice(0, 4); // the request goes to the holder's regency office
    const officer = await createOperatorSession(app.ctx, 'operator', { officeCode });
    await walk(app.ctx, officer.token, created.id, [{ to: 'in_review' }, { to: 'processing' }, { to: 'completed' }]);

    const courier = await createTestOperator(app.ctx, 'courier', { name: 'Andi Kurir', officeCode });
    const watched = await operatorConsole(courier, PHONE);
    const page = watched.page;
    await page.waitForSelector(`#op-svc-queue [data-request-id="${created.id}"]`);
    // Registrations and account locks are not a courier's (their routes answer 403): not on the courier's console.
    expect(await page.isVisible('#op-lookup-form')).toBe(false);
    expect(await page.isVisible('#op-suspend-form')).toBe(false);
    await page.click(`#op-svc-queue [data-request-id="${created.id}"]`);
    await page.waitForSelector('#op-svc-request:visible');
    expect(await page.textContent('#op-svc-details')).toContain('SULTAN HASANUDDIN');
    expect(await stepButtons(page)).toEqual(['out_for_delivery']);
    await takeStep(page, 'out_for_delivery');
    expect(await stepButtons(page)).toEqual(['delivered', 'delivery_failed']);
    // Delivered needs who received it: asked for on the page before anything is sent.
    await page.click('#op-svc-buttons [data-to=delivered]');
    await expect.poll(() => page.textContent('#op-svc-status')).toContain('nama penerima');
    await page.fill('#op-svc-received', 'SITI AMINAH (istri)');
    await takeStep(page, 'delivered');
    expect(await page.textContent('#op-svc-request-status')).toContain('Diterima');
    expect(await stepButtons(page)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await screenshot(page, 'services-courier-delivered');
    expect(watched.problems).toEqual([]);

    const res = await app.ctx.app.request(`/v1/operator/service-requests/${created.id}`, { headers: { Authorization: `Bearer ${officer.token}` } });
    const body = (await res.json()) as { status: string; delivery?: { receivedBy?: string } };
    expect(res.status).toBe(200);
    expect(body.status).toBe('delivered');
    expect(body.delivery?.receivedBy).toBe('SITI AMINAH (istri)');
  });

  it('the resident sends what the office asked to correct, then cancels the request', async () => {
    const holder = await createActiveResident(app.ctx);
    const created = await submitRequest(app.ctx, holder, REQUESTS.data_sync);
    const officer = await createOperatorSession(app.ctx, 'operator', { officeCode: holder.nik.slice(0, 4) });
    await walk(app.ctx, officer.token, created.id, [{ to: 'in_review' }, { to: 'needs_correction', corrections: ['kk'], note: 'Foto KK buram' }]);

    const watched = await residentApp(holder);
    const page = watched.page;
    const photo = await page.screenshot({ clip: { x: 0, y: 0, width: 120, height: 80 } });
    await page.click('.tabs [data-tab=tracking]');
    await page.click(`#svc-track-list [data-request-id="${created.id}"]`);
    await page.waitForSelector('#svc-corrections-form');
    expect(await page.textContent('#svc-corrections-form')).toContain('Yang perlu diperbaiki: Kartu Keluarga (asli)');
    expect(await page.textContent('#svc-corrections-form')).toContain('Foto KK buram');
    await page.setInputFiles('#svc-fix-kk', { name: 'kk-baru.png', mimeType: 'image/png', buffer: photo });
    await page.click('#svc-corrections-form button[type=submit]');
    await expect.poll(() => page.textContent('#svc-track-status')).toContain('Perbaikan terkirim');
    expect(await page.textContent('#svc-request-status')).toBe('Diajukan');
    const steps = await page.locator('#svc-timeline li').evaluateAll((items) => items.map((li) => (li as HTMLElement).dataset.status));
    expect(steps).toEqual(['submitted', 'in_review', 'needs_correction', 'submitted']);

    await page.click('#svc-cancel');
    await expect.poll(() => page.textContent('#svc-track-status')).toContain('Permohonan dibatalkan');
    expect(await page.textContent('#svc-request-status')).toBe('Dibatalkan');
    expect(await page.isVisible('#svc-cancel')).toBe(false);
    await screenshot(page, 'services-corrected-cancelled');
    expect(watched.problems).toEqual([]);

    const res = await app.ctx.app.request(`/v1/operator/service-requests/${created.id}`, { headers: { Authorization: `Bearer ${officer.token}` } });
    const body = (await res.json()) as { status: string; attachments: Array<{ kind: string; filename: string }> };
    expect(res.status).toBe(200);
    expect(body.status).toBe('cancelled');
    expect(body.attachments.some((a) => a.kind === 'kk' && a.filename === 'kk-baru.png')).toBe(true);
  });

  // Last in the file: it moves the shared test clock a day and more forward.
  it('the operator queue is oldest first and flags a request past its SLA', async () => {
    const holder = await createActiveResident(app.ctx);
    const first = await submitRequest(app.ctx, holder, REQUESTS.data_sync);
    app.ctx.clock.advance(60 * 1000);
    const second = await submitRequest(app.ctx, holder, REQUESTS.family_card_update);
    app.ctx.clock.advance(30 * 24 * 60 * 60 * 1000);
    const again = { ...holder, accessToken: await loginAs(app.ctx, holder) }; // a month on: a new session
    const fresh = await submitRequest(app.ctx, again, REQUESTS.data_sync);

    const operator = await createTestOperator(app.ctx, 'operator', { officeCode: holder.nik.slice(0, 4) });
    const { page, problems } = await operatorConsole(operator);
    await page.waitForSelector(`#op-svc-queue [data-request-id="${fresh.id}"]`);
    const queue = await page.locator('#op-svc-queue [data-request-id]').evaluateAll((buttons) =>
      buttons.map((b) => ({ id: (b as HTMLElement).dataset.requestId, overdue: (b as HTMLElement).dataset.overdue, text: b.textContent ?? '' })),
    );
    const ids = queue.map((q) => q.id);
    expect(ids).toEqual(expect.arrayContaining([first.id, second.id, fresh.id]));
    expect(ids.indexOf(first.id)).toBeLessThan(ids.indexOf(second.id));
    expect(ids.indexOf(second.id)).toBeLessThan(ids.indexOf(fresh.id));
    const flagged = queue.find((q) => q.id === first.id);
    expect(flagged?.overdue).toBe('true');
    expect(flagged?.text).toContain('Lewat SLA');
    expect(queue.find((q) => q.id === fresh.id)?.overdue).toBe('false');
    await page.click(`#op-svc-queue [data-request-id="${first.id}"]`);
    await expect.poll(() => page.textContent('#op-svc-request-status')).toBe('Diajukan · Lewat SLA');
    await screenshot(page, 'services-operator-queue');
    expect(problems).toEqual([]);
  });
});
