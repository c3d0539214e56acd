/**
 * Whether the browser tests can run: Debian's Chromium at /usr/bin/chromium (never a downloaded browser).
 * Kept free of playwright so the decision itself is unit-tested (test/unit/chromium-detect.test.ts).
 */
import { existsSync } from 'node:fs';

export const CHROMIUM = '/usr/bin/chromium';
export const INSTALL_HINT = 'apt-get install -y chromium fonts-dejavu-core';

export type ChromiumStatus = { available: true; path: string } | { available: false; path: string; reason: string };

/** Present → run; missing on a developer's machine → skip with a reason; missing in CI → an error (CI installs it). */
export function detectChromium(options: { path?: string; exists?: (path: string) => boolean; ci?: boolean } = {}): ChromiumStatus {
  const path = options.path ?? CHROMIUM;
  const exists = options.exists ?? existsSync;
  const ci = options.ci ?? process.env.CI === 'true';
  if (exists(path)) return { available: true, path };
  if (ci) throw new Error(`${path} is missing: CI installs Debian's chromium package (${INSTALL_HINT}). Browser tests cannot be skipped in CI.`);
  return { available: false, path, reason: `browser tests skipped: ${path} not found — install it with \`${INSTALL_HINT}\`` };
}

/** A describe title that says, in the test report itself, why the block was skipped. */
export function browserSuiteTitle(title: string, status: ChromiumStatus): string {
  return status.available ? title : `${title} [${status.reason}]`;
}
