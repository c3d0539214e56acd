/**
 * Kunci (API.md Part 2, "The holder in control"): POST /v1/me/lock → self_locked (sessions end, live QR revoked,
 * verify 403 account_inactive, login 403 account_self_locked); POST /v1/auth/unlock with device + PIN restores it,
 * its wrong PINs count toward the PIN lock, and an operator's suspension is not lifted by it.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accounts, auditLog, outbox } from '../../src/db/schema/index.js';
import { createTestContext, jsonRequest, type TestContext } from '../helpers/context.js';
import { newDeviceKey, signChallenge, type DeviceKey } from '../helpers/enrolment.js';
import { createOperatorSession, operatorAuth } from '../helpers/operator.js';
import {
  accountRow,
  asResident,
  createActiveResident,
  createTestVerifier,
  issueQr,
  postLogin,
  postVerify,
  type ActiveResident,
} from '../helpers/resident.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx.close();
});

async function postUnlock(resident: ActiveResident, pin: string, device: DeviceKey = resident.device) {
  const res = await ctx.app.request('/v1/challenges', jsonRequest('POST', { purpose: 'unlock' }, { 'cf-connecting-ip': resident.ip }));
  expect(res.status).toBe(201);
  const challenge = (await res.json()) as { challengeId: string; nonce: string };
  const signature = await signChallenge(device, 'unlock', challenge.challengeId, challenge.nonce);
  return ctx.app.request(
    '/v1/auth/unlock',
    jsonRequest('POST', { nik: resident.nik, challengeId: challenge.challengeId, signature, pin }, { 'cf-connecting-ip': resident.ip }),
  );
}

describe('POST /v1/me/lock', () => {
  it('locks: self_locked, the session ends, a live QR answers 403 account_inactive, login 403 account_self_locked', async () => {
    const resident = await createActiveResident(ctx);
    const verifier = await createTestVerifier(ctx);
    const qr = await issueQr(ctx, resident);

    const res = await asResident(ctx, resident, 'POST', '/v1/me/lock');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'self_locked' });
    expect((await accountRow(ctx, resident.accountId)).status).toBe('self_locked');

    expect((await asResident(ctx, resident, 'GET', '/v1/me')).status).toBe(401);
    const verify = await postVerify(ctx, verifier.apiKey, { token: qr.token });
    expect(verify.status).toBe(409); // the live token was revoked with the lock
    expect(((await verify.json()) as { code: string }).code).toBe('token_revoked');

    const login = await postLogin(ctx, resident, resident.pin);
    expect(login.status).toBe(403);
    expect(((await login.json()) as { code: string }).code).toBe('account_self_locked');

    const audit = await ctx.deps.db.select().from(auditLog).where(and(eq(auditLog.action, 'account.self_lock'), eq(auditLog.targetId, resident.accountId)));
    expect(audit).toHaveLength(1);
    const mails = await ctx.deps.db.select().from(outbox).where(and(eq(outbox.to, resident.email), eq(outbox.template, 'account_self_locked')));
    expect(mails).toHaveLength(1);
  });

  it('a token of a self-locked holder that was not revoked (issued in a race) answers 403 account_inactive', async () => {
    const resident = await createActiveResident(ctx);
    const verifier = await createTestVerifier(ctx);
    const qr = await issueQr(ctx, resident);
    // The state alone, as if the token slipped past the lock's revocation: the redemption statement still refuses.
    await ctx.deps.db.update(accounts).set({ status: 'self_locked' }).where(eq(accounts.id, resident.accountId));
    const verify = await postVerify(ctx, verifier.apiKey, { token: qr.token });
    expect(verify.status).toBe(403);
    expect(((await verify.json()) as { code: string }).code).toBe('account_inactive');
  });

  it('needs a session', async () => {
    const res = await ctx.app.request('/v1/me/lock', jsonRequest('POST'));
    expect(res.status).toBe(401);
  });
});

describe('POST /v1/auth/unlock', () => {
  it('device + PIN restore the account: login and QR work again', async () => {
    const resident = await createActiveResident(ctx);
    expect((await asResident(ctx, resident, 'POST', '/v1/me/lock')).status).toBe(200);

    const res = await postUnlock(resident, resident.pin);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'active' });
    expect((await accountRow(ctx, resident.accountId)).status).toBe('active');

    const login = await postLogin(ctx, resident, resident.pin);
    expect(login.status).toBe(200);
    resident.accessToken = ((await login.json()) as { accessToken: string }).accessToken;
    const verifier = await createTestVerifier(ctx);
    const qr = await issueQr(ctx, resident);
    expect((await postVerify(ctx, verifier.apiKey, { token: qr.token })).status).toBe(200);
  });

  it('another device: 401 login_failed, the account stays locked', async () => {
    const resident = await createActiveResident(ctx);
    await asResident(ctx, resident, 'POST', '/v1/me/lock');
    const res = await postUnlock(resident, resident.pin, await newDeviceKey());
    expect(res.status).toBe(401);
    expect(((await res.json()) as { code: string }).code).toBe('login_failed');
    expect((await accountRow(ctx, resident.accountId)).status).toBe('self_locked');
  });

  it('wrong PINs count toward the PIN lock: the fifth locks (423), the right PIN then waits too', async () => {
    const resident = await createActiveResident(ctx);
    await asResident(ctx, resident, 'POST', '/v1/me/lock');
    for (let i = 1; i <= 4; i++) {
      const res = await postUnlock(resident, '135792');
      expect(res.status).toBe(401);
      expect(((await res.json()) as { attemptsRemaining: number }).attemptsRemaining).toBe(5 - i);
    }
    expect((await postUnlock(resident, '135792')).status).toBe(401);
    const row = await accountRow(ctx, resident.accountId);
    expect(row.lockedUntil).not.toBeNull();
    const locked = await postUnlock(resident, resident.pin);
    expect(locked.status).toBe(423);
    expect(((await locked.json()) as { code: string }).code).toBe('account_locked');
    expect((await accountRow(ctx, resident.accountId)).status).toBe('self_locked');
  });

  it('an operator suspension is not lifted: 403 account_suspended, still suspended', async () => {
    const resident = await createActiveResident(ctx);
    const operator = await createOperatorSession(ctx, 'supervisor');
    await asResident(ctx, resident, 'POST', '/v1/me/lock');
    const suspend = await ctx.app.request(
      `/v1/operator/accounts/${resident.nik}/suspend`,
      jsonRequest('POST', { reason: 'lost phone' }, operatorAuth(operator.token)),
    );
    expect(suspend.status).toBe(200);
    const res = await postUnlock(resident, resident.pin);
    expect(res.status).toBe(403);
    expect(((await res.json()) as { code: string }).code).toBe('account_suspended');
    expect((await accountRow(ctx, resident.accountId)).status).toBe('suspended');
  });

  it('an active account: 200 active, nothing changes', async () => {
    const resident = await createActiveResident(ctx);
    const res = await postUnlock(resident, resident.pin);
    expect(res.status).toBe(200);
    expect((await accountRow(ctx, resident.accountId)).status).toBe('active');
  });

  it('a login challenge does not unlock (purpose is checked)', async () => {
    const resident = await createActiveResident(ctx);
    await asResident(ctx, resident, 'POST', '/v1/me/lock');
    const res = await ctx.app.request('/v1/challenges', jsonRequest('POST', { purpose: 'login' }, { 'cf-connecting-ip': resident.ip }));
    const challenge = (await res.json()) as { challengeId: string; nonce: string };
    const signature = await signChallenge(resident.device, 'login', challenge.challengeId, challenge.nonce);
    const unlock = await ctx.app.request(
      '/v1/auth/unlock',
      jsonRequest('POST', { nik: resident.nik, challengeId: challenge.challengeId, signature, pin: resident.pin }, { 'cf-connecting-ip': resident.ip }),
    );
    expect(unlock.status).toBe(401);
    expect((await accountRow(ctx, resident.accountId)).status).toBe('self_locked');
  });

  it('malformed body: 400 invalid_request', async () => {
    const res = await ctx.app.request('/v1/auth/unlock', jsonRequest('POST', { nik: 'x' }));
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code: string }).code).toBe('invalid_request');
  });
});
