/**
 * The pages turn each API problem code into a clear message (Indonesian by default, English with ?lang=en):
 * the counter's red results (invalid, expired, revoked, already used, account inactive), a wrong or revoked API key as a configuration error, a wrong PIN
 * at login and at the QR, a wrong activation code and a weak PIN, wrong operator credentials. Besides the
 * expected 4xx answers the browser logs nothing: no script error, no CSP violation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { activationMail, approve, registerResident } from '../helpers/enrolment.js';
import { createOperatorSession, createTestOperator } from '../helpers/operator.js';
import { asResident, createActiveResident, createTestVerifier, issueQr, type ActiveResident, type TestVerifier } from '../helpers/resident.js';
import { revokeVerifier } from '../../src/domain/verifiers/verifiers.js';
import { browserSuiteTitle, chromiumAvailable, detectChromium, installDevice, launchChromium, newPage, screenshot, startApp, type RunningApp, type WatchedPage } from './harness.js';

describe.skipIf(!chromiumAvailable())(browserSuiteTitle('error messages in the pages', detectChromium()), () => {
  let app: RunningApp;
  let browser: Browser;
  let verifier: TestVerifier;
  const opened: WatchedPage[] = [];

  beforeAll(async () => {
    [app, browser] = await Promise.all([startApp(), launchChromium()]);
    verifier = await createTestVerifier(app.ctx, { name: 'Bank Uji' });
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

  async function counterVerify(page: Page, token: string): Promise<string> {
    if (await page.isVisible('#result-next')) await page.click('#result-next');
    await page.fill('#counter-token', token);
    await page.click('#verify-form button[type=submit]');
    await page.waitForSelector('#result-fail:visible, #result-ok:visible');
    expect(await page.isVisible('#result-fail'), await page.locator('main').innerText()).toBe(true);
    return (await page.textContent('#result-reason')) ?? '';
  }

  async function saveKey(page: Page, apiKey: string) {
    await page.waitForSelector('#key-form:visible');
    await page.fill('#counter-apikey', apiKey);
    await page.click('#key-form button[type=submit]');
    await page.waitForSelector('#key-saved:visible');
  }

  it('the counter shows red with the reason for each refusal code', async () => {
    const holder = await createActiveResident(app.ctx);
    const { page, problems, expectedHttpErrors } = await open('/counter');
    await saveKey(page, verifier.apiKey);

    expect(await counterVerify(page, 'NOT-A-TOKEN-1234')).toContain('tidak valid');

    const expired = await issueQr(app.ctx, holder);
    app.ctx.clock.advance(120_000); // past the 90 s and the server's few seconds of tolerance
    expect(await counterVerify(page, expired.token)).toContain('kedaluwarsa');

    const first = await issueQr(app.ctx, holder);
    await issueQr(app.ctx, holder);
    expect(await counterVerify(page, first.token)).toContain('dicabut');
    await screenshot(page, 'err-counter-revoked');

    expect(problems).toEqual([]);
    expect(expectedHttpErrors.length).toBeGreaterThanOrEqual(3);
  });

  it('a holder locked out by wrong PINs is "account inactive", in English too', async () => {
    const holder = await createActiveResident(app.ctx);
    const token = (await issueQr(app.ctx, holder)).token;
    for (let i = 0; i < 5; i++) {
      const res = await asResident(app.ctx, holder, 'POST', '/v1/me/ktp/qr', { pin: '000000', format: 'none' });
      expect([401, 423]).toContain(res.status);
    }
    const { page, problems } = await open('/counter?lang=en');
    await saveKey(page, verifier.apiKey);
    expect(await counterVerify(page, token)).toContain('not active');
    await screenshot(page, 'err-counter-inactive-en');
    expect(problems).toEqual([]);
  });

  it('an unknown API key is refused when it is saved, next to the field, and is not kept', async () => {
    const { page, problems } = await open('/counter');
    await page.waitForSelector('#key-form:visible');
    await page.fill('#counter-apikey', 'ikdv_unknown_key_0000000000000000');
    await page.click('#key-form button[type=submit]');
    await page.waitForSelector('#counter-apikey[aria-invalid=true]');
    expect(await page.textContent('#counter-apikey-error')).toContain('tidak dikenal');
    expect(await page.isVisible('#key-form')).toBe(true);
    expect(await page.evaluate(() => localStorage.getItem('ikd.counter.apiKey'))).toBeNull();
    expect(problems).toEqual([]);
  });

  it('a key revoked after it was saved is a configuration error, not a red KTP result', async () => {
    const revoked = await createTestVerifier(app.ctx, { name: 'Loket Dicabut' });
    const holder = await createActiveResident(app.ctx);
    const { page, problems } = await open('/counter');
    await saveKey(page, revoked.apiKey);
    expect(await page.textContent('#key-saved-text')).toContain('Loket Dicabut');
    await revokeVerifier(app.ctx.deps, { id: revoked.id, actor: { actorType: 'system', actorId: 'test' } });
    await page.fill('#counter-token', (await issueQr(app.ctx, holder)).token);
    await page.click('#verify-form button[type=submit]');
    await page.waitForSelector('#key-status.error');
    expect(await page.textContent('#key-status')).toContain('Kesalahan pengaturan loket');
    expect(await page.isVisible('#result-fail')).toBe(false);
    expect(await page.isVisible('#key-form')).toBe(true);
    expect(problems).toEqual([]);
  });

  it('a wrong PIN at login and at the QR says so, next to the field', async () => {
    const holder = await createActiveResident(app.ctx, { login: false });
    const { page, problems } = await open('/app');
    await installDevice(page, holder);
    await page.reload();
    await page.waitForSelector('#view-login:visible');
    await page.fill('#login-pin', '999999');
    await page.click('#login-form button[type=submit]');
    await expect.poll(() => page.textContent('#login-status')).toContain('Masuk gagal');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('login-pin');

    await page.fill('#login-pin', holder.pin);
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#view-home:visible');
    await page.click('.tabs [data-tab=qr]');
    await page.fill('#qr-pin', '999999');
    await page.click('#qr-form button[type=submit]');
    // Shown once, beside the PIN (issue #16: not twice).
    await expect.poll(() => page.textContent('#qr-pin-error')).toContain('PIN salah');
    expect(await page.textContent('#qr-status')).toBe('');
    expect(await page.getAttribute('#qr-pin', 'aria-invalid')).toBe('true');
    await screenshot(page, 'err-qr-wrong-pin');

    // The PIN change form refuses a weak new PIN with the rule, not the server's words.
    await page.click('.tabs [data-tab=settings]');
    await page.fill('#pin-current', holder.pin);
    await page.fill('#pin-new', '123456');
    await page.fill('#pin-again', '123456');
    await page.click('#pin-form button[type=submit]');
    // Shown once, beside the new PIN (issue #16: not twice).
    await expect.poll(() => page.textContent('#pin-new-error')).toContain('mudah ditebak');
    expect(await page.textContent('#pin-status')).toBe('');
    expect(problems).toEqual([]);
  });

  it("activation: a wrong code and a weak PIN are explained; the page's GET consumes nothing", async () => {
    const { token: opToken } = await createOperatorSession(app.ctx);
    const reg = await registerResident(app.ctx);
    await approve(app.ctx, opToken, reg.registrationId);
    const mail = await activationMail(app.ctx, reg.email);
    const { page, problems } = await open(`/activate?t=${encodeURIComponent(mail.token)}`);
    await page.waitForSelector('#activate-form');
    const wrong = mail.code === '000000' ? '111111' : '000000';
    await page.fill('#act-code', wrong);
    await page.fill('#act-pin', '258013');
    await page.fill('#act-pin-again', '258013');
    await page.click('#activate-form button[type=submit]');
    // Each error once, beside its field (issue #16: not twice).
    await expect.poll(() => page.textContent('#act-code-error')).toContain('Kode aktivasi salah');
    expect(await page.textContent('#activate-status')).toBe('');
    expect(await page.getAttribute('#act-code', 'aria-invalid')).toBe('true');

    await page.fill('#act-code', mail.code);
    await page.fill('#act-pin', '111111');
    await page.fill('#act-pin-again', '111111');
    await page.click('#activate-form button[type=submit]');
    await expect.poll(() => page.textContent('#act-pin-error')).toContain('mudah ditebak');
    expect(await page.textContent('#activate-status')).toBe('');

    await page.fill('#act-pin', '258013');
    await page.fill('#act-pin-again', '258014');
    await page.click('#activate-form button[type=submit]');
    expect(await page.textContent('#act-pin-again-error')).toContain('tidak sama');
    await screenshot(page, 'err-activation');

    // The page's GETs consumed nothing: after all that the right code still activates.
    await page.fill('#act-pin-again', '258013');
    await page.click('#activate-form button[type=submit]');
    await page.waitForSelector('#activate-done:visible');
    expect(problems).toEqual([]);
  });

  it('without JavaScript the activation form still activates (it posts to POST /activate)', async () => {
    const { token: opToken } = await createOperatorSession(app.ctx);
    const reg = await registerResident(app.ctx);
    await approve(app.ctx, opToken, reg.registrationId);
    const mail = await activationMail(app.ctx, reg.email);
    const watched = await newPage(browser, { baseUrl: app.baseUrl, javaScriptEnabled: false });
    opened.push(watched);
    const { page } = watched;
    await page.goto(`/activate?t=${encodeURIComponent(mail.token)}`);
    await page.fill('#act-code', mail.code);
    await page.fill('#act-pin', '258013');
    await page.fill('#act-pin-again', '258013');
    await page.click('#activate-form button[type=submit]');
    await expect.poll(() => page.textContent('body'), { timeout: 10_000 }).toContain('IKD Anda sudah aktif');
    expect(watched.problems).toEqual([]);
  });

  it('wrong operator credentials are one message, and the password field is emptied', async () => {
    const op = await createTestOperator(app.ctx);
    const { page, problems } = await open('/operator');
    await page.waitForSelector('#view-op-login:visible');
    await page.fill('#op-username', op.username);
    await page.fill('#op-password', op.password);
    await page.fill('#op-otp', '000000');
    await page.click('#op-login-form button[type=submit]');
    await expect.poll(() => page.textContent('#op-login-status')).toContain('salah');
    expect(await page.inputValue('#op-password')).toBe('');
    expect(problems).toEqual([]);
  });

  afterAll(async () => {
    for (const watched of opened) await watched.context.close().catch(() => {});
  });
});
