/**
 * The /app screens Biodata, Data Keluarga and Dokumen in Chromium: the holder sees their registry data and KK, opens
 * the KK, shows its QR with the countdown; a counter allowed the KK sees the members table; one that is not is told
 * to ask for another QR (document_not_allowed).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createActiveResident, createTestVerifier, type TestVerifier } from '../helpers/resident.js';
import { browserSuiteTitle, chromiumAvailable, detectChromium, installDevice, launchChromium, newPage, screenshot, startApp, type RunningApp, type WatchedPage } from './harness.js';

describe.skipIf(!chromiumAvailable())(browserSuiteTitle('documents in /app and /counter', detectChromium()), () => {
  let app: RunningApp;
  let browser: Browser;
  let kkCounter: TestVerifier;
  let ktpCounter: TestVerifier;
  const opened: WatchedPage[] = [];

  beforeAll(async () => {
    [app, browser] = await Promise.all([startApp(), launchChromium()]);
    kkCounter = await createTestVerifier(app.ctx, { name: 'Disdik Pangkep', allowedDocuments: ['ktp', 'family_card'] });
    ktpCounter = await createTestVerifier(app.ctx, { name: 'Bank Uji' });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function open(path: string): Promise<WatchedPage> {
    const watched = await newPage(browser, { baseUrl: app.baseUrl });
    opened.push(watched);
    await watched.page.goto(path);
    return watched;
  }

  /** A fresh counter (its own browser storage) with this API key, verifying the token. */
  async function counterVerify(apiKey: string, token: string): Promise<Page> {
    const { page } = await open('/counter');
    await page.fill('#counter-apikey', apiKey);
    await page.click('#key-form button[type=submit]');
    // The key is checked (GET /v1/verifier/me) before it is kept; a token sent before that has no key.
    await page.waitForSelector('#key-saved:visible');
    await page.fill('#counter-token', token);
    await page.click('#verify-form button[type=submit]');
    await page.waitForSelector('#counter-result:visible', { timeout: 15_000 });
    return page;
  }

  it('shows biodata, the KK and a document QR; the counter shows the members or explains the refusal', async () => {
    const holder = await createActiveResident(app.ctx, { login: false }); // MUHAMMAD ARIF, head of a demo KK
    const { page, problems } = await open('/app');
    await installDevice(page, holder);
    await page.reload();
    await page.waitForSelector('#view-login:visible');
    await page.fill('#login-pin', holder.pin);
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#view-home:visible');

    await page.click('.tabs [data-tab=biodata]');
    await expect.poll(() => page.textContent('#biodata-list')).toContain('7310041503129001');
    await page.click('.tabs [data-tab=family]');
    await expect.poll(() => page.locator('#family-card tbody tr').count()).toBe(3);
    await screenshot(page, 'documents-family');

    await page.click('.tabs [data-tab=documents]');
    await page.click('#documents-list [data-document-type=family_card]');
    await page.waitForSelector('#document-qr-form:visible');
    await page.fill('#document-pin', holder.pin);
    await page.click('#document-qr-form button[type=submit]');
    await page.waitForSelector('#document-qr:visible');
    expect(await page.textContent('#document-countdown')).toMatch(/^1:(2\d|30)$/);
    const token = await page.inputValue('#document-qr-text');
    expect(token).toHaveLength(174);
    await screenshot(page, 'documents-kk-qr');
    // The members table scrolls inside its card instead of widening the page.
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    expect(problems).toEqual([]);

    const refused = await counterVerify(ktpCounter.apiKey, token);
    await expect.poll(() => refused.textContent('#result-reason')).toContain('QR lain');
    const counter = await counterVerify(kkCounter.apiKey, token);
    await counter.waitForSelector('#result-ok:visible');
    expect(await counter.locator('#result-document tbody tr').count()).toBe(3);
    expect(await counter.textContent('#result-document')).toContain('Kartu Keluarga');
    await screenshot(counter, 'documents-counter-kk');
  });
});
