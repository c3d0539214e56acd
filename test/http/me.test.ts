/** GET /v1/me, GET /v1/me/ktp, PUT /v1/me/pin and DELETE /v1/me: the resident's own account. */
import { and, eq } from 'drizzle-orm';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, accounts, devices, ktpTokens, outbox, residentSessions } from '../../src/db/schema/index.js';
import { maskEmail, maskPhone } from '../../src/domain/holder/resident.js';
import { createTestContext, jsonRequest, type TestContext } from '../helpers/context.js';
import { accountRow, asResident, createActiveResident, createTestVerifier, issueQr, loginAs, postLogin, postVerify } from '../helpers/resident.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx?.close();
});

const codeOf = async (res: Response) => ((await res.json()) as { code: string }).code;
const mailTo = (to: string, template: string) =>
  ctx.deps.db.select().from(outbox).where(and(eq(outbox.to, to), eq(outbox.template, template)));

describe('GET /v1/me', () => {
  it('shows the account with e-mail and phone masked', async () => {
    const resident = await createActiveResident(ctx, { email: 'budi.santoso@gmail.com', phone: '+6281234567890' });
    const res = await asResident(ctx, resident, 'GET', '/v1/me');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      nik: resident.nik,
      name: resident.name,
      status: 'active',
      email: 'b***o@gmail.com',
      phone: '+628*******890',
      activatedAt: ctx.clock.now().toISOString(),
      timeZone: 'WITA', // Pangkep, South Sulawesi (NIK 73…)
    });
  });

  it('masks short and odd values too', () => {
    expect(maskEmail('bi@x.id')).toBe('b***i@x.id');
    expect(maskEmail('b@x.id')).toBe('b***@x.id');
    expect(maskPhone('0812-3456-7890')).toBe('0812*******890');
    expect(maskPhone('12345')).toBe('***45');
  });

  it('needs a session on every /v1/me route (401 unauthorized)', async () => {
    for (const [method, path] of [
      ['GET', '/v1/me'],
      ['GET', '/v1/me/ktp'],
      ['GET', '/v1/me/access-history'],
      ['PUT', '/v1/me/pin'],
      ['DELETE', '/v1/me'],
      ['POST', '/v1/me/ktp/qr'],
    ] as const) {
      const res = await ctx.app.request(path, jsonRequest(method, method === 'GET' ? undefined : { pin: '480731' }));
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(await codeOf(res)).toBe('unauthorized');
    }
  });
});

describe('GET /v1/me/ktp', () => {
  it('shows every element from the registry and the photo on record as a data URL', async () => {
    const resident = await createActiveResident(ctx);
    const res = await asResident(ctx, resident, 'GET', '/v1/me/ktp');
    expect(res.status).toBe(200);
    const ktp = (await res.json()) as Record<string, unknown> & { photo: string };
    const record = (await ctx.deps.registry.findResident(resident.nik))!;
    const { photo, ...elements } = ktp;
    expect(elements).toEqual({
      nik: record.nik,
      name: record.name,
      birthPlace: record.birthPlace,
      birthDate: record.birthDate,
      sex: record.sex,
      bloodType: record.bloodType,
      address: record.address,
      religion: record.religion,
      maritalStatus: record.maritalStatus,
      occupation: record.occupation,
      citizenship: record.citizenship,
    });
    const onRecord = (await ctx.deps.registry.residentPhoto(resident.nik))!;
    expect(photo).toBe(`data:${onRecord.contentType};base64,${Buffer.from(onRecord.bytes).toString('base64')}`);
    expect(PNG.sync.read(Buffer.from(photo.split(',')[1]!, 'base64')).width).toBeGreaterThan(0);
  });
});

describe('PUT /v1/me/pin', () => {
  it('changes the PIN (204): the old one stops working, the resident is e-mailed, other sessions end', async () => {
    const resident = await createActiveResident(ctx);
    const otherSession = await loginAs(ctx, resident);
    const res = await asResident(ctx, resident, 'PUT', '/v1/me/pin', { currentPin: resident.pin, newPin: '592847' });
    expect(res.status).toBe(204);
    expect((await postLogin(ctx, resident, resident.pin)).status).toBe(401);
    expect((await postLogin(ctx, resident, '592847')).status).toBe(200);
    expect((await asResident(ctx, resident, 'GET', '/v1/me')).status).toBe(200); // this session stays
    const other = await ctx.app.request('/v1/me', { headers: { Authorization: `Bearer ${otherSession}` } });
    expect(other.status).toBe(401);
    const mails = await mailTo(resident.email, 'pin_changed');
    expect(mails).toHaveLength(1);
    expect(mails[0]!.text).not.toContain('592847');
  });

  it('refuses a weak new PIN (400 weak_pin) without spending an attempt', async () => {
    const resident = await createActiveResident(ctx);
    const [y, m, d] = resident.birthDate.split('-');
    for (const newPin of ['111111', '123456', '654321', '12345', 'abcdef', `${d}${m}${y!.slice(2)}`, resident.pin]) {
      const res = await asResident(ctx, resident, 'PUT', '/v1/me/pin', { currentPin: resident.pin, newPin });
      expect(res.status, newPin).toBe(400);
      expect(await codeOf(res)).toBe('weak_pin');
    }
    expect((await accountRow(ctx, resident.accountId)).pinFailures).toBe(0);
  });

  it('answers a wrong current PIN with 401 pin_invalid and counts it toward the lock', async () => {
    const resident = await createActiveResident(ctx);
    for (let i = 0; i < 5; i++) {
      const res = await asResident(ctx, resident, 'PUT', '/v1/me/pin', { currentPin: '135792', newPin: '592847' });
      expect(res.status).toBe(401);
      expect(await codeOf(res)).toBe('pin_invalid');
    }
    const locked = await asResident(ctx, resident, 'PUT', '/v1/me/pin', { currentPin: resident.pin, newPin: '592847' });
    expect(locked.status).toBe(423);
    expect(await mailTo(resident.email, 'pin_changed')).toHaveLength(0);
  });
});

describe('DELETE /v1/me', () => {
  it('deletes the IKD (204): devices, sessions and live tokens revoked, audited, e-mailed; login is then unknown', async () => {
    const resident = await createActiveResident(ctx);
    const { token } = await issueQr(ctx, resident);
    const res = await asResident(ctx, resident, 'DELETE', '/v1/me', { pin: resident.pin });
    expect(res.status).toBe(204);
    const account = await accountRow(ctx, resident.accountId);
    expect(account.status).toBe('deleted');
    expect(account.deletedAt).toEqual(ctx.clock.now());
    expect((await ctx.deps.db.select().from(devices).where(eq(devices.accountId, resident.accountId))).every((d) => d.status === 'revoked')).toBe(true);
    const sessions = await ctx.deps.db.select().from(residentSessions).where(eq(residentSessions.accountId, resident.accountId));
    expect(sessions.every((s) => s.revokedAt !== null)).toBe(true);
    const tokens = await ctx.deps.db.select().from(ktpTokens).where(eq(ktpTokens.accountId, resident.accountId));
    expect(tokens.every((t) => t.revokedAt !== null)).toBe(true);
    const audit = await ctx.deps.db.select().from(auditLog).where(and(eq(auditLog.action, 'account.delete'), eq(auditLog.targetId, resident.accountId)));
    expect(audit).toHaveLength(1);
    expect(await mailTo(resident.email, 'account_deleted')).toHaveLength(1);

    expect((await asResident(ctx, resident, 'GET', '/v1/me')).status).toBe(401);
    const login = await postLogin(ctx, resident, resident.pin);
    expect(login.status).toBe(401);
    expect(await codeOf(login)).toBe('login_failed');
    const verifier = await createTestVerifier(ctx);
    const verify = await postVerify(ctx, verifier.apiKey, { token });
    // Deletion erases the account's tokens (issue #12): the QR is no longer a token this service knows.
    expect(verify.status).toBe(400);
    expect(await codeOf(verify)).toBe('token_invalid');
  });

  it('needs the PIN: a wrong one is 401 pin_invalid and nothing changes', async () => {
    const resident = await createActiveResident(ctx);
    const res = await asResident(ctx, resident, 'DELETE', '/v1/me', { pin: '135792' });
    expect(res.status).toBe(401);
    expect(await codeOf(res)).toBe('pin_invalid');
    expect((await accountRow(ctx, resident.accountId)).status).toBe('active');
    expect(await mailTo(resident.email, 'account_deleted')).toHaveLength(0);
    const noBody = await asResident(ctx, resident, 'DELETE', '/v1/me');
    expect(noBody.status).toBe(400);
  });

  it('lets the NIK hold a new account afterwards (the deleted row stays for the history)', async () => {
    const resident = await createActiveResident(ctx);
    await asResident(ctx, resident, 'DELETE', '/v1/me', { pin: resident.pin });
    const again = await createActiveResident(ctx, { resident: { nik: resident.nik, name: resident.name, birthDate: resident.birthDate } });
    expect((await asResident(ctx, again, 'GET', '/v1/me')).status).toBe(200);
    const rows = await ctx.deps.db.select().from(accounts).where(eq(accounts.nik, resident.nik));
    expect(rows.map((r) => r.status).sort()).toEqual(['active', 'deleted']);
  });
});
