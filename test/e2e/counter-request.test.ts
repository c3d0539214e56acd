/**
 * Issue #14, Pindai at a counter, the counter's page: "Minta data lewat QR" shows the request's QR and countdown,
 * follows the holder's approval (through the resident API here) without a reload and shows the result in the same
 * green panel as a scanned QR; a denial shows the red panel with its reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { asResident, createActiveResident, createTestVerifier, type ActiveResident } from '../helpers/resident.js';
import { browserSuiteTitle, chromiumAvailable, detectChromium, launchChromium, newPage, screenshot, startApp, type RunningApp } from './harness.js';

describe.skipIf(!chromiumAvailable())(browserSuiteTitle('Counter: Minta data lewat QR', detectChromium()), () => {
  let app: RunningApp;
  let browser: Browser;

  beforeAll(async () => {
    [app, browser] = await Promise.all([startApp(), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function counterWithKey(apiKey: string) {
    const watched = await newPage(browser, { baseUrl: app.baseUrl });
    await watched.page.goto('/counter');
    await watched.page.evaluate((key) => {
      localStorage.setItem('ikd.counter.apiKey', key);
      localStorage.setItem('ikd.counter.name', 'Loket 5');
    }, apiKey);
    await watched.page.reload();
    return watched;
  }

  const decide = (holder: ActiveResident, id: string, body: unknown) => asResident(app.ctx, holder, 'POST', `/v1/me/verification-requests/${id}`, body);

  it('shows the QR and countdown, then the approved result as a scanned QR’s', async () => {
    const verifier = await createTestVerifier(app.ctx, { name: 'Loket Bank Uji', allowedElements: ['nik', 'name'] });
    const holder = await createActiveResident(app.ctx);
    const { page, problems } = await counterWithKey(verifier.apiKey);
    expect(await page.textContent('#request-start')).toContain('Minta data lewat QR');
    await page.click('#request-start');
    await page.waitForSelector('#request-qr[data-request-id]', { state: 'visible' });
    const id = (await page.getAttribute('#request-qr', 'data-request-id'))!;
    expect(await page.getAttribute('#request-qr', 'src')).toMatch(/^data:image\/svg\+xml/);
    await expect.poll(() => page.textContent('#request-countdown')).toMatch(/[1-9]\d* detik/);
    const view = (await (await asResident(app.ctx, holder, 'GET', `/v1/me/verification-requests/${id}`)).json()) as { counter: string };
    expect(view.counter).toBe('Loket 5');
    await screenshot(page, 'counter-request-qr');

    expect((await decide(holder, id, { decision: 'approve', pin: holder.pin })).status).toBe(200);
    await page.waitForSelector('#result-ok', { state: 'visible' });
    expect(await page.textContent('#result-data')).toContain(holder.nik);
    expect(await page.isVisible('#request-live')).toBe(false);
    await screenshot(page, 'counter-request-approved');
    expect(problems).toEqual([]);
  });

  it('a denial shows the red panel with its reason', async () => {
    const verifier = await createTestVerifier(app.ctx);
    const holder = await createActiveResident(app.ctx);
    const { page } = await counterWithKey(verifier.apiKey);
    await page.click('#request-start');
    await page.waitForSelector('#request-qr[data-request-id]', { state: 'visible' });
    const id = (await page.getAttribute('#request-qr', 'data-request-id'))!;
    expect((await decide(holder, id, { decision: 'deny' })).status).toBe(200);
    await page.waitForSelector('#result-fail', { state: 'visible' });
    expect(await page.textContent('#result-reason')).toContain('menolak');
  });
});
