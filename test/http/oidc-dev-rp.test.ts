/**
 * Issue #14 point 5: the demo relying party /dev/rp ("Layanan Samsat Online (demo)") logs in with IKD through
 * openid-client and shows the claims; development mode only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { asResident, createActiveResident } from '../helpers/resident.js';
import { approve } from '../helpers/oidc.js';

let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext();
  ctx.clock.set(new Date());
});
afterAll(async () => {
  await ctx.close();
});

const cookieOf = (res: Response, name: string) => res.headers.getSetCookie().map((c) => c.split(';')[0]!).find((c) => c.startsWith(`${name}=`))!;

describe('/dev/rp', () => {
  it('logs in with IKD and shows the verified claims', async () => {
    const home = await ctx.app.request('/dev/rp');
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('Layanan Samsat Online (demo)');

    const start = await ctx.app.request('/dev/rp/login');
    expect(start.status).toBe(302);
    const authorize = new URL(start.headers.get('Location')!);
    expect(authorize.pathname).toBe('/oidc/authorize');
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    const flowCookie = cookieOf(start, 'ikd_dev_rp');

    const page = await ctx.app.request(authorize.pathname + authorize.search);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Layanan Samsat Online (demo)');
    const id = /data-request-id="([^"]+)"/.exec(html)![1]!;
    const browser = cookieOf(page, '__Host-ikd_oidc');

    const resident = await createActiveResident(ctx);
    expect((await approve(ctx, resident, id)).status).toBe(200);
    const status = (await (await ctx.app.request(`/oidc/authorize/${id}/status`, { headers: { Cookie: browser } })).json()) as { redirectTo: string };
    const callback = new URL(status.redirectTo);
    expect(callback.pathname).toBe('/dev/rp/callback');

    const done = await ctx.app.request(callback.pathname + callback.search, { headers: { Cookie: flowCookie } });
    expect(done.status).toBe(200);
    const result = await done.text();
    expect(result).toContain('id="rp-signed-in"');
    expect(result).toContain(resident.nik);
    expect(result).toContain('urn:ikd:acr:device-pin');

    // The login is in the holder's history under the demo service's name.
    const history = (await (await asResident(ctx, resident, 'GET', '/v1/me/access-history')).json()) as { items: { outcome: string; verifier: { name: string } }[] };
    expect(history.items[0]).toMatchObject({ outcome: 'login', verifier: { name: 'Layanan Samsat Online (demo)' } });

    // Without its flow cookie the callback logs nobody in.
    const stray = await ctx.app.request(callback.pathname + callback.search);
    expect(await stray.text()).toContain('id="rp-error"');
  });

  it('is 404 outside development mode', async () => {
    const prod = await createTestContext({ config: { RESEND_API_KEY: 're_test_key' }, database: ctx.deps.database });
    expect((await prod.app.request('/dev/rp')).status).toBe(404);
    expect((await prod.app.request('/dev/rp/login')).status).toBe(404);
  });
});
