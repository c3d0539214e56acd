/**
 * Issue #14 point 4: every Masuk dengan IKD login is in the holder's access history (outcome login) and sends the
 * per-scan notice when the holder has notices on; an admin can revoke a client, after which it can neither open
 * authorization requests nor get or use tokens.
 */
import { and, eq } from 'drizzle-orm';
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessLog, accounts, auditLog, outbox } from '../../src/db/schema/index.js';
import { renderScanNotices } from '../../src/domain/holder/scan-notices.js';
import { createTestContext, jsonRequest, type TestContext } from '../helpers/context.js';
import { createOperatorSession, operatorAuth, type OperatorSession } from '../helpers/operator.js';
import { asResident, createActiveResident } from '../helpers/resident.js';
import { approve, createTestOidcClient, discover, landingUrl, loginThrough, startLogin } from '../helpers/oidc.js';

let ctx: TestContext;
let admin: OperatorSession;

beforeAll(async () => {
  ctx = await createTestContext();
  // openid-client judges iat/exp by the real clock.
  ctx.clock.set(new Date());
  admin = await createOperatorSession(ctx, 'admin');
});
afterAll(async () => {
  await ctx.close();
});

const notices = (to: string) => ctx.deps.db.select().from(outbox).where(and(eq(outbox.to, to), eq(outbox.template, 'scan_notice')));

describe('a login in the history, with its notice', () => {
  it('outcome login in the access history, and one per-scan notice tied to that row, rendered with the login outcome', async () => {
    const rp = await createTestOidcClient(ctx, { name: 'Layanan Pajak Online (uji)', redirectUris: ['https://pajak.test/cb'] });
    const config = await discover(ctx, rp.clientId, client.ClientSecretBasic(rp.clientSecret!));
    const resident = await createActiveResident(ctx);
    await loginThrough(ctx, config, rp.redirectUri, resident, 'openid profile');

    const history = (await (await asResident(ctx, resident, 'GET', '/v1/me/access-history')).json()) as { items: { outcome: string; verifier: { name: string } }[] };
    expect(history.items[0]).toMatchObject({ outcome: 'login', verifier: { name: 'Layanan Pajak Online (uji)' } });
    const [log] = await ctx.deps.db.select().from(accessLog).where(eq(accessLog.accountId, resident.accountId));
    expect(log).toMatchObject({ outcome: 'login', elements: ['name', 'birthDate', 'sex'], holderDistrict: resident.nik.slice(0, 6) });
    const drafts = await notices(resident.email);
    expect(drafts).toHaveLength(1);
    expect(drafts[0]!.accessSeq).toBe(log!.seq);

    while ((await renderScanNotices(ctx.deps)) > 0);
    const [mail] = await notices(resident.email);
    expect(mail!.subject).toContain('Layanan Pajak Online (uji)');
    expect(mail!.text).toContain('masuk ke layanan daring');
  });

  it('no notice when the holder turned notices off; the history row is still written', async () => {
    const rp = await createTestOidcClient(ctx, { redirectUris: ['https://quiet.test/cb'] });
    const config = await discover(ctx, rp.clientId, client.ClientSecretBasic(rp.clientSecret!));
    const resident = await createActiveResident(ctx);
    await ctx.deps.db.update(accounts).set({ scanNotifications: false }).where(eq(accounts.id, resident.accountId));
    await loginThrough(ctx, config, rp.redirectUri, resident);
    expect(await ctx.deps.db.select().from(accessLog).where(and(eq(accessLog.accountId, resident.accountId), eq(accessLog.outcome, 'login')))).toHaveLength(1);
    expect(await notices(resident.email)).toHaveLength(0);
  });
});

describe('POST /v1/admin/oidc-clients/{id}/revoke', () => {
  it('a revoked client cannot authorize, exchange a code or use its access token; audited once, idempotent', async () => {
    const rp = await createTestOidcClient(ctx, { redirectUris: ['https://revoked.test/cb'] });
    const config = await discover(ctx, rp.clientId, client.ClientSecretBasic(rp.clientSecret!));
    const resident = await createActiveResident(ctx);
    const { tokens } = await loginThrough(ctx, config, rp.redirectUri, resident);
    expect((await ctx.app.request('/oidc/userinfo', { headers: { Authorization: `Bearer ${tokens.access_token}` } })).status).toBe(200);
    // A login approved but not yet exchanged when the client is revoked.
    const pending = await startLogin(ctx, config, rp.redirectUri);
    expect((await approve(ctx, resident, pending.id)).status).toBe(200);
    const landing = await landingUrl(ctx, pending);

    const revoke = (token = admin.token, id = rp.clientId) => ctx.app.request(`/v1/admin/oidc-clients/${id}/revoke`, jsonRequest('POST', {}, operatorAuth(token)));
    const res = await revoke();
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ clientId: rp.clientId, status: 'revoked' });
    expect((await revoke()).status).toBe(200);
    const audits = await ctx.deps.db.select().from(auditLog).where(and(eq(auditLog.action, 'oidc_client.revoke'), eq(auditLog.targetId, rp.clientId)));
    expect(audits).toHaveLength(1);

    const code = landing.searchParams.get('code')!;
    const token = await ctx.app.request('/oidc/token', {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from(`${encodeURIComponent(rp.clientId)}:${encodeURIComponent(rp.clientSecret!)}`).toString('base64')}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: rp.redirectUri, code_verifier: pending.verifier }).toString(),
    });
    expect(token.status).toBe(401);
    expect(((await token.json()) as { error: string }).error).toBe('invalid_client');
    expect((await ctx.app.request('/oidc/userinfo', { headers: { Authorization: `Bearer ${tokens.access_token}` } })).status).toBe(401);
    const authorize = await ctx.app.request(
      `/oidc/authorize?client_id=${encodeURIComponent(rp.clientId)}&redirect_uri=${encodeURIComponent(rp.redirectUri)}&response_type=code&scope=openid&code_challenge=${'a'.repeat(43)}&code_challenge_method=S256`,
    );
    expect(authorize.status).toBe(400);
  });

  it('unknown client 404; an operator who is not an admin 403', async () => {
    const unknown = await ctx.app.request('/v1/admin/oidc-clients/nope/revoke', jsonRequest('POST', {}, operatorAuth(admin.token)));
    expect(unknown.status).toBe(404);
    const operator = await createOperatorSession(ctx, 'operator');
    const rp = await createTestOidcClient(ctx, { redirectUris: ['https://kept.test/cb'] });
    const forbidden = await ctx.app.request(`/v1/admin/oidc-clients/${rp.clientId}/revoke`, jsonRequest('POST', {}, operatorAuth(operator.token)));
    expect(forbidden.status).toBe(403);
  });
});
