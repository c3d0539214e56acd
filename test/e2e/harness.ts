/**
 * Browser-test harness: the real app in-process on 127.0.0.1:<free port>, Debian's Chromium driven by
 * playwright-core (never a downloaded browser), pages that fail on console errors and CSP violations, screenshots.
 */
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { CHROMIUM, detectChromium } from './chromium.js';

export { CHROMIUM, browserSuiteTitle, detectChromium } from './chromium.js';
export const SCREENSHOTS = join(process.cwd(), 'test-results', 'e2e');
export const PHONE = { width: 390, height: 844 };

let warned = false;
/** CI must have Chromium (it installs it); a developer without it gets a skip with a reason (printed once). */
export function chromiumAvailable(): boolean {
  const status = detectChromium();
  if (!status.available && !warned) {
    warned = true;
    console.warn(`[e2e] ${status.reason}`);
  }
  return status.available;
}

/** Debian's Chromium, headless and quiet (never a download of its own); `extraArgs` e.g. a fake camera. */
export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
      ...extraArgs,
    ],
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export interface RunningApp {
  ctx: TestContext;
  baseUrl: string;
  close(): Promise<void>;
}

/** The app under test, served over real HTTP so the browser talks to it like to production. */
export async function startApp(config: Record<string, string> = {}): Promise<RunningApp> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const ctx = await createTestContext({ config: { PUBLIC_BASE_URL: baseUrl, ...config } });
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: ctx.app.fetch, port, hostname: '127.0.0.1' }, () => resolve(s));
  });
  return {
    ctx,
    baseUrl,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await ctx.close();
    },
  };
}

export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  /** Console errors, uncaught exceptions and CSP violations seen so far. */
  problems: string[];
  /** Console errors that are expected API answers (a 4xx the page shows as a message), kept apart. */
  expectedHttpErrors: string[];
}

/**
 * A phone-sized page that records every console error, page error and CSP violation. Chromium logs each non-2xx
 * fetch as a console error ("Failed to load resource … 4xx"); those are expected when a test drives an error path,
 * so they are kept apart and the test asserts them explicitly.
 */
export async function newPage(
  browser: Browser,
  options: { locale?: string; viewport?: { width: number; height: number }; baseUrl: string; javaScriptEnabled?: boolean },
): Promise<WatchedPage> {
  const context = await browser.newContext({
    javaScriptEnabled: options.javaScriptEnabled ?? true,
    baseURL: options.baseUrl,
    locale: options.locale ?? 'id-ID',
    viewport: options.viewport ?? PHONE,
    deviceScaleFactor: 1,
    hasTouch: true,
    isMobile: true,
    serviceWorkers: 'block',
  });
  const page = await context.newPage();
  const problems: string[] = [];
  const expectedHttpErrors: string[] = [];
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() !== 'error' && !/Content Security Policy/i.test(message.text())) return;
    const text = `${message.text()} @ ${message.location().url}`;
    if (/Failed to load resource: the server responded with a status of 4\d\d/.test(message.text()) && /\/v1\//.test(message.location().url)) {
      expectedHttpErrors.push(text);
    } else {
      problems.push(text);
    }
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  // A violation event is fired even where the console message is not; report it through a binding.
  await page.exposeBinding('__reportCsp', (_source, text: string) => problems.push(`CSP violation: ${text}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __reportCsp(text: string): void }).__reportCsp(`${e.violatedDirective} blocked ${e.blockedURI}`);
    });
  });
  return { page, context, problems, expectedHttpErrors };
}

/** A PNG under test-results/e2e/: the full page, the viewport (fullPage: false) or one element. */
export async function screenshot(page: Page, name: string, options: { fullPage?: boolean; element?: string } = {}): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  if (options.element) await page.locator(options.element).screenshot({ path });
  else await page.screenshot({ path, fullPage: options.fullPage ?? true });
  return path;
}

/** Every visible form control has an accessible name from a <label> (or aria-label/aria-labelledby). */
export async function unlabelledControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const missing: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>('input, select, textarea')) {
      const input = el as HTMLInputElement;
      if (input.type === 'hidden') continue;
      const hasLabel = (input.labels?.length ?? 0) > 0 || el.hasAttribute('aria-label') || el.hasAttribute('aria-labelledby');
      if (!hasLabel) missing.push(el.id || el.outerHTML.slice(0, 80));
    }
    return missing;
  });
}

/** Puts a resident's device key into the page's IndexedDB, as registering on this phone would have. */
export async function installDevice(
  page: Page,
  resident: { nik: string; device: { secretKey: Uint8Array; publicKey: string } },
): Promise<void> {
  await page.evaluate(
    ({ secretKey, publicKey, nik }) =>
      new Promise<void>((resolve, reject) => {
        const request = indexedDB.open('ikd', 1);
        request.onupgradeneeded = () => request.result.createObjectStore('device');
        request.onsuccess = () => {
          const tx = request.result.transaction('device', 'readwrite');
          tx.objectStore('device').put({ secretKey: Uint8Array.from(secretKey), publicKey, nik, registrationId: 'reg_x', status: 'active' }, 'current');
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
        };
      }),
    { secretKey: [...resident.device.secretKey], publicKey: resident.device.publicKey, nik: resident.nik },
  );
}
