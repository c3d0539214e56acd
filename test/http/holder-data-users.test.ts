/**
 * Who may see me (API.md Part 2): GET /v1/me/data-users lists the institutions that scanned the holder;
 * PUT /v1/me/data-users/{verifierId} { blocked } makes a blocked one's scan 403 holder_refused, logged as refused,
 * with the token left redeemable at another counter.
 */
import { desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ktpTokens } from '../../src/db/schema/index.js';
import { assertHolderAllows, holderRefuses } from '../../src/domain/holder/data-users.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { asResident, createActiveResident, createTestVerifier, issueQr, postVerify } from '../helpers/resident.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx.close();
});

type DataUsers = { items: { verifier: { id: string; name: string }; firstAccessAt: string | null; lastAccessAt: string | null; verifications: number; blocked: boolean }[] };

describe('data users and blocking', () => {
  it('lists who scanned; a blocked verifier gets 403 holder_refused, the token stays redeemable elsewhere', async () => {
    const resident = await createActiveResident(ctx);
    const bank = await createTestVerifier(ctx, { name: 'Bank Uji' });
    const hospital = await createTestVerifier(ctx, { name: 'RS Uji' });

    expect((await postVerify(ctx, bank.apiKey, { token: (await issueQr(ctx, resident)).token })).status).toBe(200);
    ctx.clock.advance(60_000);
    const first = await (await asResident(ctx, resident, 'GET', '/v1/me/data-users')).json() as DataUsers;
    expect(first.items).toEqual([
      { verifier: { id: bank.id, name: 'Bank Uji' }, firstAccessAt: expect.any(String), lastAccessAt: expect.any(String), verifications: 1, blocked: false },
    ]);

    const block = await asResident(ctx, resident, 'PUT', `/v1/me/data-users/${bank.id}`, { blocked: true });
    expect(block.status).toBe(200);
    expect(await block.json()).toEqual({ verifier: { id: bank.id, name: 'Bank Uji' }, blocked: true });

    const qr = await issueQr(ctx, resident);
    const refused = await postVerify(ctx, bank.apiKey, { token: qr.token });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { code: string }).code).toBe('holder_refused');
    const [token] = await ctx.deps.db.select().from(ktpTokens).where(eq(ktpTokens.accountId, resident.accountId)).orderBy(desc(ktpTokens.issuedAt)).limit(1);
    expect(token).toMatchObject({ usedAt: null, revokedAt: null });

    // The same token, at another counter: redeemed.
    const elsewhere = await postVerify(ctx, hospital.apiKey, { token: qr.token });
    expect(elsewhere.status).toBe(200);

    const history = (await (await asResident(ctx, resident, 'GET', '/v1/me/access-history')).json()) as { items: { outcome: string; verifier: { id: string } }[] };
    expect(history.items.slice(0, 2).map((i) => [i.verifier.id, i.outcome])).toEqual([
      [hospital.id, 'verified'],
      [bank.id, 'refused'],
    ]);

    const after = (await (await asResident(ctx, resident, 'GET', '/v1/me/data-users')).json()) as DataUsers;
    const byId = new Map(after.items.map((i) => [i.verifier.id, i]));
    expect(byId.get(bank.id)).toMatchObject({ verifications: 1, blocked: true });
    expect(byId.get(hospital.id)).toMatchObject({ verifications: 1, blocked: false });

    // Unblocked: the bank redeems again.
    expect((await asResident(ctx, resident, 'PUT', `/v1/me/data-users/${bank.id}`, { blocked: false })).status).toBe(200);
    expect((await postVerify(ctx, bank.apiKey, { token: (await issueQr(ctx, resident)).token })).status).toBe(200);
  });

  it("one holder's block does not touch another holder", async () => {
    const blocker = await createActiveResident(ctx);
    const other = await createActiveResident(ctx);
    const verifier = await createTestVerifier(ctx);
    await asResident(ctx, blocker, 'PUT', `/v1/me/data-users/${verifier.id}`, { blocked: true });
    expect((await postVerify(ctx, verifier.apiKey, { token: (await issueQr(ctx, other)).token })).status).toBe(200);
    expect(await holderRefuses(ctx.deps.db, { nik: blocker.nik, verifierId: verifier.id })).toBe(true);
    expect(await holderRefuses(ctx.deps.db, { nik: other.nik, verifierId: verifier.id })).toBe(false);
    await expect(assertHolderAllows(ctx.deps.db, { nik: blocker.nik, verifierId: verifier.id })).rejects.toMatchObject({ code: 'holder_refused' });
    await expect(assertHolderAllows(ctx.deps.db, { nik: other.nik, verifierId: verifier.id })).resolves.toBeUndefined();
  });

  it('blocking twice is idempotent; a pre-emptive block lists the verifier with no access', async () => {
    const resident = await createActiveResident(ctx);
    const verifier = await createTestVerifier(ctx, { name: 'Samsat Uji' });
    for (let i = 0; i < 2; i++) expect((await asResident(ctx, resident, 'PUT', `/v1/me/data-users/${verifier.id}`, { blocked: true })).status).toBe(200);
    const list = (await (await asResident(ctx, resident, 'GET', '/v1/me/data-users')).json()) as DataUsers;
    expect(list.items).toEqual([{ verifier: { id: verifier.id, name: 'Samsat Uji' }, firstAccessAt: null, lastAccessAt: null, verifications: 0, blocked: true }]);
  });

  it('errors: unknown verifier 404, bad body 400, no session 401', async () => {
    const resident = await createActiveResident(ctx);
    const unknown = await asResident(ctx, resident, 'PUT', '/v1/me/data-users/vrf_nope', { blocked: true });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { code: string }).code).toBe('not_found');
    const bad = await asResident(ctx, resident, 'PUT', '/v1/me/data-users/vrf_nope', { blocked: 'yes' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { code: string }).code).toBe('invalid_request');
    expect((await ctx.app.request('/v1/me/data-users')).status).toBe(401);
  });
});
