/**
 * Issue #14 point 3, Pindai at a counter: the counter opens a request (verifier key), the holder approves it with the
 * PIN (all or fewer elements) or denies it, the counter collects the result exactly once; expiry by the injected clock.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessLog, accounts, holderBlocks, outbox, verificationRequests } from '../../src/db/schema/index.js';
import { purgeExpiredRows } from '../../src/domain/maintenance/purge.js';
import { createTestContext, jsonRequest, type TestContext } from '../helpers/context.js';
import { accountRow, asResident, createActiveResident, createTestVerifier, postVerify, issueQr, verifierAuth, type ActiveResident } from '../helpers/resident.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx.close();
});

type Opened = { id: string; qr: string; svg: string; expiresAt: string };

const openRequest = (apiKey: string, body: unknown = {}) => ctx.app.request('/v1/verification-requests', jsonRequest('POST', body, verifierAuth(apiKey)));
const poll = (apiKey: string, id: string) => ctx.app.request(`/v1/verification-requests/${id}`, jsonRequest('GET', undefined, verifierAuth(apiKey)));
const decide = (resident: ActiveResident, id: string, body: unknown) => asResident(ctx, resident, 'POST', `/v1/me/verification-requests/${id}`, body);
const approve = (resident: ActiveResident, id: string, extra: Record<string, unknown> = {}) => decide(resident, id, { decision: 'approve', pin: resident.pin, ...extra });
const code = async (res: Response) => ((await res.json()) as { code: string }).code;

async function opened(apiKey: string, body: unknown = {}): Promise<Opened> {
  const res = await openRequest(apiKey, body);
  expect(res.status).toBe(201);
  return (await res.json()) as Opened;
}

describe('opening a request', () => {
  it('201 with an unguessable id, the Pindai QR text and its SVG, 5 minutes; elements default to the verifier’s allowance', async () => {
    const verifier = await createTestVerifier(ctx, { name: 'Loket Dukcapil', allowedElements: ['nik', 'name', 'photo'] });
    const req = await opened(verifier.apiKey, { counter: 'Loket 2' });
    expect(Buffer.from(req.id, 'base64url').length).toBeGreaterThanOrEqual(16);
    expect(req.qr).toBe(`https://ikd.test/app#pindai=verify.${req.id}`);
    expect(req.svg).toContain('<svg');
    expect(new Date(req.expiresAt).getTime() - ctx.clock.now().getTime()).toBe(5 * 60_000);
    const [row] = await ctx.deps.db.select().from(verificationRequests).where(eq(verificationRequests.id, req.id));
    expect(row).toMatchObject({ status: 'pending', elements: ['nik', 'name', 'photo'], counter: 'Loket 2', accountId: null });

    const resident = await createActiveResident(ctx);
    const view = await asResident(ctx, resident, 'GET', `/v1/me/verification-requests/${req.id}`);
    expect(view.status).toBe(200);
    expect(await view.json()).toEqual({
      verifier: { id: verifier.id, name: 'Loket Dukcapil' },
      counter: 'Loket 2',
      elements: ['nik', 'name', 'photo'],
      expiresAt: req.expiresAt,
      status: 'pending',
      blocked: false,
    });
  });

  it('elements outside the verifier’s allowance: 403 elements_not_allowed; a bad key 401; an unknown element 400', async () => {
    const verifier = await createTestVerifier(ctx, { allowedElements: ['nik', 'name'] });
    const outside = await openRequest(verifier.apiKey, { elements: ['nik', 'address'] });
    expect(outside.status).toBe(403);
    expect(await code(outside)).toBe('elements_not_allowed');
    const badKey = await openRequest('ikdv_nottherightkeyatall0000');
    expect(badKey.status).toBe(401);
    expect(await code(badKey)).toBe('verifier_unauthorized');
    const unknown = await openRequest(verifier.apiKey, { elements: ['shoeSize'] });
    expect(unknown.status).toBe(400);
    expect(await code(unknown)).toBe('invalid_request');
    const doc = await openRequest(verifier.apiKey, { document: 'family_card' });
    expect(doc.status).toBe(403);
    expect(await code(doc)).toBe('document_not_allowed');
  });
});

describe('approve → the result once', () => {
  it('pending, then approved with the result exactly once (like POST /v1/verify), then 410 request_expired; logged and noticed once', async () => {
    const verifier = await createTestVerifier(ctx, { name: 'Bank Uji', allowedElements: ['nik', 'name', 'birthDate'] });
    const resident = await createActiveResident(ctx);
    const req = await opened(verifier.apiKey, { counter: 'Teller 1' });

    const pending = await poll(verifier.apiKey, req.id);
    expect(pending.status).toBe(200);
    expect(await pending.json()).toEqual({ status: 'pending' });

    const decided = await approve(resident, req.id);
    expect(decided.status).toBe(200);
    expect(await decided.json()).toEqual({ status: 'approved' });
    // Nothing is logged until the counter collects.
    expect(await ctx.deps.db.select().from(accessLog).where(eq(accessLog.accountId, resident.accountId))).toHaveLength(0);

    const result = await poll(verifier.apiKey, req.id);
    expect(result.status).toBe(200);
    const body = (await result.json()) as { status: string; verifiedAt: string; resident: Record<string, unknown> };
    // The same body as a redeemed QR with the same elements.
    const qr = await issueQr(ctx, resident, { elements: ['nik', 'name', 'birthDate'] });
    const viaQr = (await (await postVerify(ctx, verifier.apiKey, { token: qr.token })).json()) as { verifiedAt: string; resident: unknown };
    expect(body).toEqual({ status: 'approved', verifiedAt: ctx.clock.now().toISOString(), resident: viaQr.resident });
    expect(Object.keys(body.resident).sort()).toEqual(['birthDate', 'name', 'nik']);
    expect(body.resident.nik).toBe(resident.nik);

    const again = await poll(verifier.apiKey, req.id);
    expect(again.status).toBe(410);
    expect(await code(again)).toBe('request_expired');

    const logs = await ctx.deps.db.select().from(accessLog).where(and(eq(accessLog.accountId, resident.accountId), eq(accessLog.counter, 'Teller 1')));
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({ verifierId: verifier.id, outcome: 'verified', elements: ['nik', 'name', 'birthDate'], document: 'ktp', tokenId: null, holderDistrict: resident.nik.slice(0, 6) });
    const notices = await ctx.deps.db.select().from(outbox).where(and(eq(outbox.template, 'scan_notice'), eq(outbox.accessSeq, logs[0]!.seq)));
    expect(notices).toHaveLength(1);
    expect(notices[0]!.to).toBe(resident.email);

    // The holder's Histori Aktivitas shows it.
    const history = (await (await asResident(ctx, resident, 'GET', '/v1/me/access-history')).json()) as { items: { outcome: string; verifier: { id: string } }[] };
    expect(history.items.filter((i) => i.verifier.id === verifier.id && i.outcome === 'verified').length).toBe(2);

    // Decided once.
    const second = await approve(resident, req.id);
    expect(second.status).toBe(409);
    expect(await code(second)).toBe('conflict');
  });

  it('two concurrent GETs: exactly one gets the result, the other 410; one access-log row', async () => {
    const verifier = await createTestVerifier(ctx, { allowedElements: ['nik', 'name'] });
    const resident = await createActiveResident(ctx);
    const req = await opened(verifier.apiKey);
    expect((await approve(resident, req.id)).status).toBe(200);
    const results = await Promise.all([poll(verifier.apiKey, req.id), poll(verifier.apiKey, req.id), poll(verifier.apiKey, req.id)]);
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 410, 410]);
    const logs = await ctx.deps.db.select().from(accessLog).where(and(eq(accessLog.accountId, resident.accountId), eq(accessLog.verifierId, verifier.id)));
    expect(logs).toHaveLength(1);
  });

  it('fewer elements shared: only those disclosed; more than asked: 400 and nothing decided', async () => {
    const verifier = await createTestVerifier(ctx, { allowedElements: ['nik', 'name', 'address', 'photo'] });
    const resident = await createActiveResident(ctx);
    const req = await opened(verifier.apiKey, { elements: ['nik', 'name', 'address'] });

    const more = await approve(resident, req.id, { elements: ['nik', 'photo'] });
    expect(more.status).toBe(400);
    expect(await code(more)).toBe('invalid_request');
    const [row] = await ctx.deps.db.select().from(verificationRequests).where(eq(verificationRequests.id, req.id));
    expect(row!.status).toBe('pending');

    expect((await approve(resident, req.id, { elements: ['name'] })).status).toBe(200);
    const result = (await (await poll(verifier.apiKey, req.id)).json()) as { status: string; resident: Record<string, unknown>; photo?: string };
    expect(result.status).toBe('approved');
    expect(Object.keys(result.resident)).toEqual(['name']);
    expect(result.photo).toBeUndefined();
    const [log] = await ctx.deps.db.select().from(accessLog).where(and(eq(accessLog.accountId, resident.accountId), eq(accessLog.verifierId, verifier.id)));
    expect(log!.elements).toEqual(['name']);
  });
});

describe('denied, expired, other parties', () => {
  it('denied: the counter sees { status: denied } and never any data; no PIN needed', async () => {
    const verifier = await createTestVerifier(ctx);
    const resident = await createActiveResident(ctx);
    const req = await opened(verifier.apiKey);
    const denied = await decide(resident, req.id, { decision: 'deny' });
    expect(denied.status).toBe(200);
    expect(await denied.json()).toEqual({ status: 'denied' });
    for (let i = 0; i < 2; i++) {
      const res = await poll(verifier.apiKey, req.id);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'denied' });
    }
    expect((await approve(resident, req.id)).status).toBe(409);
    expect(await ctx.deps.db.select().from(accessLog).where(eq(accessLog.accountId, resident.accountId))).toHaveLength(0);
  });

  it('expired (clock past 5 minutes): 410 request_expired for the holder and the counter, approved or not', async () => {
    const verifier = await createTestVerifier(ctx);
    const resident = await createActiveResident(ctx);
    const pending = await opened(verifier.apiKey);
    const approvedUncollected = await opened(verifier.apiKey);
    expect((await approve(resident, approvedUncollected.id)).status).toBe(200);
    ctx.clock.advance(5 * 60_000);
    for (const id of [pending.id, approvedUncollected.id]) {
      const counter = await poll(verifier.apiKey, id);
      expect(counter.status).toBe(410);
      expect(await code(counter)).toBe('request_expired');
    }
    const view = await asResident(ctx, resident, 'GET', `/v1/me/verification-requests/${pending.id}`);
    expect(view.status).toBe(410);
    expect(await code(view)).toBe('request_expired');
    const late = await approve(resident, pending.id);
    expect(late.status).toBe(410);
    expect(await code(late)).toBe('request_expired');
    expect(await ctx.deps.db.select().from(accessLog).where(eq(accessLog.accountId, resident.accountId))).toHaveLength(0);
  });

  it('another verifier’s key: 404; an unknown id: 404', async () => {
    const verifier = await createTestVerifier(ctx);
    const other = await createTestVerifier(ctx);
    const resident = await createActiveResident(ctx);
    const req = await opened(verifier.apiKey);
    expect((await approve(resident, req.id)).status).toBe(200);
    const foreign = await poll(other.apiKey, req.id);
    expect(foreign.status).toBe(404);
    expect(await code(foreign)).toBe('not_found');
    expect((await poll(verifier.apiKey, 'AAAAAAAAAAAAAAAAAAAAAA')).status).toBe(404);
    // Still collectable by its own counter.
    expect((await poll(verifier.apiKey, req.id)).status).toBe(200);
  });

  it('the first holder to decide binds the request: another holder then gets 404', async () => {
    const verifier = await createTestVerifier(ctx);
    const first = await createActiveResident(ctx);
    const second = await createActiveResident(ctx);
    const req = await opened(verifier.apiKey);
    expect((await asResident(ctx, second, 'GET', `/v1/me/verification-requests/${req.id}`)).status).toBe(200);
    expect((await approve(first, req.id)).status).toBe(200);
    expect((await asResident(ctx, second, 'GET', `/v1/me/verification-requests/${req.id}`)).status).toBe(404);
    const late = await approve(second, req.id);
    expect(late.status).toBe(404);
    const result = (await (await poll(verifier.apiKey, req.id)).json()) as { resident: { nik: string } };
    expect(result.resident.nik).toBe(first.nik);
  });
});

describe('the holder in control', () => {
  it('wrong PIN: 401 pin_invalid, counted with the login lockout (five → 423 account_locked); missing PIN 400', async () => {
    const verifier = await createTestVerifier(ctx);
    const resident = await createActiveResident(ctx);
    const req = await opened(verifier.apiKey);
    const missing = await decide(resident, req.id, { decision: 'approve' });
    expect(missing.status).toBe(400);
    const wrong = await approve(resident, req.id, { pin: '000000' });
    expect(wrong.status).toBe(401);
    expect(await code(wrong)).toBe('pin_invalid');
    expect((await accountRow(ctx, resident.accountId)).pinFailures).toBe(1);
    for (let i = 0; i < 4; i++) expect((await approve(resident, req.id, { pin: '000000' })).status).toBe(401);
    const locked = await approve(resident, req.id);
    expect(locked.status).toBe(423);
    expect(await code(locked)).toBe('account_locked');
    expect((await accountRow(ctx, resident.accountId)).lockedUntil).not.toBeNull();
    expect(await (await poll(verifier.apiKey, req.id)).json()).toEqual({ status: 'pending' });
  });

  it('a blocked verifier: 403 holder_refused, the request denied, the attempt logged as refused with its notice', async () => {
    const verifier = await createTestVerifier(ctx);
    const resident = await createActiveResident(ctx);
    await ctx.deps.db.insert(holderBlocks).values({ accountId: resident.accountId, verifierId: verifier.id, blockedAt: ctx.clock.now() });
    const req = await opened(verifier.apiKey);
    const view = (await (await asResident(ctx, resident, 'GET', `/v1/me/verification-requests/${req.id}`)).json()) as { blocked: boolean };
    expect(view.blocked).toBe(true);
    const refused = await approve(resident, req.id);
    expect(refused.status).toBe(403);
    expect(await code(refused)).toBe('holder_refused');
    expect(await (await poll(verifier.apiKey, req.id)).json()).toEqual({ status: 'denied' });
    const [log] = await ctx.deps.db.select().from(accessLog).where(eq(accessLog.accountId, resident.accountId));
    expect(log).toMatchObject({ outcome: 'refused', verifierId: verifier.id, elements: [], holderDistrict: resident.nik.slice(0, 6) });
    const notices = await ctx.deps.db.select().from(outbox).where(and(eq(outbox.template, 'scan_notice'), eq(outbox.accessSeq, log!.seq)));
    expect(notices).toHaveLength(1);
  });

  it('a suspended account cannot approve (its session is refused, the request stays pending); suspended after approval: the counter gets 403 account_inactive, no data', async () => {
    const verifier = await createTestVerifier(ctx);
    const resident = await createActiveResident(ctx);
    const req = await opened(verifier.apiKey);
    const later = await opened(verifier.apiKey);
    expect((await approve(resident, later.id)).status).toBe(200);
    await ctx.deps.db.update(accounts).set({ status: 'suspended' }).where(eq(accounts.id, resident.accountId));
    const refused = await approve(resident, req.id);
    expect(refused.status).toBe(401);
    expect(await code(refused)).toBe('unauthorized');
    expect(await (await poll(verifier.apiKey, req.id)).json()).toEqual({ status: 'pending' });
    const counter = await poll(verifier.apiKey, later.id);
    expect(counter.status).toBe(403);
    expect(await code(counter)).toBe('account_inactive');
    expect(await ctx.deps.db.select().from(accessLog).where(eq(accessLog.accountId, resident.accountId))).toHaveLength(0);
  });
});

describe('OpenAPI', () => {
  it('documents the four routes', async () => {
    const doc = (await (await ctx.app.request('/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.paths['/v1/verification-requests'] ?? {})).toContain('post');
    expect(Object.keys(doc.paths['/v1/verification-requests/{id}'] ?? {})).toContain('get');
    expect(Object.keys(doc.paths['/v1/me/verification-requests/{id}'] ?? {}).sort()).toEqual(['get', 'post']);
  });
});

describe('retention', () => {
  it('the maintenance job purges a request a day after its expiry, not before', async () => {
    const verifier = await createTestVerifier(ctx);
    const req = await opened(verifier.apiKey);
    ctx.clock.advance(5 * 60_000 + 60_000);
    await purgeExpiredRows(ctx.deps);
    expect(await ctx.deps.db.select().from(verificationRequests).where(eq(verificationRequests.id, req.id))).toHaveLength(1);
    ctx.clock.advance(24 * 3600_000);
    const purged = await purgeExpiredRows(ctx.deps);
    expect(purged.verification_requests).toBeGreaterThanOrEqual(1);
    expect(await ctx.deps.db.select().from(verificationRequests).where(eq(verificationRequests.id, req.id))).toHaveLength(0);
  });
});
