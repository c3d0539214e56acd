/**
 * Issue #16 "the journey as people live it", over HTTP: the language switch's label, an activation link already
 * used, a new PIN equal to the current one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { enrolResident } from '../helpers/enrolment.js';
import { createOperatorSession } from '../helpers/operator.js';
import { asResident, createActiveResident, createTestVerifier, issueQr, postVerify } from '../helpers/resident.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx?.close();
});

const switchLink = (html: string) => /<a class="lang-switch"[^>]*>[^<]*<\/a>/.exec(html)?.[0] ?? '';

describe('language switch', () => {
  it('names the language it switches to, in that language, on both pages', async () => {
    const id = switchLink(await (await ctx.app.request('/app')).text());
    expect(id).toContain('hreflang="en"');
    expect(id).toContain('aria-label="Switch language to English"');
    expect(id).toMatch(/>English<\/a>$/);
    const en = switchLink(await (await ctx.app.request('/app?lang=en')).text());
    expect(en).toContain('hreflang="id"');
    expect(en).toContain('aria-label="Ganti bahasa ke Bahasa Indonesia"');
    expect(en).toMatch(/>Bahasa Indonesia<\/a>$/);
  });
});

describe('an activation link already used', () => {
  it('GET /activate says it is activated and to log in, instead of an empty form; consumes nothing', async () => {
    const fresh = await ctx.app.request('/activate?t=abcdefghijklmnopqrstuvwxyz012345');
    expect(fresh.status).toBe(200);
    expect(await fresh.text()).toContain('id="activate-form"');

    const { token: operatorToken } = await createOperatorSession(ctx);
    const { mail } = await enrolResident(ctx, operatorToken);
    for (const [lang, words] of [['id', 'sudah diaktifkan, silakan masuk'], ['en', 'already activated, please log in']] as const) {
      const res = await ctx.app.request(`/activate?t=${encodeURIComponent(mail.token)}${lang === 'en' ? '&lang=en' : ''}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const html = await res.text();
      expect(html).toContain('id="activate-used"');
      expect(html).toContain(words);
      expect(html).not.toContain('id="activate-form"');
    }
  });
});

describe('the counter name in the holder history', () => {
  it('GET /v1/me/access-history names the desk POST /v1/verify named, and omits it when none was sent', async () => {
    const holder = await createActiveResident(ctx);
    const verifier = await createTestVerifier(ctx, { name: 'BPJS Kesehatan Pangkep' });
    const first = await issueQr(ctx, holder);
    expect((await postVerify(ctx, verifier.apiKey, { token: first.token, counter: 'Loket 3' })).status).toBe(200);
    expect((await postVerify(ctx, verifier.apiKey, { token: first.token, counter: 'Loket 4' })).status).toBe(409);
    const second = await issueQr(ctx, holder);
    expect((await postVerify(ctx, verifier.apiKey, { token: second.token })).status).toBe(200);
    const res = await asResident(ctx, holder, 'GET', '/v1/me/access-history');
    expect(res.status).toBe(200);
    const { items } = (await res.json()) as { items: { outcome: string; counter?: string; verifier: { name: string } }[] };
    expect(items.map((i) => [i.outcome, i.counter])).toEqual([
      ['verified', undefined],
      ['already_used', 'Loket 4'],
      ['verified', 'Loket 3'],
    ]);
    expect(items[2]!.verifier.name).toBe('BPJS Kesehatan Pangkep');
  });
});

describe('GET /v1/me/ktp/qr/status', () => {
  it('follows the holder’s latest QR: live, used by the counter at its desk, then a new one expired; 404 before any, only one’s own', async () => {
    const holder = await createActiveResident(ctx);
    const status = async () => {
      const res = await asResident(ctx, holder, 'GET', '/v1/me/ktp/qr/status');
      return { http: res.status, ...((await res.json()) as Record<string, unknown>) };
    };
    expect(await status()).toMatchObject({ http: 404, code: 'not_found' });
    const verifier = await createTestVerifier(ctx, { name: 'Samsat Pangkep' });
    const first = await issueQr(ctx, holder);
    expect(await status()).toEqual({ http: 200, status: 'live' });
    expect((await postVerify(ctx, verifier.apiKey, { token: first.token, counter: 'Loket 3' })).status).toBe(200);
    expect(await status()).toEqual({ http: 200, status: 'used', usedAt: ctx.clock.now().toISOString(), verifier: { name: 'Samsat Pangkep' }, counter: 'Loket 3' });
    await issueQr(ctx, holder);
    ctx.clock.advance(91_000);
    expect(await status()).toMatchObject({ http: 200, status: 'expired' });
    // Only one's own: another holder's bearer sees nothing of it.
    const other = await createActiveResident(ctx);
    expect((await asResident(ctx, other, 'GET', '/v1/me/ktp/qr/status')).status).toBe(404);
    expect((await ctx.app.request('/v1/me/ktp/qr/status')).status).toBe(401);
  });
});

describe('the words of the operator console', () => {
  it('says "panggilan video", never "video panggilan"', async () => {
    const html = await (await ctx.app.request('/operator')).text();
    expect(html).toContain('panggilan video');
    expect(html.toLowerCase()).not.toContain('video panggilan');
  });
});
