/**
 * Static assets under /assets/: our CSS and client scripts (src/web/static), the browser libraries served
 * straight from node_modules (@noble/ed25519, jsQR, Chart.js, Swagger UI — read once, never copied into git),
 * and PNG icons drawn in code. A fixed list: nothing outside it is ever read, so no path from a URL reaches the file system.
 */
import { renderIconPng } from './icons.js';

export interface Asset {
  body: Uint8Array;
  type: string;
  etag: string;
}

type Source =
  | { static: string; type: string }
  | { package: string; type: string; banner: string; /** A file inside the package instead of its main entry. */ file?: string }
  | { icon: number; maskable?: boolean };

const JS = 'text/javascript; charset=utf-8';

const SOURCES: Record<string, Source> = {
  'styles.css': { static: 'styles.css', type: 'text/css; charset=utf-8' },
  'common.js': { static: 'common.js', type: JS },
  'keystore.js': { static: 'keystore.js', type: JS },
  'scanner.js': { static: 'scanner.js', type: JS },
  'resident.js': { static: 'resident.js', type: JS },
  'app-documents.js': { static: 'app-documents.js', type: JS },
  'app-data-balikan.js': { static: 'app-data-balikan.js', type: JS },
  'app-pin-reset.js': { static: 'app-pin-reset.js', type: JS },
  'app-holder.js': { static: 'app-holder.js', type: JS },
  'app-pindai.js': { static: 'app-pindai.js', type: JS },
  'app-services.js': { static: 'app-services.js', type: JS },
  'operator-services.js': { static: 'operator-services.js', type: JS },
  'operator.js': { static: 'operator.js', type: JS },
  'counter.js': { static: 'counter.js', type: JS },
  'counter-request.js': { static: 'counter-request.js', type: JS },
  'activate.js': { static: 'activate.js', type: JS },
  'stats.js': { static: 'stats.js', type: JS },
  'docs.js': { static: 'docs.js', type: JS },
  'oidc-authorize.js': { static: 'oidc-authorize.js', type: JS },
  'icons/icon.svg': { static: 'icons/icon.svg', type: 'image/svg+xml' },
  // Served as published (the file carries its own MIT notice); an ES module with no imports.
  'vendor/noble-ed25519.js': { package: '@noble/ed25519', type: JS, banner: '' },
  // A UMD bundle that sets window.jsQR when loaded as a classic script; Apache-2.0 requires the notice.
  'vendor/jsqr.js': {
    package: 'jsqr',
    type: JS,
    banner: '/*! jsQR (https://github.com/cozmo/jsQR) — Apache License 2.0 — Copyright Cosmo Wolfe */\n',
  },
  // Chart.js's UMD bundle (sets window.Chart as a classic script) for the dashboard; MIT, the file carries its notice.
  'vendor/chart.js': { package: 'chart.js', file: 'dist/chart.umd.min.js', type: JS, banner: '' },
  // Swagger UI for /docs, served from the package (no CDN); Apache-2.0, the bundle carries its notices.
  'vendor/swagger-ui-bundle.js': {
    package: 'swagger-ui-dist',
    file: 'swagger-ui-bundle.js',
    type: JS,
    banner: '/*! Swagger UI (https://github.com/swagger-api/swagger-ui) — Apache License 2.0 — SmartBear Software */\n',
  },
  'vendor/swagger-ui.css': { package: 'swagger-ui-dist', file: 'swagger-ui.css', type: 'text/css; charset=utf-8', banner: '' },
  'icons/icon-192.png': { icon: 192 },
  'icons/icon-512.png': { icon: 512 },
  'icons/maskable-512.png': { icon: 512, maskable: true },
};

export const assetNames = Object.keys(SOURCES);

const cache = new Map<string, Promise<Asset | null>>();

async function sha256Tag(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return `"${Array.from(digest.subarray(0, 12), (b) => b.toString(16).padStart(2, '0')).join('')}"`;
}

async function readSource(source: Source): Promise<{ body: Uint8Array; type: string } | null> {
  if ('icon' in source) return { body: renderIconPng(source.icon, source.maskable), type: 'image/png' };
  // Node only: on Workers there is no file system, and these are served by the platform's static assets instead.
  try {
    const { readFile } = await import('node:fs/promises');
    if ('static' in source) {
      return { body: new Uint8Array(await readFile(new URL(`./static/${source.static}`, import.meta.url))), type: source.type };
    }
    const { createRequire } = await import('node:module');
    const entry = createRequire(import.meta.url).resolve(source.package);
    const path = source.file ? await packageFile(entry, source.package, source.file) : entry;
    const text = new TextDecoder().decode(await readFile(path));
    return { body: new TextEncoder().encode(source.banner + text), type: source.type };
  } catch {
    return null;
  }
}

/** A file of an installed package: up from its resolved entry to the folder whose package.json names it. */
async function packageFile(entry: string, name: string, file: string): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const { dirname, join } = await import('node:path');
  for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
    try {
      if ((JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { name?: string }).name === name) return join(dir, file);
    } catch {
      // No package.json here: keep going up.
    }
  }
  throw new Error(`package ${name} not found`);
}

/**
 * The asset by its name under /assets/, or null when there is no such asset (or it cannot be read here).
 * Read once per process; `reread` (development mode) picks up edits to src/web/static without a restart.
 */
export function loadAsset(name: string, options: { reread?: boolean } = {}): Promise<Asset | null> {
  const source = Object.hasOwn(SOURCES, name) ? SOURCES[name] : undefined;
  if (!source) return Promise.resolve(null);
  if (options.reread && 'static' in source) cache.delete(name);
  let pending = cache.get(name);
  if (!pending) {
    pending = readSource(source).then(async (read) => (read ? { ...read, etag: await sha256Tag(read.body) } : null));
    // A failed read is not remembered for good: the next request tries again.
    pending.then((asset) => {
      if (!asset) cache.delete(name);
    });
    cache.set(name, pending);
  }
  return pending;
}
