/**
 * Issue #16 points 3, 10, 12 and 14 in Chromium: "Perbarui kode QR" answers, the registration code shows whole,
 * the open video call appears on the registrant's page, the replaced phone says so, the console names each missing
 * box once and shows its values and times in words and in the office's zone, the resident's history in the holder's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { enrolResident, lookupAs, registerResident, registrationQr, type DeviceKey } from '../helpers/enrolment.js';
import { createOperatorSession, createTestOperator, currentOtp, operatorAuth } from '../helpers/operator.js';
import { createActiveResident, createTestVerifier, issueQr, loginAs, postVerify } from '../helpers/resident.js';
import { jsonRequest } from '../helpers/context.js';
import { browserSuiteTitle, chromiumAvailable, detectChromium, installDevice, launchChromium, newPage, screenshot, startApp, type RunningApp } from './harness.js';

/** The device of a registration still waiting for verification, put into this browser as registering here would. */
async function installPendingDevice(page: Page, nik: string, registrationId: string, device: DeviceKey): Promise<void> {
  await page.evaluate(
    ({ secretKey, publicKey, nik, registrationId }) =>
      new Promise<void>((resolve, reject) => {
        const request = indexedDB.open('ikd', 1);
        request.onupgradeneeded = () => request.result.createObjectStore('device');
        request.onsuccess = () => {
          const tx = request.result.transaction('device', 'readwrite');
          tx.objectStore('device').put({ secretKey: Uint8Array.from(secretKey), publicKey, nik, registrationId, status: 'pending_verification' }, 'current');
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
        };
      }),
    { secretKey: [...device.secretKey], publicKey: device.publicKey, nik, registrationId },
  );
}

describe.skipIf(!chromiumAvailable())(browserSuiteTitle('journey polish (#16.3, 10, 12, 14)', detectChromium()), () => {
  let app: RunningApp;
  let browser: Browser;

  beforeAll(async () => {
    [app, browser] = await Promise.all([startApp(), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('registration page: the whole code shows at 360 px, "Perbarui kode QR" answers, and the open video call appears', async () => {
    const reg = await registerResident(app.ctx);
    const { page, context, problems } = await newPage(browser, { baseUrl: app.baseUrl, viewport: { width: 360, height: 640 } });
    try {
      await page.goto('/app');
      await installPendingDevice(page, reg.resident.nik, reg.registrationId, reg.device);
      await page.reload();
      await page.waitForSelector('#view-regqr:visible');
      await expect.poll(() => page.inputValue('#regqr-text')).not.toBe('');
      await page.click('#view-regqr .code-text summary');
      const box = await page.$eval('#regqr-text', (el) => ({ scroll: el.scrollHeight, client: el.clientHeight, sw: el.scrollWidth, cw: el.clientWidth }));
      expect(box.scroll).toBeLessThanOrEqual(box.client + 1);
      expect(box.sw).toBeLessThanOrEqual(box.cw + 1);
      await screenshot(page, 'regqr-code-whole', { element: '#view-regqr' });

      const answered = page.waitForResponse((r) => r.url().endsWith(`/v1/registrations/${reg.registrationId}/qr`) && r.request().method() === 'POST');
      await page.click('#regqr-refresh');
      await answered;
      await page.waitForSelector('#regqr-refresh-status.success');
      expect(await page.textContent('#regqr-refresh-status')).toMatch(/Kode QR diperbarui pukul \d{2}\.\d{2}/);
      expect(await page.isDisabled('#regqr-refresh')).toBe(false);

      const { token } = await createOperatorSession(app.ctx);
      expect((await lookupAs(app.ctx, token, reg.registrationId)).status).toBe(200);
      const started = await app.ctx.app.request('/v1/operator/video-calls', jsonRequest('POST', { registrationId: reg.registrationId }, operatorAuth(token)));
      const call = (await started.json()) as { roomUrl: string; livenessPhrase: string };
      await page.waitForSelector('#regqr-video:visible', { timeout: 10_000 });
      expect(await page.textContent('#regqr-video-phrase')).toBe(call.livenessPhrase);
      expect(await page.getAttribute('#regqr-video-room', 'href')).toBe(call.roomUrl);
      expect(await page.textContent('#regqr-video')).toContain('Panggilan video');
      await screenshot(page, 'regqr-video-call', { element: '#view-regqr' });
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('the old phone after a device replacement says "Perangkat ini sudah diganti"', async () => {
    const { token } = await createOperatorSession(app.ctx);
    const pin = '258013';
    const first = await enrolResident(app.ctx, token, { pin });
    await enrolResident(app.ctx, token, { resident: first.resident, pin });
    const { page, context, expectedHttpErrors } = await newPage(browser, { baseUrl: app.baseUrl });
    try {
      await page.goto('/app');
      await installDevice(page, { nik: first.resident.nik, device: first.device });
      await page.reload();
      await page.waitForSelector('#view-login:visible');
      await page.fill('#login-nik', first.resident.nik);
      await page.fill('#login-pin', pin);
      await page.click('#login-form button[type=submit]');
      await expect.poll(() => page.textContent('#login-status')).toContain('Perangkat ini sudah diganti');
      await screenshot(page, 'login-device-replaced', { element: '#view-login' });
      expect(expectedHttpErrors).toHaveLength(1);
    } finally {
      await context.close();
    }
  });

  it('console: each unticked box is named once, a bad code once beside the field, values in words, times in the office zone', async () => {
    const operator = await createTestOperator(app.ctx, 'operator', { name: 'Sari Operator' });
    const { page, context } = await newPage(browser, { baseUrl: app.baseUrl, viewport: { width: 1024, height: 900 } });
    try {
      await page.goto('/operator');
      await page.fill('#op-username', operator.username);
      await page.fill('#op-password', operator.password);
      await page.fill('#op-otp', await currentOtp(app.ctx, operator.totpSecret));
      await page.click('#op-login-form button[type=submit]');
      await page.waitForSelector('#view-op-console:visible');
      expect(await page.textContent('#op-who')).toContain('Operator');

      await page.fill('#op-qr', 'R1.not-a-code');
      await page.click('#op-lookup-form button[type=submit]');
      await expect.poll(() => page.textContent('#op-qr-error')).not.toBe('');
      expect(await page.textContent('#op-lookup-status')).toBe('');

      // A device replacement: the existing account's status in words, the registration's time in WITA (office 7310).
      const { token } = await createOperatorSession(app.ctx);
      const first = await enrolResident(app.ctx, token);
      const again = await registerResident(app.ctx, first.resident);
      await page.fill('#op-qr', await registrationQr(app.ctx, again.registrationId, again.device));
      await page.click('#op-lookup-form button[type=submit]');
      await page.waitForSelector('#op-case:visible');
      const registration = (await page.textContent('#op-registration')) ?? '';
      expect(registration).toContain('Aktif');
      expect(registration).not.toMatch(/\bactive\b/);
      expect(registration).toMatch(/\d{2}\.\d{2} WITA/);

      await page.check('#op-face-match');
      await page.click('#op-approve');
      await expect.poll(() => page.textContent('#op-ktp-sighted-error')).toContain('KTP-el fisik telah dilihat');
      expect(await page.textContent('#op-consent-error')).toContain('Persetujuan pemohon telah dicatat');
      expect(await page.textContent('#op-decision-status')).toBe('');
      expect(await page.getAttribute('#op-ktp-sighted', 'aria-invalid')).toBe('true');
      await screenshot(page, 'console-missing-boxes', { element: '#op-decision-form' });
      await page.check('#op-ktp-sighted');
      expect(await page.isVisible('#op-ktp-sighted-error')).toBe(false);
    } finally {
      await context.close();
    }
  });

  it('resident history shows the time in the holder’s zone', async () => {
    const holder = await createActiveResident(app.ctx, { login: false });
    const verifier = await createTestVerifier(app.ctx, { name: 'Samsat Pangkep' });
    const { page, context } = await newPage(browser, { baseUrl: app.baseUrl });
    try {
      await page.goto('/app');
      await installDevice(page, holder);
      await page.reload();
      await page.waitForSelector('#view-login:visible');
      await page.fill('#login-nik', holder.nik);
      await page.fill('#login-pin', holder.pin);
      await page.click('#login-form button[type=submit]');
      await page.waitForSelector('#view-home:visible');
      await expect.poll(() => page.textContent('#home-greeting')).toContain(holder.name);
      holder.accessToken = await loginAs(app.ctx, holder); // a second session, as from the counter's side of the test
      const issued = await issueQr(app.ctx, holder);
      expect((await postVerify(app.ctx, verifier.apiKey, { token: issued.token, counter: 'Loket 1' })).status).toBe(200);
      await page.click('.tabs [data-tab=history]');
      await expect.poll(() => page.textContent('#tab-history')).toMatch(/\d{2}\.\d{2} WITA/);
      await screenshot(page, 'history-local-time', { element: '#tab-history' });
    } finally {
      await context.close();
    }
  });

});
