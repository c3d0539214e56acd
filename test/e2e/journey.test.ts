/**
 * The whole journey in Chromium, as people do it: a resident registers in /app (device key in IndexedDB, selfie),
 * an operator logs in with TOTP in /operator, pastes the registration QR read from the resident's page, compares
 * the photos and approves; the resident opens the e-mailed link from /dev/mailbox, activates, logs in with the PIN,
 * shows the KTP QR (scanned from the screen); a counter verifies it in /counter (green), then again (red:
 * already used); the resident sees the access in the history; the 90-second countdown runs out and offers a fresh QR.
 * Screenshots of every step go to test-results/e2e/; with UPDATE_DOC_SCREENSHOTS=1 three also go to docs/img/.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { seedResident, type TestResident } from '../helpers/enrolment.js';
import { createTestOperator, currentOtp, type TestOperator } from '../helpers/operator.js';
import { createTestVerifier, type TestVerifier } from '../helpers/resident.js';
import { browserSuiteTitle, chromiumAvailable, detectChromium, launchChromium, newPage, screenshot, startApp, type RunningApp, type WatchedPage } from './harness.js';
import { scanQrFrom, selfiePng } from './qr-image.js';

const PIN = '258013';
const DOCS_IMG = join(process.cwd(), 'docs', 'img');

/** Copies a step's screenshot into docs/img when asked (npm run screenshots); the README shows those three. */
function docScreenshot(path: string, name: string) {
  if (process.env.UPDATE_DOC_SCREENSHOTS !== '1') return;
  mkdirSync(DOCS_IMG, { recursive: true });
  copyFileSync(path, join(DOCS_IMG, name));
}

describe.skipIf(!chromiumAvailable())(browserSuiteTitle('the IKD journey in Chromium', detectChromium()), () => {
  let app: RunningApp;
  let browser: Browser;
  let resident: WatchedPage;
  let operatorPage: WatchedPage;
  let counter: WatchedPage;
  let person: TestResident;
  let operator: TestOperator;
  let verifier: TestVerifier;
  const email = 'budi.journey@example.id';
  let ktpToken = '';

  beforeAll(async () => {
    [app, browser] = await Promise.all([startApp(), launchChromium()]);
    person = await seedResident(app.ctx);
    operator = await createTestOperator(app.ctx, 'operator', { name: 'Andi Operator' });
    verifier = await createTestVerifier(app.ctx, { name: 'BPJS Kesehatan Pangkep' });
    resident = await newPage(browser, { baseUrl: app.baseUrl });
    operatorPage = await newPage(browser, { baseUrl: app.baseUrl, viewport: { width: 1024, height: 900 } });
    counter = await newPage(browser, { baseUrl: app.baseUrl });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  /** Waits for an element; on a timeout the error names what the page's live regions said instead. */
  const visible = async (page: Page, selector: string) => {
    try {
      return await page.waitForSelector(selector, { state: 'visible', timeout: 15_000 });
    } catch (error) {
      const said = await page.$$eval('[role=status], [role=alert], .field-error', (nodes) =>
        nodes.map((n) => n.textContent?.trim()).filter(Boolean),
      );
      const problems = [resident, operatorPage, counter].flatMap((w) => [...w.problems, ...w.expectedHttpErrors]);
      throw new Error(`${selector} did not appear; the page said: ${JSON.stringify(said)}; console: ${JSON.stringify(problems)}`, {
        cause: error,
      });
    }
  };

  it('1. the resident registers with a selfie and gets the registration QR', async () => {
    const page = resident.page;
    await page.goto('/app');
    await visible(page, '#view-register');
    await page.fill('#reg-nik', person.nik);
    await page.fill('#reg-name', person.name);
    await page.fill('#reg-birthDate', person.birthDate);
    await page.fill('#reg-email', email);
    await page.fill('#reg-phone', '081234567890');
    await page.setInputFiles('#reg-selfie', { name: 'selfie.png', mimeType: 'image/png', buffer: selfiePng() });
    await visible(page, '#reg-selfie-preview');
    await page.check('#reg-consent');
    await screenshot(page, '01-register-form');
    await page.click('#register-form button[type=submit]');
    await visible(page, '#view-regqr');
    await expect.poll(() => page.inputValue('#regqr-text')).not.toBe('');
    // The device key is in IndexedDB, bound to this registration.
    const stored = await page.evaluate(
      () =>
        new Promise<{ publicKey: string; nik: string; keyBytes: number }>((resolve, reject) => {
          const open = indexedDB.open('ikd');
          open.onsuccess = () => {
            const get = open.result.transaction('device').objectStore('device').get('current');
            get.onsuccess = () => resolve({ publicKey: get.result.publicKey, nik: get.result.nik, keyBytes: get.result.secretKey.length });
            get.onerror = () => reject(get.error);
          };
        }),
    );
    expect(stored).toMatchObject({ nik: person.nik, keyBytes: 32 });
    expect(stored.publicKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // The QR on screen holds exactly the code shown as text.
    const qrText = await page.inputValue('#regqr-text');
    expect(await scanQrFrom(page.locator('#regqr-image'))).toBe(qrText);
    await screenshot(page, '02-registration-qr');
    expect(resident.problems).toEqual([]);
  });

  it('2. the operator logs in with TOTP, pastes the QR, compares the photos and approves', async () => {
    const page = operatorPage.page;
    const qr = await resident.page.inputValue('#regqr-text');
    await page.goto('/operator');
    await visible(page, '#view-op-login');
    await page.fill('#op-username', operator.username);
    await page.fill('#op-password', operator.password);
    await page.fill('#op-otp', await currentOtp(app.ctx, operator.totpSecret));
    await page.click('#op-login-form button[type=submit]');
    await visible(page, '#view-op-console');
    expect(await page.textContent('#op-who')).toContain('Andi Operator');
    await page.fill('#op-qr', qr);
    await page.click('#op-lookup-form button[type=submit]');
    await visible(page, '#op-case');
    // Selfie and KTP-el photo side by side, with the registry data.
    await visible(page, '#op-selfie');
    await visible(page, '#op-ktp-photo');
    expect(await page.getAttribute('#op-selfie', 'src')).toMatch(/^data:image\/(jpeg|png);base64,/);
    expect(await page.getAttribute('#op-ktp-photo', 'src')).toMatch(/^data:image\/(jpeg|png);base64,/);
    expect(await page.textContent('#op-registry')).toContain(person.nik);
    expect(await page.textContent('#op-registration')).toContain(email);

    // Approving without the checks is refused by the page before anything is sent.
    await page.click('#op-approve');
    await visible(page, '#op-face-error');
    await page.check('#op-ktp-sighted');
    await page.check('#op-face-match');
    await page.check('#op-consent');
    await screenshot(page, '03-operator-decision');
    docScreenshot(await screenshot(page, '03-operator-decision-case', { element: '#op-case' }), 'operator-decision.png');
    await page.click('#op-approve');
    await expect.poll(() => page.textContent('#op-decision-status')).toContain('Disetujui');
    await visible(page, '#op-resend');
    await screenshot(page, '04-operator-approved');
    expect(operatorPage.problems).toEqual([]);
  });

  it('3. the resident app notices the approval', async () => {
    const page = resident.page;
    await page.waitForSelector('#regqr-state.ok', { timeout: 15_000 });
    expect(await page.textContent('#regqr-state')).toContain('e-mail');
    await screenshot(page, '05-resident-approved');
  });

  it('4. the resident activates through the e-mailed link from the dev mailbox', async () => {
    const page = resident.page;
    await page.goto('/dev/mailbox');
    const mail = page.locator('.mail', { hasText: email }).first();
    await mail.waitFor();
    const text = (await mail.locator('.mail-text').textContent()) ?? '';
    const code = text.match(/\b\d{6}\b/g);
    expect(code).toHaveLength(1);
    await screenshot(page, '06-dev-mailbox');
    await mail.locator('a[href*="/activate?t="]').click();
    await visible(page, '#activate-form');
    // The token leaves the address bar once the page has it.
    await expect.poll(() => page.url()).not.toContain('t=');
    await page.fill('#act-code', code![0]!);
    await page.fill('#act-pin', PIN);
    await page.fill('#act-pin-again', PIN);
    await screenshot(page, '07-activate-form');
    await page.click('#activate-form button[type=submit]');
    await visible(page, '#activate-done');
    await screenshot(page, '08-activated');
    expect(resident.problems).toEqual([]);
  });

  it('5. the resident logs in with the PIN and sees the KTP card', async () => {
    const page = resident.page;
    await page.click('#activate-done a');
    await visible(page, '#view-login');
    expect(await page.inputValue('#login-nik')).toBe(person.nik);
    await page.fill('#login-pin', PIN);
    await page.click('#login-form button[type=submit]');
    await visible(page, '#view-home');
    await page.waitForSelector('#ktp-card .ktp-nik');
    expect(await page.textContent('#ktp-card')).toContain(person.nik);
    // The greeting comes from GET /v1/me, which may answer after the card: wait for it rather than race it.
    await page.waitForFunction(
      (name) => document.querySelector('#home-greeting')?.textContent?.includes(name),
      person.name,
    );
    expect(await page.textContent('#home-greeting')).toContain(person.name);
    await visible(page, '#ktp-card img');
    await screenshot(page, '09-ktp-card');
  });

  it('6. the resident shows the KTP QR with its countdown', async () => {
    const page = resident.page;
    await page.click('.tabs [data-tab=qr]');
    await visible(page, '#qr-form');
    await page.fill('#qr-pin', PIN);
    await page.click('#qr-form button[type=submit]');
    await visible(page, '#qr-show');
    ktpToken = await page.inputValue('#qr-text');
    expect(ktpToken.length).toBeGreaterThan(100);
    expect(await scanQrFrom(page.locator('#qr-image'))).toBe(ktpToken);
    expect(await page.textContent('#qr-countdown')).toMatch(/^1:(30|29|28)$/);
    await screenshot(page, '10-ktp-qr', { fullPage: false });
    docScreenshot(await screenshot(page, '10-ktp-qr-home', { element: '#view-home' }), 'resident-ktp-qr.png');
  });

  it('7. the counter saves its API key, pastes the QR and sees a green result with the photo', async () => {
    const page = counter.page;
    await page.goto('/counter');
    await visible(page, '#key-form');
    await page.fill('#counter-apikey', verifier.apiKey);
    await page.fill('#counter-name', 'Loket 2');
    await page.click('#key-form button[type=submit]');
    await visible(page, '#key-saved');
    expect(await page.evaluate(() => localStorage.getItem('ikd.counter.apiKey'))).toBe(verifier.apiKey);
    await page.fill('#counter-token', ktpToken);
    await page.click('#verify-form button[type=submit]');
    await visible(page, '#result-ok');
    expect(await page.textContent('#result-data')).toContain(person.nik);
    expect(await page.textContent('#result-data')).toContain(person.name);
    await visible(page, '#result-photo');
    await screenshot(page, '11-counter-green');
    docScreenshot(await screenshot(page, '11-counter-green-result', { element: '#counter-result' }), 'counter-verified.png');
    expect(counter.problems).toEqual([]);
  });

  it('8. the same QR a second time is red: already used', async () => {
    const page = counter.page;
    await page.click('#result-next');
    await page.fill('#counter-token', ktpToken);
    await page.click('#verify-form button[type=submit]');
    await visible(page, '#result-fail');
    expect(await page.textContent('#result-reason')).toContain('sudah pernah dipakai');
    await screenshot(page, '12-counter-red-used');
    expect(counter.problems).toEqual([]);
    expect(counter.expectedHttpErrors.join('\n')).toMatch(/status of 409/);
  });

  it('9. the resident sees both accesses in the history', async () => {
    const page = resident.page;
    await page.click('.tabs [data-tab=history]');
    await page.waitForSelector('#history-list li');
    const items = page.locator('#history-list li');
    await expect.poll(() => items.count()).toBe(2);
    expect(await items.nth(0).textContent()).toContain('BPJS Kesehatan Pangkep');
    const all = (await page.textContent('#history-list')) ?? '';
    expect(all).toContain('Terverifikasi');
    expect(all).toContain('Sudah dipakai');
    await screenshot(page, '13-access-history');
    expect(resident.problems).toEqual([]);
  });

  it('10. after 90 seconds the QR is gone and a fresh one is offered', async () => {
    const page = resident.page;
    await page.clock.install();
    await page.reload();
    await visible(page, '#view-home');
    await page.click('.tabs [data-tab=qr]');
    await page.fill('#qr-pin', PIN);
    await page.click('#qr-form button[type=submit]');
    await visible(page, '#qr-show');
    await page.clock.fastForward('00:45');
    await expect.poll(() => page.textContent('#qr-countdown')).toMatch(/^0:4[45]$/);
    await page.clock.fastForward('00:46');
    await visible(page, '#qr-expired');
    expect(await page.inputValue('#qr-text')).toBe('');
    await screenshot(page, '14-qr-expired', { fullPage: false });
    await page.click('#qr-fresh');
    await visible(page, '#qr-form');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('qr-pin');
    expect(resident.problems).toEqual([]);
  });
});
