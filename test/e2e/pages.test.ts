/**
 * Browser smoke checks of every page on a phone-sized Chromium: it renders (Indonesian by default, English with
 * ?lang=en and remembered), every input has a label, scripts run under the CSP without a single violation or
 * console error, and keyboard focus is visible.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { browserSuiteTitle, chromiumAvailable, detectChromium, launchChromium, newPage, screenshot, startApp, unlabelledControls, type RunningApp } from './harness.js';

const PAGES = [
  { path: '/app', ready: '#view-register:not([hidden])', heading: { id: 'Daftar IKD', en: 'Register for IKD' } },
  { path: '/operator', ready: '#view-op-login:not([hidden])', heading: { id: 'Masuk operator', en: 'Operator login' } },
  { path: '/counter', ready: '#key-form:not([hidden])', heading: { id: 'Loket Layanan', en: 'Service counter' } },
  { path: '/activate?t=abcdefghijklmnopqrstuvwxyz012345', ready: '#activate-form', heading: { id: 'Aktivasi IKD', en: 'Activate IKD' } },
  { path: '/dev/mailbox', ready: '#mailbox-heading', heading: { id: 'Kotak surat pengembangan', en: 'Development mailbox' } },
] as const;

describe.skipIf(!chromiumAvailable())(browserSuiteTitle('pages in Chromium', detectChromium()), () => {
  let app: RunningApp;
  let browser: Browser;

  beforeAll(async () => {
    [app, browser] = await Promise.all([startApp(), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  for (const lang of ['id', 'en'] as const) {
    for (const spec of PAGES) {
      it(`${spec.path} renders in ${lang} with labelled inputs, no console errors and no CSP violation`, async () => {
        const { page, context, problems } = await newPage(browser, { baseUrl: app.baseUrl });
        try {
          const url = lang === 'en' ? `${spec.path}${spec.path.includes('?') ? '&' : '?'}lang=en` : spec.path;
          const response = await page.goto(url);
          expect(response?.status()).toBe(200);
          expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
          await page.waitForSelector(spec.ready);
          expect(await page.getAttribute('html', 'lang')).toBe(lang);
          await expect.poll(() => page.locator('h1:visible').first().textContent()).toContain(spec.heading[lang]);
          expect(await unlabelledControls(page)).toEqual([]);
          // Every image has an alt attribute (empty for decoration).
          expect(await page.locator('img:not([alt])').count()).toBe(0);
          const name = `${spec.path.slice(1).split('?')[0]!.replace(/\//g, '-')}-${lang}`;
          await screenshot(page, `smoke-${name}`);
          expect(problems).toEqual([]);
        } finally {
          await context.close();
        }
      });
    }
  }

  it('remembers the language chosen with ?lang=en in a cookie', async () => {
    const { page, context, problems } = await newPage(browser, { baseUrl: app.baseUrl });
    try {
      await page.goto('/counter?lang=en');
      await page.goto('/app');
      expect(await page.getAttribute('html', 'lang')).toBe('en');
      await page.click('.lang-switch');
      await page.waitForURL(/lang=id/);
      expect(await page.getAttribute('html', 'lang')).toBe('id');
      await page.goto('/operator');
      expect(await page.getAttribute('html', 'lang')).toBe('id');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('keyboard focus starts at the skip link and shows a visible focus ring', async () => {
    const { page, context } = await newPage(browser, { baseUrl: app.baseUrl });
    try {
      await page.goto('/counter');
      await page.waitForSelector('#key-form:not([hidden])');
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.className)).toBe('skip');
      await page.keyboard.press('Enter');
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement;
        const style = getComputedStyle(el);
        return { tag: el.tagName, outline: style.outlineStyle, width: style.outlineWidth };
      });
      expect(focused.outline).toBe('solid');
      expect(parseFloat(focused.width)).toBeGreaterThanOrEqual(2);
    } finally {
      await context.close();
    }
  });

  it('an inline script injected into a page is blocked by the CSP and reported', async () => {
    const { page, context, problems } = await newPage(browser, { baseUrl: app.baseUrl });
    try {
      await page.goto('/counter');
      await page.evaluate(() => {
        const s = document.createElement('script');
        s.textContent = 'window.__inlineRan = true';
        document.body.append(s);
      });
      await expect.poll(() => problems.some((p) => /CSP violation|Content Security Policy/.test(p))).toBe(true);
      expect(await page.evaluate(() => (window as unknown as { __inlineRan?: boolean }).__inlineRan)).toBeUndefined();
    } finally {
      await context.close();
    }
  });
});
