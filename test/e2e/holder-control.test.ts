/**
 * The holder in control, in Chromium on a phone (#12): a scan → the per-scan notice is delivered by the outbox to the
 * dev mailbox → its lock link, opened on a 360 px page without logging in, locks the IKD (verify 403 account_inactive,
 * login 403 account_self_locked) → the login screen of /app offers "Buka kunci", which with the PIN lets the holder in
 * again. And in the Privasi tab: blocking an institution makes its scan 403 holder_refused, "Unduh data saya"
 * downloads a JSON file with the holder's NIK, "Kunci IKD" locks from the app.
 */
import { readFile } from 'node:fs/promises';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { ktpTokens } from '../../src/db/schema/index.js';
import { createOutboxWorker } from '../../src/email/worker.js';
import { devMailboxTransport } from '../../src/email/transports.js';
import { accountRow, createActiveResident, createTestVerifier, issueQr, postLogin, postVerify, type ActiveResident } from '../helpers/resident.js';
import { browserSuiteTitle, chromiumAvailable, detectChromium, installDevice, launchChromium, newPage, screenshot, startApp, unlabelledControls, type RunningApp, type WatchedPage } from './harness.js';

const SMALL_PHONE = { width: 360, height: 740 };

describe.skipIf(!chromiumAvailable())(browserSuiteTitle('the holder in control', detectChromium()), () => {
  let app: RunningApp;
  let browser: Browser;
  const opened: WatchedPage[] = [];

  beforeAll(async () => {
    [app, browser] = await Promise.all([startApp(), launchChromium()]);
  });
  afterAll(async () => {
    await Promise.all(opened.map((w) => w.context.close()));
    await browser?.close();
    await app?.close();
  });

  async function open(path: string, options: { javaScriptEnabled?: boolean } = {}): Promise<WatchedPage> {
    const watched = await newPage(browser, { baseUrl: app.baseUrl, viewport: SMALL_PHONE, ...options });
    opened.push(watched);
    await watched.page.goto(path);
    return watched;
  }

  const noHorizontalScroll = (w: WatchedPage) => w.page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  const code = async (res: Response) => ((await res.json()) as { code: string }).code;

  /** /app on this phone with the holder's device, logged in with the PIN. */
  async function loggedIn(holder: ActiveResident): Promise<WatchedPage> {
    const watched = await open('/app');
    await installDevice(watched.page, holder);
    await watched.page.reload();
    await watched.page.waitForSelector('#view-login:visible');
    await watched.page.fill('#login-pin', holder.pin);
    await watched.page.click('#login-form button[type=submit]');
    await watched.page.waitForSelector('#view-home:visible');
    return watched;
  }

  it('a scan mails a notice; its lock link locks the IKD on a phone; Buka kunci in /app with the PIN lets the holder in again', async () => {
    const holder = await createActiveResident(app.ctx);
    const bank = await createTestVerifier(app.ctx, { name: 'Bank Uji Kunci' });
    const scanned = await issueQr(app.ctx, holder);
    expect((await postVerify(app.ctx, bank.apiKey, { token: scanned.token, counter: 'Loket 2' })).status).toBe(200);
    // A live QR at the time of the lock (a new one voids the older).
    const spare = await issueQr(app.ctx, holder);

    // The outbox renders the notice draft and delivers it to the dev mailbox, as the Node loop would.
    await createOutboxWorker(app.ctx.deps, devMailboxTransport(app.ctx.deps.logger)).deliverDue();
    const mailPage = await open('/app');
    const mailbox = (await (await mailPage.context.request.get('/dev/mailbox.json')).json()) as { to: string; subject: string; text: string }[];
    const notice = mailbox.find((m) => m.to === holder.email && m.text.includes('Bank Uji Kunci') && m.text.includes('/lock?t='));
    expect(notice, JSON.stringify(mailbox.map((m) => [m.to, m.subject]))).toBeDefined();
    const link = notice!.text.match(/https?:\/\/\S+\/lock\?t=[A-Za-z0-9_-]+/)?.[0];
    expect(link).toBeDefined();

    // The link on a phone, not logged in: the page shows a button and consumes nothing until it is pressed.
    const lockPage = await open(new URL(link!).pathname + new URL(link!).search);
    await lockPage.page.waitForSelector('#lock-submit:visible');
    expect(await noHorizontalScroll(lockPage)).toBe(true);
    expect(await unlabelledControls(lockPage.page)).toEqual([]);
    expect((await accountRow(app.ctx, holder.accountId)).status).toBe('active');
    await screenshot(lockPage.page, 'holder-lock-link');
    await lockPage.page.click('#lock-submit');
    await lockPage.page.waitForSelector('#lock-result[data-state=done]');
    expect(await lockPage.page.textContent('#lock-result')).toContain('sudah dikunci');
    expect(await noHorizontalScroll(lockPage)).toBe(true);
    expect(lockPage.problems).toEqual([]);

    expect((await accountRow(app.ctx, holder.accountId)).status).toBe('self_locked');
    // The live QR was revoked with the lock; one that slipped past the revocation (issued in a race, made here by
    // clearing its revocation) is refused by the account state: 403 account_inactive.
    const revoked = await postVerify(app.ctx, bank.apiKey, { token: spare.token });
    expect(revoked.status).toBe(409);
    expect(await code(revoked)).toBe('token_revoked');
    await app.ctx.deps.db.update(ktpTokens).set({ revokedAt: null }).where(eq(ktpTokens.accountId, holder.accountId));
    const verify = await postVerify(app.ctx, bank.apiKey, { token: spare.token });
    expect(verify.status).toBe(403);
    expect(await code(verify)).toBe('account_inactive');
    const login = await postLogin(app.ctx, holder, holder.pin);
    expect(login.status).toBe(403);
    expect(await code(login)).toBe('account_self_locked');

    // The same link again, on a phone without JavaScript (the page is a plain form): used once, refused.
    const again = await open(new URL(link!).pathname + new URL(link!).search, { javaScriptEnabled: false });
    const againButton = await again.page.$('#lock-submit');
    if (againButton) {
      await againButton.click();
      await again.page.waitForSelector('#lock-result[data-state=used]');
    } else expect(await again.page.getAttribute('#lock-result', 'data-state')).toBe('used');

    // /app: the login is refused as self-locked and "Buka kunci" is offered right there, not a dead end.
    const { page, problems, expectedHttpErrors } = await open('/app');
    await installDevice(page, holder);
    await page.reload();
    await page.waitForSelector('#view-login:visible');
    expect(await page.isVisible('#login-unlock')).toBe(false);
    await page.fill('#login-pin', holder.pin);
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#login-unlock:visible');
    expect(await page.textContent('#login-status')).toContain('terkunci');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('unlock-heading');
    expect(await noHorizontalScroll({ page } as WatchedPage)).toBe(true);
    await screenshot(page, 'holder-unlock');
    await page.fill('#unlock-pin', holder.pin);
    await page.click('#unlock-form button[type=submit]');
    await expect.poll(() => page.textContent('#login-status')).toContain('Kunci IKD dibuka');
    expect(await page.isVisible('#login-unlock')).toBe(false);
    expect((await accountRow(app.ctx, holder.accountId)).status).toBe('active');

    await page.fill('#login-pin', holder.pin);
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#view-home:visible');
    expect(problems).toEqual([]);
    expect(expectedHttpErrors.length).toBe(1); // the refused login (403)
  });

  it('Privasi: blocking an institution refuses its scan, the export downloads the NIK, Kunci IKD locks from the app', async () => {
    const holder = await createActiveResident(app.ctx);
    const bank = await createTestVerifier(app.ctx, { name: 'Bank Uji Blokir' });
    const shop = await createTestVerifier(app.ctx, { name: 'Toko Uji' });
    expect((await postVerify(app.ctx, bank.apiKey, { token: (await issueQr(app.ctx, holder)).token })).status).toBe(200);
    expect((await postVerify(app.ctx, shop.apiKey, { token: (await issueQr(app.ctx, holder)).token })).status).toBe(200);

    const watched = await loggedIn(holder);
    const { page } = watched;
    await page.click('.tabs [data-tab=privacy]');
    const bankItem = page.locator(`#datausers-list li[data-verifier-id="${bank.id}"]`);
    await bankItem.waitFor();
    expect(await page.locator('#datausers-list li').count()).toBe(2);
    expect(await bankItem.getAttribute('data-blocked')).toBe('false');
    expect(await noHorizontalScroll(watched)).toBe(true);
    expect(await unlabelledControls(page)).toEqual([]);
    await screenshot(page, 'holder-privacy', { fullPage: true });

    await bankItem.locator('button').click();
    await expect.poll(() => page.textContent('#datausers-status')).toContain('Bank Uji Blokir diblokir');
    expect(await bankItem.getAttribute('data-blocked')).toBe('true');
    const qr = await issueQr(app.ctx, holder);
    const refused = await postVerify(app.ctx, bank.apiKey, { token: qr.token });
    expect(refused.status).toBe(403);
    expect(await code(refused)).toBe('holder_refused');
    // Only the blocked one: the same token is still good at the other institution.
    expect((await postVerify(app.ctx, shop.apiKey, { token: qr.token })).status).toBe(200);

    // Unblock restores it.
    await bankItem.locator('button').click();
    await expect.poll(() => bankItem.getAttribute('data-blocked')).toBe('false');
    expect((await postVerify(app.ctx, bank.apiKey, { token: (await issueQr(app.ctx, holder)).token })).status).toBe(200);

    // The per-scan e-mail switch: on by default, off through PUT /v1/me/preferences.
    await expect.poll(() => page.isEnabled('#scan-notices')).toBe(true);
    expect(await page.isChecked('#scan-notices')).toBe(true);
    await page.click('#scan-notices');
    await expect.poll(() => page.textContent('#scan-notices-status')).toContain('dimatikan');
    const prefs = await app.ctx.app.request('/v1/me/preferences', { headers: { Authorization: `Bearer ${holder.accessToken}` } });
    expect(await prefs.json()).toEqual({ scanNotifications: false });

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-download')]);
    expect(download.suggestedFilename()).toMatch(/^ikd-data-\d{4}-\d{2}-\d{2}\.json$/);
    const exported = JSON.parse(await readFile((await download.path())!, 'utf8')) as unknown;
    expect(JSON.stringify(exported)).toContain(holder.nik);
    await expect.poll(() => page.textContent('#export-status')).toContain('diunduh');

    // Kunci IKD: refused without the confirmation, then locks; the app shows the locked login with "Buka kunci".
    await page.click('#lock-self-form button[type=submit]');
    expect(await page.isVisible('#lock-confirm-error')).toBe(true);
    expect((await accountRow(app.ctx, holder.accountId)).status).toBe('active');
    await page.check('#lock-confirm');
    await page.click('#lock-self-form button[type=submit]');
    await page.waitForSelector('#view-login:visible');
    await page.waitForSelector('#login-unlock:visible');
    expect(await page.textContent('#login-status')).toContain('terkunci');
    expect((await accountRow(app.ctx, holder.accountId)).status).toBe('self_locked');
    expect(watched.problems).toEqual([]);
  });
});
