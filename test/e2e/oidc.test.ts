/**
 * Masuk dengan IKD in Chromium (issue #14 points 2 and 5, the service's side): the demo relying party /dev/rp sends the
 * browser to /oidc/authorize, whose page shows the service's name and the QR; the holder approves (here through the
 * resident API: the /app Pindai screen is tested with it by its own suite) and the waiting page, without a reload,
 * lands on the relying party signed in with the claims shown. A denial lands there with access_denied.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { createActiveResident } from '../helpers/resident.js';
import { approve, decide } from '../helpers/oidc.js';
import { browserSuiteTitle, chromiumAvailable, detectChromium, launchChromium, newPage, screenshot, startApp, type RunningApp } from './harness.js';

describe.skipIf(!chromiumAvailable())(browserSuiteTitle('Masuk dengan IKD: authorize page and /dev/rp', detectChromium()), () => {
  let app: RunningApp;
  let browser: Browser;

  beforeAll(async () => {
    [app, browser] = await Promise.all([startApp(), launchChromium()]);
    // openid-client in /dev/rp judges the ID token's iat by the real clock.
    app.ctx.clock.set(new Date());
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('the waiting page follows the approval and lands on the relying party signed in', async () => {
    const holder = await createActiveResident(app.ctx);
    const { page, problems } = await newPage(browser, { baseUrl: app.baseUrl });
    await page.goto('/dev/rp');
    await page.click('#rp-login');
    await page.waitForSelector('#oidc-authorize');
    expect(await page.textContent('#oidc-heading')).toContain('Layanan Samsat Online (demo)');
    expect(await page.isVisible('#oidc-qr')).toBe(true);
    const id = (await page.getAttribute('#oidc-authorize', 'data-request-id'))!;
    expect(await page.getAttribute('#oidc-open-app', 'href')).toBe(`/app#pindai=auth.${id}`);
    await expect.poll(() => page.textContent('#oidc-countdown')).toMatch(/\d+ detik/);
    await screenshot(page, 'oidc-authorize');

    expect((await approve(app.ctx, holder, id)).status).toBe(200);
    await page.waitForURL(/\/dev\/rp\/callback/);
    await page.waitForSelector('#rp-signed-in');
    expect(await page.textContent('#rp-userinfo')).toContain(holder.nik);
    await screenshot(page, 'oidc-rp-signed-in');
    expect(problems).toEqual([]);
  });

  it('a denial lands on the relying party with access_denied', async () => {
    const holder = await createActiveResident(app.ctx);
    const { page } = await newPage(browser, { baseUrl: app.baseUrl });
    await page.goto('/dev/rp/login');
    await page.waitForSelector('#oidc-authorize');
    const id = (await page.getAttribute('#oidc-authorize', 'data-request-id'))!;
    expect((await decide(app.ctx, holder, id, { decision: 'deny' })).status).toBe(200);
    await page.waitForSelector('#rp-error');
    expect(await page.textContent('#rp-error')).toContain('access_denied');
  });
});
