import { describe, expect, it } from 'vitest';
import { browserSuiteTitle, detectChromium } from '../e2e/chromium.js';

describe('browser-test Chromium detection', () => {
  it('runs the browser tests when Chromium is there', () => {
    const status = detectChromium({ path: '/usr/bin/chromium', exists: () => true, ci: false });
    expect(status).toEqual({ available: true, path: '/usr/bin/chromium' });
    expect(browserSuiteTitle('pages in Chromium', status)).toBe('pages in Chromium');
  });

  it('skips on a developer machine without Chromium, saying why and what to install', () => {
    const status = detectChromium({ path: '/nowhere/chromium', exists: () => false, ci: false });
    expect(status.available).toBe(false);
    if (status.available) return;
    expect(status.reason).toContain('/nowhere/chromium not found');
    expect(status.reason).toContain('apt-get install -y chromium');
    expect(browserSuiteTitle('pages in Chromium', status)).toBe(`pages in Chromium [${status.reason}]`);
  });

  it('fails in CI instead of skipping', () => {
    expect(() => detectChromium({ exists: () => false, ci: true })).toThrow(/apt-get install -y chromium.*cannot be skipped in CI/);
  });

  it('checks the real path by default', () => {
    expect(detectChromium({ exists: (path) => path === '/usr/bin/chromium', ci: false }).available).toBe(true);
  });
});
