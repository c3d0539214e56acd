/** POST /v1/me/ktp/qr: PIN again → a 90 s single-use token, SVG by default, PNG on request; earlier ones revoked. */
import { eq, sql } from 'drizzle-orm';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeKtpToken, KTP_ELEMENTS } from '../../src/crypto/token-codec.js';
import { accounts, devices, ktpTokens, rateLimits, residentSessions } from '../../src/db/schema/index.js';
import { queryRows } from '../../src/db/types.js';
import { createTestContext, jsonRequest, type TestContext } from '../helpers/context.js';
import { accountRow, asResident, createActiveResident, createTestVerifier, issueQr, postVerify, type ActiveResident } from '../helpers/resident.js';

let ctx: TestContext;
let resident: ActiveResident;
beforeAll(async () => {
  ctx = await createTestContext();
  resident = await createActiveResident(ctx);
});
afterAll(async () => {
  await ctx?.close();
});

const tokenRow = async (token: string) => {
  const decoded = decodeKtpToken(ctx.deps.keys, token);
  if (!decoded.ok) throw new Error('not a token');
  const [row] = await ctx.deps.db.select().from(ktpTokens).where(eq(ktpTokens.id, decoded.tokenId));
  return row!;
};

/** Rasterises the SVG's runs ("M x y+0.5 h n", stroke width 1) at 4 px a module and scans it with jsQR. */
function scanSvg(svg: string): string | undefined {
  const size = Number(/viewBox="0 0 (\d+) \1"/.exec(svg)![1]);
  const scale = 4;
  const side = size * scale;
  const pixels = new Uint8ClampedArray(side * side * 4).fill(255);
  const path = /<path stroke="#000" d="([^"]*)"/.exec(svg)![1]!;
  for (const [, x, y, n] of path.matchAll(/M(\d+) (\d+)\.5h(\d+)/g)) {
    for (let py = Number(y) * scale; py < (Number(y) + 1) * scale; py++) {
      for (let px = Number(x) * scale; px < (Number(x) + Number(n)) * scale; px++) pixels.fill(0, (py * side + px) * 4, (py * side + px) * 4 + 3);
    }
  }
  return jsQR(pixels, side, side)?.data;
}

describe('KTP QR issuance', () => {
  it('issues a 90 s token with all elements and an SVG by default (201)', async () => {
    const res = await asResident(ctx, resident, 'POST', '/v1/me/ktp/qr', { pin: resident.pin });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { token: string; expiresAt: string; ttlSeconds: number; svg?: string; png?: string };
    expect(body.ttlSeconds).toBe(90);
    expect(Date.parse(body.expiresAt)).toBe(ctx.clock.now().getTime() + 90_000);
    expect(body.token).toHaveLength(173);
    expect(body.svg).toMatch(/^<svg [^>]*viewBox="0 0 53 53"[^>]*>.*<\/svg>$/); // version 7: 45 modules + 2×4 quiet zone
    expect(body.png).toBeUndefined();
    expect(QRCode.create(body.token, { errorCorrectionLevel: 'M' }).version).toBeLessThanOrEqual(9);
    expect(scanSvg(body.svg!)).toBe(body.token);

    const row = await tokenRow(body.token);
    expect(row.accountId).toBe(resident.accountId);
    expect(row.elements).toEqual([...KTP_ELEMENTS]);
    expect(row.kid).toBe(ctx.deps.keys.currentKid);
    expect(row.expiresAt.toISOString()).toBe(body.expiresAt);
    expect(row.usedAt).toBeNull();
    expect(row.revokedAt).toBeNull();
  });

  it('renders a PNG data URL only when asked, and it scans back to the token (jsQR)', async () => {
    const body = await issueQr(ctx, resident, { format: 'png' });
    expect(body.svg).toBeUndefined();
    expect(body.png).toMatch(/^data:image\/png;base64,/);
    const png = PNG.sync.read(Buffer.from(body.png!.split(',')[1]!, 'base64'));
    const scanned = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    expect(scanned?.data).toBe(body.token);
    expect(scanned?.version).toBe(7);
  });

  it('answers only the token with format "none"', async () => {
    const body = await issueQr(ctx, resident, { format: 'none' });
    expect(body.svg).toBeUndefined();
    expect(body.png).toBeUndefined();
    expect(decodeKtpToken(ctx.deps.keys, body.token).ok).toBe(true);
  });

  it('carries exactly the elements the resident chose', async () => {
    const body = await issueQr(ctx, resident, { elements: ['photo', 'name', 'nik'] });
    expect(decodeKtpToken(ctx.deps.keys, body.token)).toMatchObject({ ok: true, elements: ['nik', 'name', 'photo'] });
    expect((await tokenRow(body.token)).elements).toEqual(['nik', 'name', 'photo']);
  });

  it('revokes the account’s earlier live tokens, and only them', async () => {
    const other = await createActiveResident(ctx);
    const othersToken = await issueQr(ctx, other);
    const first = await issueQr(ctx, resident);
    const second = await issueQr(ctx, resident);
    expect((await tokenRow(first.token)).revokedAt).toEqual(ctx.clock.now());
    expect((await tokenRow(second.token)).revokedAt).toBeNull();
    expect((await tokenRow(othersToken.token)).revokedAt).toBeNull();
    const verifier = await createTestVerifier(ctx);
    const revoked = await postVerify(ctx, verifier.apiKey, { token: first.token });
    expect(revoked.status).toBe(409);
    expect(((await revoked.json()) as { code: string }).code).toBe('token_revoked');
    expect((await postVerify(ctx, verifier.apiKey, { token: second.token })).status).toBe(200);
  });

  it('commits the stored token asynchronously only in its own transaction: the connection stays synchronous', async () => {
    const before = await queryRows<{ mode: string }>(ctx.deps.db, sql`select current_setting('synchronous_commit') as mode`);
    expect(before[0]!.mode).toBe('on');
    // Sequential statements reuse one idle connection (postgres.js and PGlite alike), so a SET that leaked out of
    // the issuance's transaction would show here and turn later redemptions and PIN counts asynchronous too.
    const issued = await issueQr(ctx, resident);
    const after = await queryRows<{ mode: string; stored: number }>(
      ctx.deps.db,
      sql`select current_setting('synchronous_commit') as mode, (select count(*)::int from ${ktpTokens} where account_id = ${resident.accountId} and revoked_at is null and used_at is null) as stored`,
    );
    expect(after[0]).toEqual({ mode: 'on', stored: 1 });
    expect((await tokenRow(issued.token)).revokedAt).toBeNull();
  });

  it('answers a wrong PIN with 401 pin_invalid, counts it, and issues nothing', async () => {
    const fresh = await createActiveResident(ctx);
    const res = await asResident(ctx, fresh, 'POST', '/v1/me/ktp/qr', { pin: '135792' });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { code: string }).code).toBe('pin_invalid');
    expect((await accountRow(ctx, fresh.accountId)).pinFailures).toBe(1);
    expect(await ctx.deps.db.select().from(ktpTokens).where(eq(ktpTokens.accountId, fresh.accountId))).toHaveLength(0);
    await issueQr(ctx, fresh); // a right PIN resets the counter
    expect((await accountRow(ctx, fresh.accountId)).pinFailures).toBe(0);
  });

  it('needs a live resident session (401) and a valid body (400)', async () => {
    const anonymous = await ctx.app.request('/v1/me/ktp/qr', jsonRequest('POST', { pin: resident.pin }));
    expect(anonymous.status).toBe(401);
    const forged = await ctx.app.request('/v1/me/ktp/qr', jsonRequest('POST', { pin: resident.pin }, { Authorization: `Bearer ${'A'.repeat(43)}` }));
    expect(forged.status).toBe(401);
    for (const body of [{}, { pin: resident.pin, elements: [] }, { pin: resident.pin, elements: ['nik', 'kk'] }, { pin: resident.pin, format: 'gif' }]) {
      const res = await asResident(ctx, resident, 'POST', '/v1/me/ktp/qr', body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { code: string }).code).toBe('invalid_request');
    }
  });

  it('refuses a locked account (423) and a suspended one (401: its session is gone)', async () => {
    const locked = await createActiveResident(ctx);
    await ctx.deps.db.update(accounts).set({ lockedUntil: new Date(ctx.clock.now().getTime() + 60_000) }).where(eq(accounts.id, locked.accountId));
    const res = await asResident(ctx, locked, 'POST', '/v1/me/ktp/qr', { pin: locked.pin });
    expect(res.status).toBe(423);
    expect(res.headers.get('Retry-After')).toBe('60');
    const suspended = await createActiveResident(ctx);
    await ctx.deps.db.update(accounts).set({ status: 'suspended' }).where(eq(accounts.id, suspended.accountId));
    expect((await asResident(ctx, suspended, 'POST', '/v1/me/ktp/qr', { pin: suspended.pin })).status).toBe(401);
  });

  it('limits issuance per account (429 rate_limited): over the limit no PIN is judged and nothing is issued', async () => {
    const busy = await createActiveResident(ctx);
    for (let i = 0; i < 30; i++) await issueQr(ctx, busy);
    const res = await asResident(ctx, busy, 'POST', '/v1/me/ktp/qr', { pin: busy.pin, format: 'none' });
    expect(res.status).toBe(429);
    expect(((await res.json()) as { code: string }).code).toBe('rate_limited');
    expect(res.headers.get('Retry-After')).not.toBeNull();
    const wrong = await asResident(ctx, busy, 'POST', '/v1/me/ktp/qr', { pin: '135792', format: 'none' });
    expect(wrong.status).toBe(429);
    expect((await accountRow(ctx, busy.accountId)).pinFailures).toBe(0);
    expect(await ctx.deps.db.select().from(ktpTokens).where(eq(ktpTokens.accountId, busy.accountId))).toHaveLength(30);
  });

  // Issuance authenticates the session inside its first statement (one round trip less than requireResident and
  // then the attempt): it must refuse exactly what requireResident refuses, and count nothing for it.
  it.each([
    ['logged out', async (r: ActiveResident) => void expect((await asResident(ctx, r, 'POST', '/v1/auth/logout')).status).toBe(204)],
    ['expired', async (r: ActiveResident) => void (await ctx.deps.db.update(residentSessions).set({ expiresAt: new Date(ctx.clock.now().getTime() - 1000) }).where(eq(residentSessions.accountId, r.accountId)))],
    ['on a revoked device', async (r: ActiveResident) => void (await ctx.deps.db.update(devices).set({ status: 'revoked' }).where(eq(devices.id, r.deviceId)))],
    ['of a suspended account', async (r: ActiveResident) => void (await ctx.deps.db.update(accounts).set({ status: 'suspended' }).where(eq(accounts.id, r.accountId)))],
  ])('answers a session %s with 401 unauthorized, like every /v1/me route, counting no attempt and no hit', async (_, kill) => {
    const victim = await createActiveResident(ctx);
    await kill(victim);
    expect((await asResident(ctx, victim, 'GET', '/v1/me')).status).toBe(401);
    for (const pin of [victim.pin, '135792']) {
      const res = await asResident(ctx, victim, 'POST', '/v1/me/ktp/qr', { pin, format: 'none' });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { code: string }).code).toBe('unauthorized');
    }
    expect((await accountRow(ctx, victim.accountId)).pinFailures).toBe(0);
    expect(await ctx.deps.db.select().from(rateLimits).where(eq(rateLimits.key, `qr:account:${victim.accountId}`))).toHaveLength(0);
    expect(await ctx.deps.db.select().from(ktpTokens).where(eq(ktpTokens.accountId, victim.accountId))).toHaveLength(0);
  });
});
