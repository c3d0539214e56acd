/**
 * "Data dari instansi" in Chromium on a phone: the holder sees the empty state; after showing a QR to BPJS Kesehatan
 * and its write-back, the screen shows the institution's card with the fields in order, and Riwayat Akses says
 * the data was written. Indonesian first; no unlabelled control, no horizontal scroll, no console problem.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { KTP_ELEMENTS } from '../../src/crypto/token-codec.js';
import { createVerifier } from '../../src/domain/verifiers/verifiers.js';
import { jsonRequest } from '../helpers/context.js';
import { createActiveResident, issueQr, postVerify, verifierAuth } from '../helpers/resident.js';
import { browserSuiteTitle, chromiumAvailable, detectChromium, installDevice, launchChromium, newPage, screenshot, startApp, unlabelledControls, type RunningApp } from './harness.js';

describe.skipIf(!chromiumAvailable())(browserSuiteTitle('Data dari instansi in /app', detectChromium()), () => {
  let app: RunningApp;
  let browser: Browser;

  beforeAll(async () => {
    [app, browser] = await Promise.all([startApp(), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('shows the empty state, then the institution’s record after its write-back, and the write in Riwayat Akses', async () => {
    const holder = await createActiveResident(app.ctx);
    const bpjs = await createVerifier(app.ctx.deps, {
      name: 'BPJS Kesehatan',
      allowedElements: KTP_ELEMENTS,
      dataBalikanKinds: ['bpjs_kesehatan'],
      actor: { actorType: 'system', actorId: 'test' },
    });

    const { page, problems } = await newPage(browser, { baseUrl: app.baseUrl });
    await page.goto('/app');
    await installDevice(page, holder);
    await page.reload();
    await page.waitForSelector('#view-login:visible');
    await page.fill('#login-pin', holder.pin);
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#view-home:visible');

    await page.click('.tabs [data-tab=databalikan]');
    await page.waitForSelector('#databalikan-empty:visible');
    expect(await page.textContent('#databalikan-heading')).toBe('Data dari instansi');

    expect((await postVerify(app.ctx, bpjs.apiKey, { token: (await issueQr(app.ctx, holder, { elements: ['nik', 'name'] })).token })).status).toBe(200);
    const write = await app.ctx.app.request(
      `/v1/partner/residents/${holder.nik}/data-balikan/bpjs_kesehatan`,
      jsonRequest('PUT', { fields: { 'Nomor Kartu JKN': '0001234567890', 'Kelas Rawat': 'Kelas 2' } }, verifierAuth(bpjs.apiKey)),
    );
    expect(write.status).toBe(200);

    await page.click('#databalikan-refresh');
    await page.waitForSelector('#databalikan-list .balikan-item');
    expect(await page.isHidden('#databalikan-empty')).toBe(true);
    expect(await page.textContent('#databalikan-list h3')).toBe('BPJS Kesehatan');
    expect(await page.locator('#databalikan-list dt').allTextContents()).toEqual(['Nomor Kartu JKN', 'Kelas Rawat']);
    expect(await page.textContent('#databalikan-list .balikan-kind')).toContain('JKN-KIS');
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    expect(await unlabelledControls(page)).toEqual([]);
    await screenshot(page, 'data-balikan');

    await page.click('.tabs [data-tab=history]');
    await expect.poll(() => page.textContent('#history-list')).toContain('Menulis data BPJS Kesehatan (JKN-KIS)');
    expect(problems).toEqual([]);
  });
});
