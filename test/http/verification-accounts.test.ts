import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { accounts, auditLog, devices, ktpTokens, outbox, residentSessions } from '../../src/db/schema/index.js';
import { createTestContext, jsonRequest, type TestContext } from '../helpers/context.js';
import { createOperatorSession, operatorAuth } from '../helpers/operator.js';
import {
  activationMail,
  approve,
  enrolResident,
  postActivation,
  registerResident,
  registrationRow,
  seedResident,
} from '../helpers/enrolment.js';

let ctx: TestContext;
let token: string;

beforeAll(async () => {
  ctx = await createTestContext();
});
beforeEach(async () => {
  token = (await createOperatorSession(ctx)).token;
});
afterAll(async () => {
  await ctx.close();
});

const code = async (res: Response) => ((await res.json()) as { code: string }).code;
const suspend = (nik: string, body: unknown = { reason: 'ponsel hilang' }) =>
  ctx.app.request(`/v1/operator/accounts/${nik}/suspend`, jsonRequest('POST', body, operatorAuth(token)));
const unlock = (nik: string) => ctx.app.request(`/v1/operator/accounts/${nik}/unlock`, jsonRequest('POST', undefined, operatorAuth(token)));

async function accountOf(nik: string) {
  const [row] = await ctx.deps.db.select().from(accounts).where(eq(accounts.nik, nik));
  return row!;
}

/** A live session and a live KTP QR token on the account's current device, as the login/KTP routes would leave them. */
async function liveAccess(accountId: string) {
  const now = ctx.clock.now();
  const [device] = await ctx.deps.db.select().from(devices).where(and(eq(devices.accountId, accountId), eq(devices.status, 'active')));
  const sessionId = `ses_${Math.random().toString(36).slice(2)}`;
  const tokenId = Math.random().toString(16).slice(2).padEnd(24, '0');
  await ctx.deps.db.insert(residentSessions).values({
    id: sessionId,
    tokenHash: `hash-${sessionId}`,
    accountId,
    deviceId: device!.id,
    createdAt: now,
    expiresAt: new Date(now.getTime() + 3600_000),
  });
  await ctx.deps.db.insert(ktpTokens).values({
    id: tokenId,
    accountId,
    kid: ctx.deps.keys.currentKid,
    elements: ['nik', 'name'],
    issuedAt: now,
    expiresAt: new Date(now.getTime() + 90_000),
  });
  return { deviceId: device!.id, sessionId, tokenId };
}

async function accessState(ids: { deviceId: string; sessionId: string; tokenId: string }) {
  const [device] = await ctx.deps.db.select().from(devices).where(eq(devices.id, ids.deviceId));
  const [session] = await ctx.deps.db.select().from(residentSessions).where(eq(residentSessions.id, ids.sessionId));
  const [ktp] = await ctx.deps.db.select().from(ktpTokens).where(eq(ktpTokens.id, ids.tokenId));
  return { device: device!.status, sessionRevoked: session!.revokedAt !== null, tokenRevoked: ktp!.revokedAt !== null };
}

const mailsTo = (to: string, template: string) =>
  ctx.deps.db.select().from(outbox).where(and(eq(outbox.to, to), eq(outbox.template, template)));

describe('activation of a first IKD', () => {
  it('creates the account and device and e-mails the resident', async () => {
    const reg = await enrolResident(ctx, token);
    const account = await accountOf(reg.resident.nik);
    expect(account).toMatchObject({ status: 'active', email: reg.email, phone: '+6281234567890', pinFailures: 0 });
    expect(await ctx.deps.pins.verify(account.pinHash, '258013')).toBe(true);
    const devs = await ctx.deps.db.select().from(devices).where(eq(devices.accountId, account.id));
    expect(devs).toHaveLength(1);
    expect(devs[0]).toMatchObject({ status: 'active', publicKey: reg.device.publicKey, registrationId: reg.registrationId });
    expect(await registrationRow(ctx, reg.registrationId)).toMatchObject({ status: 'active', accountId: account.id });
    expect(await mailsTo(reg.email, 'account_activated')).toHaveLength(1);
  });
});

describe('device replacement', () => {
  it('revokes the old device, its sessions and live QR tokens when the new phone is activated — not before', async () => {
    const resident = await seedResident(ctx);
    const first = await enrolResident(ctx, token, { resident, email: 'lama@example.id' });
    const account = await accountOf(resident.nik);
    const old = await liveAccess(account.id);

    const second = await registerResident(ctx, resident, { email: 'baru@example.id', phone: '085711112222' });
    expect((await registrationRow(ctx, second.registrationId)).kind).toBe('device_replacement');
    await approve(ctx, token, second.registrationId);
    // Approved but not yet activated: the old phone keeps working.
    expect(await accessState(old)).toEqual({ device: 'active', sessionRevoked: false, tokenRevoked: false });

    const mail = await activationMail(ctx, 'baru@example.id');
    const res = await postActivation(ctx, { token: mail.token, code: mail.code, newPin: '730196' });
    expect(res.status).toBe(200);
    expect(await accessState(old)).toEqual({ device: 'revoked', sessionRevoked: true, tokenRevoked: true });

    const rows = await ctx.deps.db.select().from(accounts).where(eq(accounts.nik, resident.nik));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: account.id, status: 'active', email: 'baru@example.id', phone: '+6285711112222' });
    expect(await ctx.deps.pins.verify(rows[0]!.pinHash, '730196')).toBe(true);
    const active = await ctx.deps.db.select().from(devices).where(and(eq(devices.accountId, account.id), eq(devices.status, 'active')));
    expect(active.map((d) => d.publicKey)).toEqual([second.device.publicKey]);
    // Both the old and the new address hear of it.
    expect(await mailsTo('lama@example.id', 'device_replaced')).toHaveLength(1);
    expect(await mailsTo('baru@example.id', 'device_replaced')).toHaveLength(1);
    const audit = await ctx.deps.db.select().from(auditLog).where(and(eq(auditLog.action, 'account.device_replaced'), eq(auditLog.targetId, account.id)));
    expect(audit).toHaveLength(1);
    expect(first.registrationId).not.toBe(second.registrationId);
  });
});

describe('POST /v1/operator/accounts/{nik}/suspend', () => {
  it('suspends, revokes device, sessions and live QR tokens, e-mails the resident and audits', async () => {
    const reg = await enrolResident(ctx, token);
    const account = await accountOf(reg.resident.nik);
    const access = await liveAccess(account.id);
    const res = await suspend(reg.resident.nik, { reason: 'ponsel hilang' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'suspended' });
    expect(await accountOf(reg.resident.nik)).toMatchObject({ status: 'suspended', suspendedReason: 'ponsel hilang' });
    expect(await accessState(access)).toEqual({ device: 'revoked', sessionRevoked: true, tokenRevoked: true });
    const notices = await mailsTo(reg.email, 'account_suspended');
    expect(notices).toHaveLength(1);
    // The operator's note stays in the audit log, not in the resident's mailbox.
    expect(notices[0]!.text).not.toContain('ponsel hilang');
    const audit = await ctx.deps.db.select().from(auditLog).where(and(eq(auditLog.action, 'account.suspend'), eq(auditLog.targetId, account.id)));
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details).toMatchObject({ reason: 'ponsel hilang', revoked: { devices: 1, sessions: 1, tokens: 1 } });

    // Again: still 200, nothing new to revoke, no second notice.
    expect((await suspend(reg.resident.nik)).status).toBe(200);
    expect(await mailsTo(reg.email, 'account_suspended')).toHaveLength(1);
  });

  it('voids an approved replacement still waiting to be activated', async () => {
    const resident = await seedResident(ctx);
    await enrolResident(ctx, token, { resident });
    const replacement = await registerResident(ctx, resident, { email: 'pencuri@example.id' });
    await approve(ctx, token, replacement.registrationId);
    const mail = await activationMail(ctx, 'pencuri@example.id');
    expect((await suspend(resident.nik, { reason: 'penipuan' })).status).toBe(200);
    const res = await postActivation(ctx, { token: mail.token, code: mail.code, newPin: '730196' });
    expect(res.status).toBe(410);
    expect((await accountOf(resident.nik)).status).toBe('suspended');
  });

  it('comes back through a verified device-replacement registration', async () => {
    const resident = await seedResident(ctx);
    await enrolResident(ctx, token, { resident });
    expect((await suspend(resident.nik)).status).toBe(200);
    const back = await enrolResident(ctx, token, { resident, pin: '730196', email: 'kembali@example.id' });
    expect((await registrationRow(ctx, back.registrationId)).kind).toBe('device_replacement');
    expect(await accountOf(resident.nik)).toMatchObject({ status: 'active', suspendedReason: null });
  });

  it('answers 404 for a NIK without an IKD, 400 without a reason, 401 without a session', async () => {
    const res = await suspend('7310041207859555');
    expect(res.status).toBe(404);
    expect(await code(res)).toBe('not_found');
    const reg = await enrolResident(ctx, token);
    expect((await suspend(reg.resident.nik, {})).status).toBe(400);
    expect((await suspend(reg.resident.nik, { reason: '  ' })).status).toBe(400);
    const anonymous = await ctx.app.request(`/v1/operator/accounts/${reg.resident.nik}/suspend`, jsonRequest('POST', { reason: 'x' }));
    expect(anonymous.status).toBe(401);
    expect((await accountOf(reg.resident.nik)).status).toBe('active');
  });
});

describe('POST /v1/operator/accounts/{nik}/unlock', () => {
  it('clears the PIN lock and audits', async () => {
    const reg = await enrolResident(ctx, token);
    await ctx.deps.db
      .update(accounts)
      .set({ pinFailures: 5, lockCount: 2, lockedUntil: new Date(ctx.clock.now().getTime() + 3600_000) })
      .where(eq(accounts.nik, reg.resident.nik));
    const res = await unlock(reg.resident.nik);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'active' });
    expect(await accountOf(reg.resident.nik)).toMatchObject({ pinFailures: 0, lockCount: 0, lockedUntil: null, status: 'active' });
    const account = await accountOf(reg.resident.nik);
    const audit = await ctx.deps.db.select().from(auditLog).where(and(eq(auditLog.action, 'account.unlock'), eq(auditLog.targetId, account.id)));
    expect(audit).toHaveLength(1);
  });

  it('does not lift a suspension', async () => {
    const reg = await enrolResident(ctx, token);
    await suspend(reg.resident.nik);
    const res = await unlock(reg.resident.nik);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'suspended' });
    expect((await accountOf(reg.resident.nik)).status).toBe('suspended');
  });

  it('answers 404 for an unknown NIK', async () => {
    const res = await unlock('7310041207859556');
    expect(res.status).toBe(404);
    expect(await code(res)).toBe('not_found');
  });
});
