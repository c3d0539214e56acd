/**
 * Lupa PIN (issue #16 point 13): the enrolled device asks for an e-mailed code and sets a new PIN with it. One
 * answer for unknown NIK and wrong device; the code is hashed, single use, 15 minutes, 5 tries; success ends every
 * session, clears the PIN lock, notifies the holder and is audited.
 */
import { and, desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accounts, auditLog, outbox, pinResets } from '../../src/db/schema/index.js';
import { MAX_PIN_FAILURES } from '../../src/domain/credential/pin-attempts.js';
import { MAX_PIN_RESET_ATTEMPTS, PIN_RESET_LIMITS, PIN_RESET_TTL_MS } from '../../src/domain/credential/pin-reset.js';
import { createTestContext, jsonRequest, type TestContext } from '../helpers/context.js';
import { newDeviceKey, signChallenge, testIp, type DeviceKey } from '../helpers/enrolment.js';
import { accountRow, asResident, createActiveResident, postLogin, type ActiveResident } from '../helpers/resident.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx.close();
});

const NEW_PIN = '730418';

async function pinResetChallenge(ip: string) {
  const res = await ctx.app.request('/v1/challenges', jsonRequest('POST', { purpose: 'pin_reset' }, { 'cf-connecting-ip': ip }));
  expect(res.status).toBe(201);
  return (await res.json()) as { challengeId: string; nonce: string };
}

async function signed(device: DeviceKey, ip: string, purpose = 'pin_reset') {
  const challenge = await pinResetChallenge(ip);
  return { challengeId: challenge.challengeId, signature: await signChallenge(device, purpose, challenge.challengeId, challenge.nonce) };
}

async function requestReset(who: { nik: string; ip: string }, device: DeviceKey) {
  return ctx.app.request('/v1/auth/pin-reset', jsonRequest('POST', { nik: who.nik, ...(await signed(device, who.ip)) }, { 'cf-connecting-ip': who.ip }));
}

async function confirmReset(who: { nik: string; ip: string }, device: DeviceKey, code: string, newPin = NEW_PIN) {
  return ctx.app.request(
    '/v1/auth/pin-reset/confirm',
    jsonRequest('POST', { nik: who.nik, ...(await signed(device, who.ip)), code, newPin }, { 'cf-connecting-ip': who.ip }),
  );
}

const mailsTo = async (to: string, template: string) =>
  (await ctx.deps.db.select().from(outbox).where(eq(outbox.to, to)).orderBy(desc(outbox.seq))).filter((m) => m.template === template);

/** The code as a person reads it: the one group of 6 digits in the newest Lupa PIN e-mail's text. */
async function mailedCode(to: string): Promise<string> {
  const [mail] = await mailsTo(to, 'pin_reset_code');
  const codes = mail?.text.match(/\b\d{6}\b/g) ?? [];
  expect(codes).toHaveLength(1);
  return codes[0]!;
}

const problemOf = async (res: Response) => (await res.json()) as { code: string; attemptsRemaining?: number; errors?: { path: string; message: string }[] };

/** A code that is not `code` (same shape, not a weak-PIN clash with NEW_PIN). */
const otherCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

async function freshResident(): Promise<ActiveResident> {
  return createActiveResident(ctx);
}

describe('Lupa PIN: the happy path', () => {
  it('mails a hashed one-time code, replaces the PIN, ends every session, clears the lock, notifies and audits', async () => {
    const resident = await freshResident();
    const second = await postLogin(ctx, resident, resident.pin);
    expect(second.status).toBe(200);
    const secondToken = ((await second.json()) as { accessToken: string }).accessToken;
    // Two wrong PINs on record: the reset clears them.
    expect((await postLogin(ctx, resident, '000001')).status).toBe(401);
    expect((await postLogin(ctx, resident, '000002')).status).toBe(401);

    const res = await requestReset(resident, resident.device);
    expect(res.status).toBe(202);
    const { expiresAt } = (await res.json()) as { expiresAt: string };
    expect(Date.parse(expiresAt) - ctx.clock.now().getTime()).toBe(PIN_RESET_TTL_MS);
    const code = await mailedCode(resident.email);
    const [row] = await ctx.deps.db.select().from(pinResets).where(eq(pinResets.accountId, resident.accountId));
    expect(row!.codeHash).not.toContain(code);
    expect(row!.codeHash).toMatch(/^[0-9a-f]{64}$/);

    const confirmed = await confirmReset(resident, resident.device, code);
    expect(confirmed.status).toBe(204);

    // Every session of the account is over, including the one this phone had.
    expect((await asResident(ctx, resident, 'GET', '/v1/me')).status).toBe(401);
    const other = await ctx.app.request('/v1/me', jsonRequest('GET', undefined, { Authorization: `Bearer ${secondToken}`, 'cf-connecting-ip': resident.ip }));
    expect(other.status).toBe(401);
    expect((await accountRow(ctx, resident.accountId)).pinFailures).toBe(0);

    // The old PIN no longer works; the new one logs in.
    const old = await postLogin(ctx, resident, resident.pin);
    expect(old.status).toBe(401);
    expect((await problemOf(old)).code).toBe('login_failed');
    expect((await postLogin(ctx, resident, NEW_PIN)).status).toBe(200);

    expect(await mailsTo(resident.email, 'pin_reset_done')).toHaveLength(1);
    const actions = (await ctx.deps.db.select().from(auditLog).where(eq(auditLog.targetId, resident.accountId))).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['account.pin_reset_request', 'account.pin_reset']));
    const [reset] = await ctx.deps.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'account.pin_reset'), eq(auditLog.targetId, resident.accountId)));
    expect(reset?.details).toMatchObject({ revokedSessions: 2 });
    expect(JSON.stringify(reset?.details)).not.toContain(code);
  });

  it('lifts a PIN lock: a holder locked out by wrong PINs resets and logs in at once', async () => {
    const resident = await freshResident();
    for (let i = 0; i < MAX_PIN_FAILURES; i++) await postLogin(ctx, resident, `00000${i + 1}`);
    expect((await postLogin(ctx, resident, resident.pin)).status).toBe(423);
    expect((await requestReset(resident, resident.device)).status).toBe(202);
    expect((await confirmReset(resident, resident.device, await mailedCode(resident.email))).status).toBe(204);
    const account = await accountRow(ctx, resident.accountId);
    expect(account.lockedUntil).toBeNull();
    expect((await postLogin(ctx, resident, NEW_PIN)).status).toBe(200);
  });
});

describe('Lupa PIN: single use, tries, expiry', () => {
  it('refuses a code a second time (401 pin_reset_invalid), and the PIN stays the one it set', async () => {
    const resident = await freshResident();
    await requestReset(resident, resident.device);
    const code = await mailedCode(resident.email);
    expect((await confirmReset(resident, resident.device, code)).status).toBe(204);
    const again = await confirmReset(resident, resident.device, code, '591836');
    expect(again.status).toBe(401);
    expect((await problemOf(again)).code).toBe('pin_reset_invalid');
    expect((await postLogin(ctx, resident, NEW_PIN)).status).toBe(200);
    expect((await postLogin(ctx, resident, '591836')).status).toBe(401);
  });

  it('counts wrong codes, says how many are left, and voids the code after five (429 too_many_attempts, even with the right one)', async () => {
    const resident = await freshResident();
    await requestReset(resident, resident.device);
    const code = await mailedCode(resident.email);
    for (let i = 1; i <= MAX_PIN_RESET_ATTEMPTS; i++) {
      const res = await confirmReset(resident, resident.device, otherCode(code));
      expect(res.status).toBe(401);
      const problem = await problemOf(res);
      expect(problem.code).toBe('pin_reset_invalid');
      expect(problem.attemptsRemaining).toBe(MAX_PIN_RESET_ATTEMPTS - i);
    }
    const right = await confirmReset(resident, resident.device, code);
    expect(right.status).toBe(429);
    expect((await problemOf(right)).code).toBe('too_many_attempts');
    expect((await postLogin(ctx, resident, resident.pin)).status).toBe(200);
    // A new request mails a new code that works.
    expect((await requestReset(resident, resident.device)).status).toBe(202);
    expect((await confirmReset(resident, resident.device, await mailedCode(resident.email))).status).toBe(204);
  });

  it('refuses an expired code (410 pin_reset_expired) by the injected clock', async () => {
    const resident = await freshResident();
    await requestReset(resident, resident.device);
    const code = await mailedCode(resident.email);
    ctx.clock.advance(PIN_RESET_TTL_MS);
    const res = await confirmReset(resident, resident.device, code);
    expect(res.status).toBe(410);
    expect((await problemOf(res)).code).toBe('pin_reset_expired');
    expect((await postLogin(ctx, resident, resident.pin)).status).toBe(200);
  });

  it('a newer request voids the earlier code', async () => {
    const resident = await freshResident();
    await requestReset(resident, resident.device);
    const first = await mailedCode(resident.email);
    await requestReset(resident, resident.device);
    const second = await mailedCode(resident.email);
    if (first !== second) {
      const res = await confirmReset(resident, resident.device, first);
      expect(res.status).toBe(401);
      expect((await problemOf(res)).code).toBe('pin_reset_invalid');
    }
    expect((await confirmReset(resident, resident.device, second)).status).toBe(204);
  });

  it('judges the new PIN by the change-PIN rules before spending a code attempt (400 weak_pin)', async () => {
    const resident = await freshResident();
    await requestReset(resident, resident.device);
    const code = await mailedCode(resident.email);
    for (const weak of ['123456', '111111', '12345', code]) {
      const res = await confirmReset(resident, resident.device, code, weak);
      expect(res.status).toBe(400);
      expect((await problemOf(res)).code).toBe('weak_pin');
    }
    const [row] = await ctx.deps.db.select().from(pinResets).where(eq(pinResets.accountId, resident.accountId));
    expect(row!.failedAttempts).toBe(0);
    expect((await confirmReset(resident, resident.device, code)).status).toBe(204);
  });
});

describe('Lupa PIN: who may ask', () => {
  it('answers an unknown NIK and a wrong device exactly like the holder, and mails nothing for them', async () => {
    const resident = await freshResident();
    const stranger = await newDeviceKey();
    const bodies: unknown[] = [];
    for (const [who, device] of [
      [{ nik: '7310045705900999', ip: testIp() }, stranger],
      [{ nik: resident.nik, ip: testIp() }, stranger],
      [resident, resident.device],
    ] as const) {
      const res = await requestReset(who, device);
      expect(res.status).toBe(202);
      const body = (await res.json()) as Record<string, unknown>;
      expect(Object.keys(body)).toEqual(['expiresAt']);
      bodies.push(body);
    }
    expect(new Set(bodies.map((b) => JSON.stringify(b))).size).toBe(1);
    expect(await mailsTo(resident.email, 'pin_reset_code')).toHaveLength(1);
  });

  it('refuses a confirm from another device, or signed for another purpose, with the one 401', async () => {
    const resident = await freshResident();
    await requestReset(resident, resident.device);
    const code = await mailedCode(resident.email);
    const stranger = await newDeviceKey();
    const wrongDevice = await confirmReset(resident, stranger, code);
    expect(wrongDevice.status).toBe(401);
    expect(await problemOf(wrongDevice)).toMatchObject({ code: 'pin_reset_invalid' });
    expect((await problemOf(await confirmReset(resident, stranger, code))).attemptsRemaining).toBeUndefined();

    // A login challenge signed by the right device is not a pin_reset signature.
    const login = await ctx.app.request('/v1/challenges', jsonRequest('POST', { purpose: 'login' }, { 'cf-connecting-ip': resident.ip }));
    const challenge = (await login.json()) as { challengeId: string; nonce: string };
    const signature = await signChallenge(resident.device, 'login', challenge.challengeId, challenge.nonce);
    const crossPurpose = await ctx.app.request(
      '/v1/auth/pin-reset/confirm',
      jsonRequest('POST', { nik: resident.nik, challengeId: challenge.challengeId, signature, code, newPin: NEW_PIN }, { 'cf-connecting-ip': resident.ip }),
    );
    expect(crossPurpose.status).toBe(401);

    const unknown = await confirmReset({ nik: '7310045705900999', ip: resident.ip }, stranger, code);
    expect(unknown.status).toBe(401);
    expect((await problemOf(unknown)).code).toBe('pin_reset_invalid');
    // None of these spent a code attempt; the holder's own device still resets.
    const [row] = await ctx.deps.db.select().from(pinResets).where(eq(pinResets.accountId, resident.accountId));
    expect(row!.failedAttempts).toBe(0);
    expect((await confirmReset(resident, resident.device, code)).status).toBe(204);
  });

  it('refuses a replayed challenge: the request signature is single use too', async () => {
    const resident = await freshResident();
    const body = { nik: resident.nik, ...(await signed(resident.device, resident.ip)) };
    const first = await ctx.app.request('/v1/auth/pin-reset', jsonRequest('POST', body, { 'cf-connecting-ip': resident.ip }));
    const replay = await ctx.app.request('/v1/auth/pin-reset', jsonRequest('POST', body, { 'cf-connecting-ip': resident.ip }));
    expect([first.status, replay.status]).toEqual([202, 202]);
    expect(await mailsTo(resident.email, 'pin_reset_code')).toHaveLength(1);
  });

  it('mails a suspended account nothing', async () => {
    const resident = await freshResident();
    await ctx.deps.db.update(accounts).set({ status: 'suspended' }).where(eq(accounts.id, resident.accountId));
    expect((await requestReset(resident, resident.device)).status).toBe(202);
    expect(await mailsTo(resident.email, 'pin_reset_code')).toHaveLength(0);
  });

  it('is rate-limited: per address before any lookup, and per account in codes mailed', async () => {
    const ip = testIp();
    const stranger = await newDeviceKey();
    const statuses: number[] = [];
    for (let i = 0; i < PIN_RESET_LIMITS.requestPerIp.limit; i++) statuses.push((await requestReset({ nik: '7310045705900999', ip }, stranger)).status);
    expect(statuses.every((s) => s === 202)).toBe(true);
    const limited = await requestReset({ nik: '7310045705900999', ip }, stranger);
    expect(limited.status).toBe(429);
    expect((await problemOf(limited)).code).toBe('rate_limited');
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);

    const resident = await freshResident();
    for (let i = 0; i < PIN_RESET_LIMITS.requestPerAccount.limit; i++) {
      expect((await requestReset({ nik: resident.nik, ip: testIp() }, resident.device)).status).toBe(202);
    }
    const tooMany = await requestReset({ nik: resident.nik, ip: testIp() }, resident.device);
    expect(tooMany.status).toBe(429);
    expect(await mailsTo(resident.email, 'pin_reset_code')).toHaveLength(PIN_RESET_LIMITS.requestPerAccount.limit);
  });
});

describe('Lupa PIN: the contract', () => {
  it('documents both routes and the pin_reset challenge purpose in /openapi.json', async () => {
    const doc = (await (await ctx.app.request('/openapi.json')).json()) as {
      paths: Record<string, Record<string, { summary?: string; requestBody?: { content: Record<string, { schema: { properties?: Record<string, { enum?: string[] }> } }> } }>>;
    };
    expect(doc.paths['/v1/auth/pin-reset']?.post?.summary).toBeTruthy();
    expect(doc.paths['/v1/auth/pin-reset/confirm']?.post?.summary).toBeTruthy();
    const purpose = doc.paths['/v1/challenges']?.post?.requestBody?.content['application/json']?.schema.properties?.purpose;
    expect(purpose?.enum).toContain('pin_reset');
  });
});
