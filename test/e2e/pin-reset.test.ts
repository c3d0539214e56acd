/**
 * Lupa PIN in Chromium (issue #16 point 13): from the login view's "Lupa PIN?" link, the enrolled phone asks for
 * a code, the code is read from the dev mailbox as a person would read the e-mail, the new PIN is set, and the
 * resident logs in with it. A phone without the device key sees the Dukcapil-office way instead.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { createActiveResident } from '../helpers/resident.js';
import { browserSuiteTitle, chromiumAvailable, detectChromium, installDevice, launchChromium, newPage, screenshot, startApp, type RunningApp } from './harness.js';

describe.skipIf(!chromiumAvailable())(browserSuiteTitle('Lupa PIN in /app', detectChromium()), () => {
  let app: RunningApp;
  let browser: Browser;

  beforeAll(async () => {
    [app, browser] = await Promise.all([startApp(), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('resets the PIN on the enrolled phone with the e-mailed code, then logs in with the new PIN', async () => {
    const holder = await createActiveResident(app.ctx, { login: false });
    const { page, problems, context } = await newPage(browser, { baseUrl: app.baseUrl });
    await page.goto('/app');
    await installDevice(page, holder);
    await page.reload();
    await page.waitForSelector('#view-login:visible');
    await page.click('#login-forgot');
    await page.waitForSelector('#view-pin-reset:visible');
    expect(await page.inputValue('#reset-nik')).toBe(holder.nik);
    expect(await page.isVisible('#reset-nodevice')).toBe(true);
    await page.click('#reset-request-form button[type=submit]');
    await page.waitForSelector('#reset-confirm-form:visible');
    await screenshot(page, 'pin-reset-code');

    // The dev mailbox, as the resident's e-mail: the newest Lupa PIN message and its one 6-digit code.
    const mailbox = (await (await context.request.get('/dev/mailbox.json')).json()) as { to: string; subject: string; text: string }[];
    const mail = mailbox.find((m) => m.to === holder.email && /Lupa PIN/.test(m.subject));
    const code = mail?.text.match(/\b\d{6}\b/g)?.[0];
    expect(code).toMatch(/^\d{6}$/);

    await page.fill('#reset-code', code!);
    await page.fill('#reset-new', '730418');
    await page.fill('#reset-again', '730418');
    await page.click('#reset-confirm-form button[type=submit]');
    await page.waitForSelector('#view-login:visible');
    await expect.poll(() => page.textContent('#login-status')).toContain('PIN baru tersimpan');

    await page.fill('#login-pin', '730418');
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#view-home:visible');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('without the enrolled phone, explains the way through a Dukcapil office (English too)', async () => {
    const { page, problems, context } = await newPage(browser, { baseUrl: app.baseUrl, locale: 'en-GB' });
    await page.goto('/app?lang=en');
    await page.waitForSelector('#view-register:visible');
    await page.click('#register-forgot');
    await page.waitForSelector('#view-pin-reset:visible');
    await expect.poll(() => page.textContent('#reset-request-status')).toContain('not enrolled');
    const explanation = (await page.textContent('#reset-nodevice')) ?? '';
    expect(explanation).toContain('Dukcapil office');
    expect(explanation).toContain('device replacement');
    expect(await page.isVisible('#reset-confirm-form')).toBe(false);
    await screenshot(page, 'pin-reset-no-device');
    expect(problems).toEqual([]);
    await context.close();
  });
});
