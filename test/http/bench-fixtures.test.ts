/**
 * The bench's prepared rows (scripts/bench/seed.ts) are what the domain stores: an approved code written in SQL is
 * redeemed by POST /oidc/token once (client_secret_basic, PKCE), and an approved Pindai request written in SQL is
 * collected by the counter once, with its access-log row. If the domain's storage changes, this fails before the
 * bench silently measures error answers.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessLog, oidcAccessTokens, oidcAuthorizations, verificationRequests } from '../../src/db/schema/index.js';
import { BENCH_REDIRECT_URI, mintApprovedCodes, mintApprovedRequests, type BenchAccount } from '../../scripts/bench/seed.js';
import { createTestContext, jsonRequest, type TestContext } from '../helpers/context.js';
import { createTestOidcClient } from '../helpers/oidc.js';
import { createActiveResident, createTestVerifier, verifierAuth } from '../helpers/resident.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx.close();
});

describe('bench fixtures', () => {
  it('an approved code minted in SQL: 200 with tokens once, then 400 invalid_grant; one access token', async () => {
    const resident = await createActiveResident(ctx);
    const rp = await createTestOidcClient(ctx, { redirectUris: [BENCH_REDIRECT_URI], allowedScopes: ['openid'] });
    const [c] = await mintApprovedCodes(ctx.deps.db, [resident as unknown as BenchAccount], rp.clientId, 1, { now: ctx.clock.now(), codeTtlMs: 60_000 });
    const token = () =>
      ctx.app.request('/oidc/token', {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          Authorization: `Basic ${Buffer.from(`${encodeURIComponent(rp.clientId)}:${encodeURIComponent(rp.clientSecret!)}`).toString('base64')}`,
        },
        body: new URLSearchParams({ grant_type: 'authorization_code', code: c!.code, redirect_uri: BENCH_REDIRECT_URI, code_verifier: c!.codeVerifier }).toString(),
      });
    const first = await token();
    expect(first.status).toBe(200);
    const body = (await first.json()) as { access_token: string; id_token: string; scope: string };
    expect(body.scope).toBe('openid');
    expect(body.id_token.split('.')).toHaveLength(3);
    const second = await token();
    expect(second.status).toBe(400);
    expect(((await second.json()) as { error: string }).error).toBe('invalid_grant');
    const [row] = await ctx.deps.db.select().from(oidcAuthorizations).where(eq(oidcAuthorizations.clientId, rp.clientId));
    expect(row!.codeUsedAt).not.toBeNull();
    // The replay revoked what the first use issued; still exactly one access token for the code.
    expect(await ctx.deps.db.select().from(oidcAccessTokens).where(eq(oidcAccessTokens.authorizationId, row!.id))).toHaveLength(1);
  });

  it('an approved request minted in SQL: the counter collects it once (200 approved), then 410 request_expired; one access-log row', async () => {
    const resident = await createActiveResident(ctx);
    const verifier = await createTestVerifier(ctx, { allowedElements: ['nik'] });
    const [id] = await mintApprovedRequests(ctx.deps.db, [resident as unknown as BenchAccount], verifier.id, 1, { now: ctx.clock.now(), ttlMs: 5 * 60_000, elements: ['nik'] });
    const poll = () => ctx.app.request(`/v1/verification-requests/${id}`, jsonRequest('GET', undefined, verifierAuth(verifier.apiKey)));
    const first = await poll();
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ status: 'approved' });
    const second = await poll();
    expect(second.status).toBe(410);
    expect(((await second.json()) as { code: string }).code).toBe('request_expired');
    const [req] = await ctx.deps.db.select().from(verificationRequests).where(eq(verificationRequests.id, id!));
    expect(req!.collectedAt).not.toBeNull();
    const rows = await ctx.deps.db.select().from(accessLog).where(eq(accessLog.verifierId, verifier.id));
    expect(rows.filter((r) => r.outcome === 'verified')).toHaveLength(1);
  });
});
