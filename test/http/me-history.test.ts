/** GET /v1/me/access-history: who saw what and when, newest first, cursor paging, only the caller's own rows. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessLog } from '../../src/db/schema/index.js';
import { HISTORY_PAGE_SIZE } from '../../src/domain/credential/access-history.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { asResident, createActiveResident, createTestVerifier, issueQr, postVerify, type ActiveResident } from '../helpers/resident.js';

interface Page {
  items: { at: string; verifier: { id: string; name: string }; outcome: string; elements: string[] }[];
  nextCursor: string | null;
}

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx?.close();
});

const history = async (resident: ActiveResident, cursor?: string) => {
  const res = await asResident(ctx, resident, 'GET', `/v1/me/access-history${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Page;
};

describe('access history', () => {
  it('lists every attempt on the caller’s tokens, newest first, with verifier, outcome and disclosed elements', async () => {
    const resident = await createActiveResident(ctx);
    const bpjs = await createTestVerifier(ctx, { name: 'BPJS Kesehatan Pangkep', allowedElements: ['nik', 'name', 'photo'] });
    const bank = await createTestVerifier(ctx, { name: 'Bank Sulselbar' });

    const first = await issueQr(ctx, resident, { elements: ['nik', 'name', 'address'] });
    expect((await postVerify(ctx, bpjs.apiKey, { token: first.token })).status).toBe(200);
    ctx.clock.advance(1_000);
    expect((await postVerify(ctx, bank.apiKey, { token: first.token })).status).toBe(409);
    ctx.clock.advance(1_000);
    const stale = await issueQr(ctx, resident);
    await issueQr(ctx, resident);
    expect((await postVerify(ctx, bank.apiKey, { token: stale.token })).status).toBe(409);
    ctx.clock.advance(1_000);
    const late = await issueQr(ctx, resident);
    ctx.clock.advance(95_000);
    expect((await postVerify(ctx, bank.apiKey, { token: late.token })).status).toBe(410);
    expect((await postVerify(ctx, bank.apiKey, { token: 'not a token' })).status).toBe(400);

    const page = await history(resident);
    expect(page.nextCursor).toBeNull();
    expect(page.items.map((i) => [i.verifier.name, i.outcome, i.elements])).toEqual([
      ['Bank Sulselbar', 'expired', []],
      ['Bank Sulselbar', 'revoked', []],
      ['Bank Sulselbar', 'already_used', []],
      ['BPJS Kesehatan Pangkep', 'verified', ['nik', 'name']],
    ]);
    expect(page.items[3]!.verifier.id).toBe(bpjs.id);
    expect(page.items.map((i) => Date.parse(i.at))).toEqual([...page.items.map((i) => Date.parse(i.at))].sort((a, b) => b - a));
  });

  it('shows each resident only their own rows', async () => {
    const alice = await createActiveResident(ctx);
    const bob = await createActiveResident(ctx);
    const verifier = await createTestVerifier(ctx);
    await postVerify(ctx, verifier.apiKey, { token: (await issueQr(ctx, alice)).token });
    await postVerify(ctx, verifier.apiKey, { token: (await issueQr(ctx, alice)).token });
    expect((await history(alice)).items).toHaveLength(2);
    expect((await history(bob)).items).toHaveLength(0);
  });

  it('pages with an opaque cursor until nextCursor is null', async () => {
    const resident = await createActiveResident(ctx);
    const verifier = await createTestVerifier(ctx);
    const total = HISTORY_PAGE_SIZE + 5;
    // Rows straight into the log: the paging is what is tested here.
    await ctx.deps.db.insert(accessLog).values(
      Array.from({ length: total }, (_, i) => ({
        at: new Date(ctx.clock.now().getTime() + i * 1000),
        tokenId: `t${i}`,
        accountId: resident.accountId,
        verifierId: verifier.id,
        outcome: 'verified' as const,
        elements: ['nik'],
        counter: null,
      })),
    );
    const first = await history(resident);
    expect(first.items).toHaveLength(HISTORY_PAGE_SIZE);
    expect(first.nextCursor).toMatch(/^[A-Za-z0-9_-]+$/);
    const second = await history(resident, first.nextCursor!);
    expect(second.items).toHaveLength(5);
    expect(second.nextCursor).toBeNull();
    const all = [...first.items, ...second.items].map((i) => i.at);
    expect(new Set(all).size).toBe(total);
    expect(all).toEqual([...all].sort().reverse());
  });

  it('refuses a cursor it did not issue (400 invalid_request)', async () => {
    const resident = await createActiveResident(ctx);
    for (const cursor of ['!!', 'abc', Buffer.from('s:-1').toString('base64url'), 'x'.repeat(101)]) {
      const res = await asResident(ctx, resident, 'GET', `/v1/me/access-history?cursor=${cursor}`);
      expect(res.status, cursor).toBe(400);
      expect(((await res.json()) as { code: string }).code).toBe('invalid_request');
    }
  });
});
