/**
 * The pages and their assets over HTTP (no browser): headers (CSP without inline scripts, no-referrer, no-store),
 * language choice, the fixed asset list (no path reaches the file system), the two browser libraries with their
 * licence notices, ETags, the manifest and its icons, the activation page's token handling, the dev mailbox.
 */
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '../../src/db/schema/index.js';
import { assetNames } from '../../src/web/assets.js';
import { createTestContext, type TestContext } from '../helpers/context.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx.close();
});

const get = (path: string, headers: Record<string, string> = {}) => ctx.app.request(path, { headers });

describe('pages', () => {
  it.each(['/app', '/operator', '/counter'])('%s is server-rendered HTML under the strict CSP', async (path) => {
    const res = await get(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const csp = res.headers.get('content-security-policy') ?? '';
    const scriptSrc = csp.split(';').map((d) => d.trim()).find((d) => d.startsWith('script-src'));
    expect(scriptSrc).toBe("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<html lang="id">');
    // The only <script> elements: module scripts from /assets and the non-executable JSON data block.
    const scripts = [...html.matchAll(/<script([^>]*)>/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    for (const attrs of scripts) expect(attrs).toMatch(/src="\/assets\/[a-z-]+\.js"|type="application\/json"/);
    // No inline event handlers either.
    expect(html).not.toMatch(/\son[a-z]+="/);
    // Every script it names exists.
    for (const src of html.matchAll(/src="\/assets\/([^"]+)"/g)) expect(assetNames).toContain(src[1]);
  });

  it('is Indonesian by default, English with ?lang=en (remembered in a cookie) or Accept-Language: en', async () => {
    expect(await (await get('/app')).text()).toContain('Daftar IKD');
    const en = await get('/app?lang=en');
    expect(await en.text()).toContain('Register for IKD');
    expect(en.headers.get('content-language')).toBe('en');
    expect(en.headers.get('set-cookie')).toMatch(/^ikd_lang=en; Path=\/; Max-Age=\d+; SameSite=Lax$/);
    expect(await (await get('/counter', { Cookie: 'ikd_lang=en' })).text()).toContain('Check a digital KTP');
    expect(await (await get('/counter', { 'Accept-Language': 'en-US,en;q=0.9' })).text()).toContain('Check a digital KTP');
    // The query wins over the cookie, and a choice already remembered sets no cookie again.
    expect(await (await get('/counter?lang=id', { Cookie: 'ikd_lang=en' })).text()).toContain('Periksa KTP digital');
    expect((await get('/counter?lang=en', { Cookie: 'ikd_lang=en' })).headers.get('set-cookie')).toBeNull();
  });

  it('the JSON data block cannot be broken out of', async () => {
    const html = await (await get('/app')).text();
    const block = /<script type="application\/json" id="ikd-messages">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
    expect(block).not.toContain('<');
    expect(Object.keys(JSON.parse(block)).length).toBeGreaterThan(50);
  });

  it('/favicon.ico is the app icon', async () => {
    const res = await get('/favicon.ico');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
  });

  it('GET / leads to the resident app', async () => {
    const res = await get('/');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/app');
  });
});

describe('assets', () => {
  it('serves every listed asset with its type and an ETag, and 304 on revalidation', async () => {
    for (const name of assetNames) {
      const res = await get(`/assets/${name}`);
      expect(res.status, name).toBe(200);
      expect(res.headers.get('etag'), name).toMatch(/^"[0-9a-f]{24}"$/);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      const again = await get(`/assets/${name}`, { 'If-None-Match': res.headers.get('etag')! });
      expect(again.status, name).toBe(304);
    }
    expect((await get('/assets/styles.css')).headers.get('content-type')).toContain('text/css');
    expect((await get('/assets/resident.js')).headers.get('content-type')).toContain('text/javascript');
  });

  it('serves @noble/ed25519 as an ES module and jsQR as a script, each with its licence notice', async () => {
    const noble = await (await get('/assets/vendor/noble-ed25519.js')).text();
    expect(noble).toMatch(/^\/\*! noble-ed25519 - MIT License/);
    expect(noble).toContain('export {');
    const jsqr = await (await get('/assets/vendor/jsqr.js')).text();
    expect(jsqr).toMatch(/^\/\*! jsQR .* Apache License 2\.0/);
  });

  it.each(['nope.js', '../package.json', '..%2Fpackage.json', 'vendor/../../package.json', 'static/styles.css', 'icons/', ''])(
    '/assets/%s is a 404 problem: only listed names are served',
    async (name) => {
      const res = await get(`/assets/${name}`);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(((await res.json()) as { code: string }).code).toBe('not_found');
    },
  );

  it('the manifest makes the resident app installable, and its PNG icons are the sizes it says', async () => {
    const res = await get('/manifest.webmanifest');
    expect(res.headers.get('content-type')).toContain('application/manifest+json');
    const manifest = (await res.json()) as { start_url: string; display: string; icons: { src: string; sizes: string; type: string; purpose?: string }[] };
    expect(manifest).toMatchObject({ start_url: '/app', display: 'standalone' });
    expect(manifest.icons.some((i) => i.purpose === 'maskable')).toBe(true);
    for (const icon of manifest.icons.filter((i) => i.type === 'image/png')) {
      const png = PNG.sync.read(Buffer.from(await (await get(icon.src)).arrayBuffer()));
      expect(`${png.width}x${png.height}`).toBe(icon.sizes);
    }
  });
});

describe('activation page', () => {
  it('renders the form with the token in a hidden field, no-store and no-referrer', async () => {
    const res = await get('/activate?t=AbCdEfGhIjKlMnOpQrStUvWxYz012345abcdefghijk');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await res.text();
    expect(html).toContain('name="t" value="AbCdEfGhIjKlMnOpQrStUvWxYz012345abcdefghijk"');
    expect(html).toContain('<meta name="referrer" content="no-referrer"/>');
    expect(html).toContain('src="/assets/activate.js"');
  });

  it('escapes whatever the link carries', async () => {
    const html = await (await get('/activate?t=%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E')).text();
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('&quot;&gt;&lt;script&gt;');
  });

  it('without a token explains the link is incomplete (400)', async () => {
    const res = await get('/activate?lang=en');
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('The activation link is incomplete');
  });
});

describe('dev mailbox page', () => {
  it('lists e-mails newest first with clickable http(s) links and escaped text', async () => {
    const base = { idempotencyKey: 'k', html: '', template: 'test', status: 'pending' as const, nextAttemptAt: ctx.clock.now(), createdAt: ctx.clock.now() };
    await ctx.deps.db.insert(outbox).values([
      { ...base, id: 'm_old', idempotencyKey: 'k1', to: 'a@example.id', subject: 'Lama', text: 'first' },
      {
        ...base,
        id: 'm_new',
        idempotencyKey: 'k2',
        to: 'b@example.id',
        subject: 'Baru <b>',
        text: 'Buka https://ikd.test/activate?t=abc lalu <script>x</script> javascript:alert(1)',
      },
    ]);
    const html = await (await get('/dev/mailbox')).text();
    expect(html.indexOf('Baru &lt;b&gt;')).toBeGreaterThan(-1);
    expect(html.indexOf('Baru &lt;b&gt;')).toBeLessThan(html.indexOf('Lama'));
    expect(html).toContain('<a href="https://ikd.test/activate?t=abc">https://ikd.test/activate?t=abc</a>');
    expect(html).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(html).not.toContain('href="javascript:');
  });

  it('does not exist outside development mode', async () => {
    const prod = await createTestContext({ config: { RESEND_API_KEY: 're_test_key' }, database: ctx.deps.database });
    expect(prod.deps.config.devMode).toBe(false);
    expect((await prod.app.request('/dev/mailbox')).status).toBe(404);
    // (no close: the database belongs to the outer context)
  });
});
