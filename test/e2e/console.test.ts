/**
 * The operator console's other paths and the resident's settings, in Chromium: approval over a video call (room
 * link and liveness phrase), rejection with a reason, suspending and unlocking an account by NIK; changing the
 * PIN, logging out and deleting the account from /app. Each ends in the database state the API promises.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { accounts } from '../../src/db/schema/index.js';
import { registerResident, registrationQr, registrationRow } from '../helpers/enrolment.js';
import { createTestOperator, currentOtp } from '../helpers/operator.js';
import { accountRow, createActiveResident, type ActiveResident } from '../helpers/resident.js';
import { browserSuiteTitle, chromiumAvailable, detectChromium, installDevice, launchChromium, newPage, screenshot, startApp, type RunningApp, type WatchedPage } from './harness.js';

describe.skipIf(!chromiumAvailable())(browserSuiteTitle('operator console and resident settings', detectChromium()), () => {
  let app: RunningApp;
  let browser: Browser;
  let console_: WatchedPage;

  beforeAll(async () => {
    [app, browser] = await Promise.all([startApp(), launchChromium()]);
    const operator = await createTestOperator(app.ctx, 'operator', { name: 'Sari Operator' });
    console_ = await newPage(browser, { baseUrl: app.baseUrl, viewport: { width: 1024, height: 900 } });
    const page = console_.page;
    await page.goto('/operator');
    await page.fill('#op-username', operator.username);
    await page.fill('#op-password', operator.password);
    await page.fill('#op-otp', await currentOtp(app.ctx, operator.totpSecret));
    await page.click('#op-login-form button[type=submit]');
    await page.waitForSelector('#view-op-console:visible');
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function openCase(page: Page): Promise<string> {
    const reg = await registerResident(app.ctx);
    const qr = await registrationQr(app.ctx, reg.registrationId, reg.device);
    if (await page.isVisible('#op-next')) await page.click('#op-next');
    await page.fill('#op-qr', qr);
    await page.click('#op-lookup-form button[type=submit]');
    await page.waitForSelector('#op-case:visible');
    return reg.registrationId;
  }

  it('approves over a video call: the room link and the liveness phrase come first', async () => {
    const page = console_.page;
    const id = await openCase(page);
    await page.check('#op-channel-video');
    await page.check('#op-ktp-sighted');
    await page.check('#op-face-match');
    await page.check('#op-consent');
    await page.click('#op-approve');
    await expect.poll(() => page.textContent('#op-decision-status')).toContain('panggilan video');
    await page.click('#op-video-start');
    await page.waitForSelector('#op-video-info:visible');
    expect(await page.getAttribute('#op-video-room', 'href')).toMatch(/^https:\/\//);
    expect(((await page.textContent('#op-video-phrase')) ?? '').trim().length).toBeGreaterThan(3);
    await screenshot(page, 'console-video-call');
    await page.click('#op-approve');
    await expect.poll(() => page.textContent('#op-decision-status')).toContain('Disetujui');
    const row = await registrationRow(app.ctx, id);
    expect(row).toMatchObject({ status: 'awaiting_activation', channel: 'video_call' });
    expect(row.videoCallId).toBeTruthy();
  });

  it('rejects with a reason, and refuses to reject without one', async () => {
    const page = console_.page;
    const id = await openCase(page);
    await page.click('#op-reject');
    expect(await page.textContent('#op-reason-error')).toContain('alasan');
    await page.fill('#op-reason', 'Wajah tidak sesuai dengan foto KTP-el');
    await page.check('#op-face-nomatch');
    await page.click('#op-reject');
    await expect.poll(() => page.textContent('#op-decision-status')).toContain('ditolak');
    expect((await registrationRow(app.ctx, id)).status).toBe('rejected');
    expect(console_.problems).toEqual([]);
  });

  it('suspends an account by NIK with a reason, and unlocks a PIN lock', async () => {
    const page = console_.page;
    const holder = await createActiveResident(app.ctx, { login: false });
    await page.fill('#op-suspend-nik', holder.nik);
    await page.click('#op-suspend-form button[value=suspend]');
    expect(await page.textContent('#op-suspend-reason-error')).toBeTruthy();
    await page.fill('#op-suspend-reason', 'Ponsel hilang, dilaporkan pemilik');
    await page.click('#op-suspend-form button[value=suspend]');
    await expect.poll(() => page.textContent('#op-suspend-status')).toContain(holder.nik);
    expect((await accountRow(app.ctx, holder.accountId)).status).toBe('suspended');

    const locked = await createActiveResident(app.ctx, { login: false });
    await app.ctx.deps.db.update(accounts).set({ lockedUntil: new Date(app.ctx.clock.now().getTime() + 900_000), pinFailures: 5 }).where(eq(accounts.id, locked.accountId));
    await page.fill('#op-suspend-nik', locked.nik);
    await page.click('#op-suspend-form button[value=unlock]');
    await expect.poll(() => page.textContent('#op-suspend-status')).toContain(locked.nik);
    expect((await accountRow(app.ctx, locked.accountId)).lockedUntil).toBeNull();
    await screenshot(page, 'console-suspend');
    expect(console_.problems).toEqual([]);
  });

  /** The resident's device key put into this browser, as if registered here; then logged in through the form. */
  async function residentLoggedIn(holder: ActiveResident): Promise<WatchedPage> {
    const watched = await newPage(browser, { baseUrl: app.baseUrl });
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

  it('the resident changes the PIN, logs out and logs in with the new one', async () => {
    const holder = await createActiveResident(app.ctx, { login: false });
    const { page, problems } = await residentLoggedIn(holder);
    await page.click('.tabs [data-tab=settings]');
    await page.fill('#pin-current', holder.pin);
    await page.fill('#pin-new', '927461');
    await page.fill('#pin-again', '927461');
    await page.click('#pin-form button[type=submit]');
    await expect.poll(() => page.textContent('#pin-status')).toContain('berhasil');
    await page.click('#logout');
    await page.waitForSelector('#view-login:visible');
    expect(await page.evaluate(() => sessionStorage.getItem('ikd.resident.session'))).toBeNull();
    await page.fill('#login-pin', '927461');
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#view-home:visible');
    expect(problems).toEqual([]);
  });

  it('the resident deletes the account: the device key is forgotten and the form to register shows', async () => {
    const holder = await createActiveResident(app.ctx, { login: false });
    const { page, problems } = await residentLoggedIn(holder);
    await page.click('.tabs [data-tab=settings]');
    await page.fill('#delete-pin', holder.pin);
    await page.click('#delete-form button[type=submit]');
    expect(await page.textContent('#delete-confirm-error')).toBeTruthy();
    await page.check('#delete-confirm');
    await page.click('#delete-form button[type=submit]');
    await page.waitForSelector('#view-register:visible');
    expect(await page.textContent('#app-status')).toContain('dihapus');
    expect((await accountRow(app.ctx, holder.accountId)).status).toBe('deleted');
    const stored = await page.evaluate(
      () =>
        new Promise((resolve) => {
          const open = indexedDB.open('ikd');
          open.onsuccess = () => {
            const get = open.result.transaction('device').objectStore('device').get('current');
            get.onsuccess = () => resolve(get.result ?? null);
          };
        }),
    );
    expect(stored).toBeNull();
    await screenshot(page, 'resident-deleted');
    expect(problems).toEqual([]);
  });
});
