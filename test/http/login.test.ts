/** POST /v1/auth/login and /v1/auth/logout: device-bound PIN login, one failure body, sessions that end. */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/crypto/secrets.js';
import { accounts, devices, residentSessions } from '../../src/db/schema/index.js';
import { createTestContext, jsonRequest, type TestContext } from '../helpers/context.js';
import { newDeviceKey, signChallenge } from '../helpers/enrolment.js';
import { asResident, createActiveResident, loginChallenge, postLogin } from '../helpers/resident.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx?.close();
});

/** A problem body without its per-request id, to compare failures byte for byte. */
async function problem(res: Response) {
  const { requestId: _id, ...rest } = (await res.json()) as Record<string, unknown>;
  return rest;
}

describe('login: happy path', () => {
  it('answers an opaque access token of at most 15 minutes, stored only as its hash', async () => {
    const resident = await createActiveResident(ctx, { login: false });
    const res = await postLogin(ctx, resident, resident.pin);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { accessToken: string; expiresAt: string };
    expect(body.accessToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Date.parse(body.expiresAt) - ctx.clock.now().getTime()).toBe(15 * 60_000);
    const sessions = await ctx.deps.db.select().from(residentSessions).where(eq(residentSessions.accountId, resident.accountId));
    expect(sessions).toHaveLength(1);
    expect(sessions[0]!.tokenHash).toBe(sha256Hex(body.accessToken));
    expect(JSON.stringify(sessions)).not.toContain(body.accessToken);
    expect(sessions[0]!.deviceId).toBe(resident.deviceId);
    const me = await ctx.app.request('/v1/me', { headers: { Authorization: `Bearer ${body.accessToken}` } });
    expect(me.status).toBe(200);
  });

  it('logout ends the session at once (204, then 401)', async () => {
    const resident = await createActiveResident(ctx);
    expect((await asResident(ctx, resident, 'GET', '/v1/me')).status).toBe(200);
    const res = await asResident(ctx, resident, 'POST', '/v1/auth/logout');
    expect(res.status).toBe(204);
    expect((await asResident(ctx, resident, 'GET', '/v1/me')).status).toBe(401);
    const [session] = await ctx.deps.db.select().from(residentSessions).where(eq(residentSessions.accountId, resident.accountId));
    expect(session!.revokedAt).toEqual(ctx.clock.now());
    expect((await asResident(ctx, resident, 'POST', '/v1/auth/logout')).status).toBe(401);
  });

  it('a session ends after 15 minutes', async () => {
    const resident = await createActiveResident(ctx);
    ctx.clock.advance(15 * 60_000 - 1);
    expect((await asResident(ctx, resident, 'GET', '/v1/me')).status).toBe(200);
    ctx.clock.advance(1);
    const res = await asResident(ctx, resident, 'GET', '/v1/me');
    expect(res.status).toBe(401);
    expect(((await res.json()) as { code: string }).code).toBe('unauthorized');
  });

  it('a session dies with its device (device replaced) and with its account (suspended)', async () => {
    const a = await createActiveResident(ctx);
    await ctx.deps.db.update(devices).set({ status: 'revoked', revokedAt: ctx.clock.now() }).where(eq(devices.id, a.deviceId));
    expect((await asResident(ctx, a, 'GET', '/v1/me')).status).toBe(401);
    const b = await createActiveResident(ctx);
    await ctx.deps.db.update(accounts).set({ status: 'suspended' }).where(eq(accounts.id, b.accountId));
    expect((await asResident(ctx, b, 'GET', '/v1/me')).status).toBe(401);
  });
});

describe('login: errors', () => {
  it('answers unknown NIK, wrong device and wrong PIN with one identical 401 login_failed', async () => {
    const resident = await createActiveResident(ctx, { login: false });
    const stranger = await newDeviceKey();
    const unknownNik = await postLogin(ctx, { ...resident, nik: '7310041705909999' }, resident.pin);
    const wrongDevice = await postLogin(ctx, resident, resident.pin, { device: stranger });
    const wrongPin = await postLogin(ctx, resident, '135792');
    const bodies = await Promise.all([unknownNik, wrongDevice, wrongPin].map(problem));
    expect([unknownNik.status, wrongDevice.status, wrongPin.status]).toEqual([401, 401, 401]);
    expect(bodies[0]).toMatchObject({ code: 'login_failed', status: 401 });
    expect(bodies[1]).toEqual(bodies[0]);
    expect(bodies[0]).not.toHaveProperty('attemptsRemaining');
    // The holder's own device signed: the same problem, plus how many tries are left (issue #16).
    const { attemptsRemaining, ...wrongPinRest } = bodies[2]!;
    expect(wrongPinRest).toEqual(bodies[0]);
    expect(attemptsRemaining).toBe(4);
    expect(unknownNik.headers.get('Content-Type')).toBe(wrongPin.headers.get('Content-Type'));
  });

  it('counts down attemptsRemaining only for a valid device signature: 2, 1, then 0 as the lock falls', async () => {
    const resident = await createActiveResident(ctx, { login: false });
    const stranger = await newDeviceKey();
    const remaining: unknown[] = [];
    for (let attempt = 1; attempt <= 5; attempt++) {
      // Between the holder's tries, a stranger's device and an unknown NIK keep the bare body and count nothing.
      const wrongDevice = await problem(await postLogin(ctx, resident, '135792', { device: stranger }));
      const unknownNik = await problem(await postLogin(ctx, { ...resident, nik: '7310041705909999' }, '135792'));
      expect(wrongDevice).toEqual(unknownNik);
      expect(wrongDevice).not.toHaveProperty('attemptsRemaining');
      const res = await postLogin(ctx, resident, '135792');
      expect(res.status).toBe(401);
      const body = await problem(res);
      expect(body.code).toBe('login_failed');
      remaining.push(body.attemptsRemaining);
    }
    expect(remaining).toEqual([4, 3, 2, 1, 0]);
    expect((await postLogin(ctx, resident, resident.pin)).status).toBe(423);
  });

  it('refuses a replayed challenge, a challenge of another purpose and an expired one', async () => {
    const resident = await createActiveResident(ctx, { login: false });
    const challenge = await loginChallenge(ctx, resident.ip);
    const signature = await signChallenge(resident.device, 'login', challenge.challengeId, challenge.nonce);
    const body = { nik: resident.nik, challengeId: challenge.challengeId, signature, pin: resident.pin };
    const headers = { 'cf-connecting-ip': resident.ip };
    expect((await ctx.app.request('/v1/auth/login', jsonRequest('POST', body, headers))).status).toBe(200);
    const replay = await ctx.app.request('/v1/auth/login', jsonRequest('POST', body, headers));
    expect(replay.status).toBe(401);
    expect((await problem(replay)).code).toBe('login_failed');

    const qrRes = await ctx.app.request('/v1/challenges', jsonRequest('POST', { purpose: 'registration_qr' }, headers));
    const qrChallenge = (await qrRes.json()) as { challengeId: string; nonce: string };
    const otherPurpose = {
      ...body,
      challengeId: qrChallenge.challengeId,
      signature: await signChallenge(resident.device, 'login', qrChallenge.challengeId, qrChallenge.nonce),
    };
    expect((await ctx.app.request('/v1/auth/login', jsonRequest('POST', otherPurpose, headers))).status).toBe(401);

    const late = await loginChallenge(ctx, resident.ip);
    ctx.clock.advance(120_001);
    const expired = { ...body, challengeId: late.challengeId, signature: await signChallenge(resident.device, 'login', late.challengeId, late.nonce) };
    expect((await ctx.app.request('/v1/auth/login', jsonRequest('POST', expired, headers))).status).toBe(401);
  });

  it('tells the holder of the device of a suspended account 403 account_suspended; anyone else login_failed', async () => {
    const resident = await createActiveResident(ctx, { login: false });
    // As the operators' suspension leaves it: account suspended, device revoked.
    await ctx.deps.db.update(accounts).set({ status: 'suspended', suspendedReason: 'hilang' }).where(eq(accounts.id, resident.accountId));
    await ctx.deps.db.update(devices).set({ status: 'revoked', revokedAt: ctx.clock.now() }).where(eq(devices.id, resident.deviceId));
    const res = await postLogin(ctx, resident, resident.pin);
    expect(res.status).toBe(403);
    expect((await problem(res)).code).toBe('account_suspended');
    const other = await postLogin(ctx, resident, resident.pin, { device: await newDeviceKey() });
    expect(other.status).toBe(401);
    expect((await accountRowOf(resident.accountId)).pinFailures).toBe(0); // no PIN was judged
  });

  it('treats a deleted account as unknown', async () => {
    const resident = await createActiveResident(ctx, { login: false });
    await ctx.deps.db.update(accounts).set({ status: 'deleted', deletedAt: ctx.clock.now() }).where(eq(accounts.id, resident.accountId));
    const res = await postLogin(ctx, resident, resident.pin);
    expect(res.status).toBe(401);
    expect((await problem(res)).code).toBe('login_failed');
  });

  it('answers a malformed body with 400 invalid_request', async () => {
    for (const body of [{}, { nik: '123', challengeId: 'x', signature: 'y', pin: '1' }, { nik: '7310041705900001', challengeId: 'x', signature: 'y' }]) {
      const res = await ctx.app.request('/v1/auth/login', jsonRequest('POST', body));
      expect(res.status).toBe(400);
      expect((await problem(res)).code).toBe('invalid_request');
    }
    expect((await ctx.app.request('/v1/auth/login', jsonRequest('POST', '{"nik":'))).status).toBe(400);
  });
});

async function accountRowOf(accountId: string) {
  const [row] = await ctx.deps.db.select().from(accounts).where(eq(accounts.id, accountId));
  return row!;
}
