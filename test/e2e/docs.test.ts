/**
 * /docs in Chromium: the interactive reference (Swagger UI served from /assets) renders this service's
 * /openapi.json with a known operation visible, under the CSP, and every request stays on the local origin.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { browserSuiteTitle, chromiumAvailable, detectChromium, launchChromium, newPage, screenshot, startApp, type RunningApp } from './harness.js';

describe.skipIf(!chromiumAvailable())(browserSuiteTitle('API reference in Chromium', detectChromium()), () => {
  let app: RunningApp;
  let browser: Browser;

  beforeAll(async () => {
    [app, browser] = await Promise.all([startApp(), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('/docs renders the reference from /openapi.json, no CSP violation, no request to another host', async () => {
    const { page, context, problems } = await newPage(browser, { baseUrl: app.baseUrl, viewport: { width: 1280, height: 900 } });
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    try {
      const response = await page.goto('/docs');
      expect(response?.status()).toBe(200);
      expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
      await page.waitForSelector('body[data-docs-ready="true"]');
      // A known operation: the counter's redemption.
      const verify = page.locator('.opblock-summary-path', { hasText: /^\/v1\/verify$/ });
      await verify.first().waitFor();
      expect(await verify.count()).toBeGreaterThan(0);
      expect(await page.locator('.info .title').textContent()).toContain('IKD service API');
      await screenshot(page, 'docs-reference', { fullPage: false });

      const origin = new URL(app.baseUrl).origin;
      const elsewhere = requests.filter((url) => !url.startsWith('data:') && new URL(url).origin !== origin);
      expect(elsewhere).toEqual([]);
      expect(requests).toContain(`${origin}/openapi.json`);
      expect(requests).toContain(`${origin}/assets/vendor/swagger-ui-bundle.js`);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
