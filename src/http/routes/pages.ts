/** Pages people use (/app, /operator, /counter), their static assets under /assets/ and the web app manifest. */
import { Hono } from 'hono';
import { AppError } from '../../errors.js';
import { loadAsset } from '../../web/assets.js';
import { pageLanguage, translator } from '../../web/i18n/index.js';
import { counterPage, operatorPage, residentPage } from '../../web/render.js';
import type { AppEnv } from '../context.js';
import { describeRoute } from '../openapi.js';

const html = (summary: string) =>
  describeRoute({ summary, tags: ['pages'], responses: { 200: { description: 'HTML page', contentType: 'text/html' } } });

export function pagesRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/app', html('Resident app: register, registration QR, PIN login, KTP digital and its QR, history, settings'), (c) =>
    residentPage(c),
  );
  app.get('/operator', html('Operator console: TOTP login, scan a registration QR, compare faces, decide, suspend'), (c) =>
    operatorPage(c),
  );
  app.get('/counter', html('Public-service counter: scan or paste a KTP QR, see the verified data and photo'), (c) =>
    counterPage(c),
  );
  app.get('/', describeRoute({ summary: 'Redirects to the resident app', tags: ['pages'], hidden: true }), (c) => c.redirect('/app', 302));

  app.get(
    '/manifest.webmanifest',
    describeRoute({ summary: 'Web app manifest of the installable resident app', tags: ['pages'], hidden: true }),
    (c) => {
      const { lang } = pageLanguage(c);
      const t = translator(lang);
      const manifest = {
        id: '/app',
        name: `${t('site.name')} — ${t('site.long')}`,
        short_name: t('site.name'),
        description: t('app.intro'),
        lang,
        start_url: '/app',
        scope: '/',
        display: 'standalone',
        orientation: 'portrait',
        background_color: '#ffffff',
        theme_color: '#0b4f8a',
        icons: [
          { src: '/assets/icons/icon.svg', sizes: 'any', type: 'image/svg+xml' },
          { src: '/assets/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/assets/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: '/assets/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      };
      return c.body(JSON.stringify(manifest), 200, {
        'Content-Type': 'application/manifest+json; charset=utf-8',
        'Cache-Control': 'public, max-age=3600',
      });
    },
  );

  // Browsers ask for /favicon.ico on pages that name no icon (e.g. the no-JavaScript activation answer).
  app.get('/favicon.ico', describeRoute({ summary: 'The app icon', tags: ['pages'], hidden: true }), async (c) => {
    const icon = await loadAsset('icons/icon-192.png');
    if (!icon) throw new AppError('not_found');
    return c.body(icon.body as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': icon.type, 'Cache-Control': 'public, max-age=86400' });
  });

  app.get(
    '/assets/*',
    describeRoute({ summary: 'Static assets of the pages (CSS, client scripts, icons, browser libraries)', tags: ['pages'], hidden: true }),
    async (c) => {
      const name = new URL(c.req.url).pathname.slice('/assets/'.length);
      const asset = await loadAsset(name, { reread: c.get('deps').config.devMode });
      if (!asset) throw new AppError('not_found');
      // Revalidate every time (ETag): a deployment never leaves a phone on stale client code.
      const headers = { 'Content-Type': asset.type, 'Cache-Control': 'no-cache', ETag: asset.etag };
      if (c.req.header('If-None-Match') === asset.etag) return c.body(null, 304, headers);
      return c.body(asset.body as Uint8Array<ArrayBuffer>, 200, headers);
    },
  );

  return app;
}
