/**
 * A notice per scan (API.md Part 2): every redemption attempt on a holder's QR writes one notice in the same
 * statement as its access-log row; the outbox worker renders it (holder's zone, verifier, outcome, lock link).
 * The lock link: GET /lock consumes nothing, POST /v1/locks locks once, a second POST is 409 lock_link_used.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessLog, lockLinks, outbox } from '../../src/db/schema/index.js';
import { renderScanNotices } from '../../src/domain/holder/scan-notices.js';
import { createOutboxWorker } from '../../src/email/worker.js';
import { devMailboxTransport } from '../../src/email/transports.js';
import { createTestContext, jsonRequest, type TestContext } from '../helpers/context.js';
import { accountRow, asResident, createActiveResident, createTestVerifier, issueQr, postVerify, type ActiveResident } from '../helpers/resident.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx.close();
});

const notices = (to: string) => ctx.deps.db.select().from(outbox).where(and(eq(outbox.to, to), eq(outbox.template, 'scan_notice'))).orderBy(outbox.seq);

/** Every draft rendered (the 50-scan test leaves more than one batch behind). */
async function renderAll() {
  while ((await renderScanNotices(ctx.deps)) > 0);
}

async function lockTokenOf(resident: ActiveResident): Promise<string> {
  await renderAll();
  const [mail] = (await notices(resident.email)).slice(-1);
  const link = /https:\/\/ikd\.test\/lock\?t=(\S+)/.exec(mail!.text)?.[1];
  expect(link).toBeDefined();
  return decodeURIComponent(link!);
}

describe('per-scan notice', () => {
  it('a verified scan: one notice, rendered with verifier, elements, outcome, holder-zone time and a lock link', async () => {
    const resident = await createActiveResident(ctx);
    const verifier = await createTestVerifier(ctx, { name: 'BPJS Uji' });
    const qr = await issueQr(ctx, resident, { elements: ['nik', 'name'] });
    expect((await postVerify(ctx, verifier.apiKey, { token: qr.token, counter: 'Loket 3' })).status).toBe(200);

    const [draft] = await notices(resident.email);
    expect(draft).toMatchObject({ status: 'draft', subject: '' });
    const [log] = await ctx.deps.db.select().from(accessLog).where(eq(accessLog.accountId, resident.accountId));
    expect(draft!.accessSeq).toBe(log!.seq);

    await createOutboxWorker(ctx.deps, devMailboxTransport(ctx.deps.logger)).deliverDue();
    const [mail] = await notices(resident.email);
    expect(mail!.status).toBe('sent');
    expect(mail!.subject).toContain('BPJS Uji');
    expect(mail!.text).toContain('Loket 3');
    expect(mail!.text).toContain('nik, name');
    expect(mail!.text).toMatch(/Hasil: berhasil/);
    expect(mail!.text).toMatch(/\d{2}\/\d{2}\/\d{4} \d{2}\.\d{2} (WIB|WITA|WIT)/);
    expect(mail!.html).toContain('/lock?t=');
    const link = /https:\/\/ikd\.test\/lock\?t=(\S+)/.exec(mail!.text)![1]!;
    expect(Buffer.from(link, 'base64url').length).toBeGreaterThanOrEqual(16);
    // Stored hashed only.
    const rows = await ctx.deps.db.select().from(lockLinks).where(eq(lockLinks.accountId, resident.accountId));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenHash).not.toContain(link);
    expect(rows[0]!.expiresAt.getTime() - rows[0]!.createdAt.getTime()).toBe(7 * 24 * 3600_000);
  });

  it('each refused outcome gets its notice: already used, revoked, refused (blocked), expired', async () => {
    const resident = await createActiveResident(ctx);
    const verifier = await createTestVerifier(ctx);
    const blocked = await createTestVerifier(ctx);
    const used = await issueQr(ctx, resident);
    await postVerify(ctx, verifier.apiKey, { token: used.token });
    expect((await postVerify(ctx, verifier.apiKey, { token: used.token })).status).toBe(409);
    const old = await issueQr(ctx, resident);
    const current = await issueQr(ctx, resident);
    expect((await postVerify(ctx, verifier.apiKey, { token: old.token })).status).toBe(409);
    await asResident(ctx, resident, 'PUT', `/v1/me/data-users/${blocked.id}`, { blocked: true });
    expect((await postVerify(ctx, blocked.apiKey, { token: current.token })).status).toBe(403);
    ctx.clock.advance(120_000);
    expect((await postVerify(ctx, verifier.apiKey, { token: current.token })).status).toBe(410);
    await renderAll();
    const texts = (await notices(resident.email)).map((m) => m.text);
    expect(texts).toHaveLength(5);
    expect(texts.map((t) => /Hasil: ([^\n]+)/.exec(t)![1])).toEqual([
      'berhasil: data ditampilkan',
      'ditolak: kode QR sudah pernah dipakai',
      'ditolak: kode QR sudah dicabut',
      'ditolak: Anda memblokir instansi ini',
      'ditolak: kode QR kedaluwarsa',
    ]);
  });

  it('50 parallel scans of one QR: 1 verified notice and 49 already-used notices, one per attempt', async () => {
    const resident = await createActiveResident(ctx);
    const verifiers = await Promise.all(Array.from({ length: 5 }, () => createTestVerifier(ctx)));
    const qr = await issueQr(ctx, resident);
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => postVerify(ctx, verifiers[i % 5]!.apiKey, { token: qr.token })));
    expect(answers.filter((r) => r.status === 200)).toHaveLength(1);
    const logs = await ctx.deps.db.select().from(accessLog).where(eq(accessLog.accountId, resident.accountId));
    expect(logs).toHaveLength(50);
    const drafts = await notices(resident.email);
    expect(drafts).toHaveLength(50);
    expect(new Set(drafts.map((d) => d.accessSeq))).toEqual(new Set(logs.map((l) => l.seq)));
    const outcomeOf = new Map(logs.map((l) => [l.seq, l.outcome]));
    const counts = drafts.reduce<Record<string, number>>((acc, d) => ({ ...acc, [outcomeOf.get(d.accessSeq!)!]: (acc[outcomeOf.get(d.accessSeq!)!] ?? 0) + 1 }), {});
    expect(counts).toEqual({ verified: 1, already_used: 49 });
  });

  it('PUT /v1/me/preferences { scanNotifications: false } stops the notices; true brings them back', async () => {
    const resident = await createActiveResident(ctx);
    const verifier = await createTestVerifier(ctx);
    const off = await asResident(ctx, resident, 'PUT', '/v1/me/preferences', { scanNotifications: false });
    expect(off.status).toBe(200);
    expect(await off.json()).toEqual({ scanNotifications: false });
    await postVerify(ctx, verifier.apiKey, { token: (await issueQr(ctx, resident)).token });
    expect(await notices(resident.email)).toHaveLength(0);
    await asResident(ctx, resident, 'PUT', '/v1/me/preferences', { scanNotifications: true });
    expect(await (await asResident(ctx, resident, 'GET', '/v1/me/preferences')).json()).toEqual({ scanNotifications: true });
    await postVerify(ctx, verifier.apiKey, { token: (await issueQr(ctx, resident)).token });
    expect(await notices(resident.email)).toHaveLength(1);
    expect((await asResident(ctx, resident, 'PUT', '/v1/me/preferences', { scanNotifications: 'no' })).status).toBe(400);
  });
});

describe('lock link', () => {
  it('GET /lock shows a page and consumes nothing; POST /v1/locks locks once; a second POST is 409 lock_link_used', async () => {
    const resident = await createActiveResident(ctx);
    const verifier = await createTestVerifier(ctx);
    await postVerify(ctx, verifier.apiKey, { token: (await issueQr(ctx, resident)).token });
    const token = await lockTokenOf(resident);

    for (let i = 0; i < 2; i++) {
      const page = await ctx.app.request(`/lock?t=${encodeURIComponent(token)}`);
      expect(page.status).toBe(200);
      expect(page.headers.get('referrer-policy')).toBe('no-referrer');
      expect(await page.text()).toContain('id="lock-form"');
    }
    expect((await accountRow(ctx, resident.accountId)).status).toBe('active');

    const first = await ctx.app.request('/v1/locks', jsonRequest('POST', { token }));
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ status: 'self_locked' });
    expect((await accountRow(ctx, resident.accountId)).status).toBe('self_locked');
    expect((await asResident(ctx, resident, 'GET', '/v1/me')).status).toBe(401);

    const second = await ctx.app.request('/v1/locks', jsonRequest('POST', { token }));
    expect(second.status).toBe(409);
    expect(((await second.json()) as { code: string }).code).toBe('lock_link_used');
  });

  it('the page form locks without JavaScript; unknown 400 lock_link_invalid, after 7 days 410 lock_link_expired', async () => {
    const resident = await createActiveResident(ctx);
    const verifier = await createTestVerifier(ctx);
    await postVerify(ctx, verifier.apiKey, { token: (await issueQr(ctx, resident)).token });
    await postVerify(ctx, verifier.apiKey, { token: (await issueQr(ctx, resident)).token });
    await renderAll();
    const links = (await notices(resident.email)).map((m) => decodeURIComponent(/\/lock\?t=(\S+)/.exec(m.text)![1]!));
    const form = await ctx.app.request('/lock', { method: 'POST', body: new URLSearchParams({ t: links[0]! }) });
    expect(form.status).toBe(200);
    expect(await form.text()).toContain('data-state="done"');
    expect((await accountRow(ctx, resident.accountId)).status).toBe('self_locked');

    const unknown = await ctx.app.request('/v1/locks', jsonRequest('POST', { token: 'x'.repeat(32) }));
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { code: string }).code).toBe('lock_link_invalid');
    ctx.clock.advance(7 * 24 * 3600_000 + 1000);
    const expired = await ctx.app.request('/v1/locks', jsonRequest('POST', { token: links[1]! }));
    expect(expired.status).toBe(410);
    expect(((await expired.json()) as { code: string }).code).toBe('lock_link_expired');
    expect((await ctx.app.request('/lock')).status).toBe(400);
  });
});
