/**
 * Scanning with the camera, for real: Chromium's fake camera plays a Y4M video of the QR code, the page reads it
 * with jsQR (Chromium on Linux has no BarcodeDetector) loaded under the CSP, and the scan does what a paste does —
 * the counter redeems the KTP QR, the operator console looks up the registration.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { registerResident, registrationQr } from '../helpers/enrolment.js';
import { createTestOperator, currentOtp } from '../helpers/operator.js';
import { createActiveResident, createTestVerifier, issueQr } from '../helpers/resident.js';
import { qrVideo } from './qr-image.js';
import { browserSuiteTitle, chromiumAvailable, detectChromium, launchChromium, newPage, screenshot, startApp, type RunningApp } from './harness.js';


/** Waits for the scan's outcome; a timeout names what the scanner and the page said. */
async function waitOrExplain(page: Page, selector: string, problems: string[]) {
  try {
    await page.waitForSelector(selector, { timeout: 30_000 });
  } catch (error) {
    const said = await page.$$eval('[role=status], .scanner-status, #result-reason', (nodes) => nodes.map((n) => n.textContent?.trim()).filter(Boolean));
    throw new Error(`${selector} did not appear; the page said ${JSON.stringify(said)}; console ${JSON.stringify(problems)}`, { cause: error });
  }
}

describe.skipIf(!chromiumAvailable())(browserSuiteTitle('scanning a QR with the camera', detectChromium()), () => {
  let app: RunningApp;
  const dir = mkdtempSync(join(tmpdir(), 'ikd-camera-'));
  const browsers: Browser[] = [];

  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(async () => {
    for (const b of browsers) await b.close();
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Chromium whose only camera shows `text` as a QR code. */
  async function browserFilming(text: string): Promise<Browser> {
    const video = join(dir, `${browsers.length}.y4m`);
    writeFileSync(video, qrVideo(text));
    const browser = await launchChromium([
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${video}`,
    ]);
    browsers.push(browser);
    return browser;
  }

  it('the counter scans a KTP QR and shows the green result', async () => {
    const holder = await createActiveResident(app.ctx);
    const verifier = await createTestVerifier(app.ctx, { name: 'RSUD Pangkep' });
    const { token } = await issueQr(app.ctx, holder);
    const browser = await browserFilming(token);
    const { page, context, problems } = await newPage(browser, { baseUrl: app.baseUrl });
    await context.grantPermissions(['camera'], { origin: app.baseUrl });
    await page.goto('/counter');
    await page.fill('#counter-apikey', verifier.apiKey);
    await page.click('#key-form button[type=submit]');
    await page.waitForSelector('#key-saved:visible');
    await page.click('#counter-scanner [data-scan-start]');
    await waitOrExplain(page, '#result-ok:visible', problems);
    expect(await page.textContent('#result-data')).toContain(holder.nik);
    // The camera is off again once the code was read.
    expect(await page.isVisible('#counter-scanner .scanner-view')).toBe(false);
    expect(await page.evaluate(() => typeof (window as unknown as { jsQR?: unknown }).jsQR)).toBe('function');
    await screenshot(page, 'camera-counter');
    expect(problems).toEqual([]);
  });

  it('the operator console scans a registration QR and opens the case', async () => {
    const reg = await registerResident(app.ctx);
    const qr = await registrationQr(app.ctx, reg.registrationId, reg.device);
    const operator = await createTestOperator(app.ctx);
    const browser = await browserFilming(qr);
    const { page, context, problems } = await newPage(browser, { baseUrl: app.baseUrl });
    await context.grantPermissions(['camera'], { origin: app.baseUrl });
    await page.goto('/operator');
    await page.fill('#op-username', operator.username);
    await page.fill('#op-password', operator.password);
    await page.fill('#op-otp', await currentOtp(app.ctx, operator.totpSecret));
    await page.click('#op-login-form button[type=submit]');
    await page.click('#op-scanner [data-scan-start]');
    await waitOrExplain(page, '#op-case:visible', problems);
    expect(await page.inputValue('#op-qr')).toBe(qr);
    expect(await page.textContent('#op-registry')).toContain(reg.resident.nik);
    expect(problems).toEqual([]);
  });
});
