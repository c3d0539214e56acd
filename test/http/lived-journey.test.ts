/**
 * Issue #16 "the journey as people live it", over HTTP: the language switch's label, an activation link already
 * used, a new PIN equal to the current one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/context.js';

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
