/**
 * The PIN lock (DESIGN.md security 3): the device signature before any PIN, 5 wrong PINs lock 15 min then double,
 * the counter advances before the PIN is judged (20 parallel guesses get exactly 5 judged), per-IP limits.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PinHasher } from '../../src/crypto/pin.js';
import { createPinHasher } from '../../src/crypto/pin.js';
import { accounts } from '../../src/db/schema/index.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { newDeviceKey } from '../helpers/enrolment.js';
import { accountRow, asResident, createActiveResident, postLogin } from '../helpers/resident.js';

const WRONG = '135792';

// Counts how many PINs are judged (argon2 verifies), to prove what the counter guarantees.
let verifies = 0;
const real = createPinHasher('test-pepper-0123456789abcdef');
const countingPins: PinHasher = {
  hash: (pin) => real.hash(pin),
  verify: (hash, pin) => {
    verifies++;
    return real.verify(hash, pin);
  },
};

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ deps: { pins: countingPins } });
});
afterAll(async () => {
  await ctx?.close();
});

const codeOf = async (res: Response) => ((await res.json()) as { code: string }).code;

describe('PIN lock', () => {
  it('locks after 5 consecutive wrong PINs for 15 min (423 + Retry-After), then 30 min, then 60', async () => {
    const resident = await createActiveResident(ctx, { login: false });
    for (let i = 0; i < 5; i++) {
      const res = await postLogin(ctx, resident, WRONG);
      expect(res.status).toBe(401);
    }
    let row = await accountRow(ctx, resident.accountId);
    expect(row.lockCount).toBe(1);
    expect(row.lockedUntil).toEqual(new Date(ctx.clock.now().getTime() + 15 * 60_000));

    const locked = await postLogin(ctx, resident, resident.pin); // even the right PIN
    expect(locked.status).toBe(423);
    expect(await codeOf(locked)).toBe('account_locked');
    expect(locked.headers.get('Retry-After')).toBe('900');
    ctx.clock.advance(10 * 60_000);
    expect((await postLogin(ctx, resident, resident.pin)).headers.get('Retry-After')).toBe('300');

    ctx.clock.advance(5 * 60_000);
    expect((await postLogin(ctx, resident, resident.pin)).status).toBe(200); // the lock ended; the counter resets
    for (let i = 0; i < 5; i++) await postLogin(ctx, resident, WRONG);
    const second = await postLogin(ctx, resident, resident.pin);
    expect(second.status).toBe(423);
    expect(second.headers.get('Retry-After')).toBe('1800');
    row = await accountRow(ctx, resident.accountId);
    expect(row.lockCount).toBe(2);

    ctx.clock.advance(30 * 60_000);
    for (let i = 0; i < 5; i++) expect((await postLogin(ctx, resident, WRONG)).status).toBe(401);
    expect((await postLogin(ctx, resident, resident.pin)).headers.get('Retry-After')).toBe('3600');
  });

  it('counts consecutive failures only: a right PIN resets the counter', async () => {
    const resident = await createActiveResident(ctx, { login: false });
    for (let i = 0; i < 4; i++) await postLogin(ctx, resident, WRONG);
    expect((await accountRow(ctx, resident.accountId)).pinFailures).toBe(4);
    expect((await postLogin(ctx, resident, resident.pin)).status).toBe(200);
    expect((await accountRow(ctx, resident.accountId)).pinFailures).toBe(0);
    for (let i = 0; i < 4; i++) await postLogin(ctx, resident, WRONG);
    expect((await postLogin(ctx, resident, resident.pin)).status).toBe(200);
    expect((await accountRow(ctx, resident.accountId)).lockCount).toBe(0);
  });

  it('judges exactly 5 of 20 parallel wrong guesses; the other 15 are refused unjudged', async () => {
    const resident = await createActiveResident(ctx, { login: false });
    const before = verifies;
    const results = await Promise.all(Array.from({ length: 20 }, () => postLogin(ctx, resident, WRONG)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 423)).toHaveLength(15);
    expect(verifies - before).toBe(5);
    const row = await accountRow(ctx, resident.accountId);
    expect(row.lockCount).toBe(1);
    expect(row.lockedUntil!.getTime()).toBeGreaterThan(ctx.clock.now().getTime());
  });

  it('judges exactly 5 of 20 parallel wrong PINs at QR issuance too (its own attempt statement)', async () => {
    const resident = await createActiveResident(ctx);
    const before = verifies;
    const results = await Promise.all(
      Array.from({ length: 20 }, () => asResident(ctx, resident, 'POST', '/v1/me/ktp/qr', { pin: WRONG, format: 'none' })),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 423)).toHaveLength(15);
    expect(verifies - before).toBe(5);
    expect((await accountRow(ctx, resident.accountId)).lockCount).toBe(1);
  });

  it('counts wrong PINs at login and at QR issuance together', async () => {
    const resident = await createActiveResident(ctx);
    for (let i = 0; i < 3; i++) expect((await postLogin(ctx, resident, WRONG)).status).toBe(401);
    for (let i = 0; i < 2; i++) {
      const res = await asResident(ctx, resident, 'POST', '/v1/me/ktp/qr', { pin: WRONG, format: 'none' });
      expect(res.status).toBe(401);
      expect(await codeOf(res)).toBe('pin_invalid');
    }
    const qr = await asResident(ctx, resident, 'POST', '/v1/me/ktp/qr', { pin: resident.pin, format: 'none' });
    expect(qr.status).toBe(423);
    expect(qr.headers.get('Retry-After')).toBe('900');
    expect((await postLogin(ctx, resident, resident.pin)).status).toBe(423);
  });

  it('judges no PIN without the device: a stranger cannot guess, nor lock the holder out', async () => {
    const resident = await createActiveResident(ctx, { login: false });
    const stranger = await newDeviceKey();
    const before = verifies;
    for (let i = 0; i < 8; i++) {
      const res = await postLogin(ctx, resident, WRONG, { device: stranger });
      expect(res.status).toBe(401);
    }
    const row = await accountRow(ctx, resident.accountId);
    expect(row.pinFailures).toBe(0);
    expect(row.lockedUntil).toBeNull();
    // Each refusal still cost one argon2 verify (against a dummy hash): comparable time, no oracle.
    expect(verifies - before).toBe(8);
    expect((await postLogin(ctx, resident, resident.pin)).status).toBe(200);
  });

  it('spends an argon2 verify on an unknown NIK too', async () => {
    const before = verifies;
    const res = await postLogin(ctx, { nik: '7310041705909998', device: await newDeviceKey(), ip: '192.0.2.77' }, WRONG);
    expect(res.status).toBe(401);
    expect(verifies - before).toBe(1);
  });

  it('limits logins per client IP (429 rate_limited with Retry-After), whoever they are for', async () => {
    const device = await newDeviceKey();
    const ip = '192.0.2.200';
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await postLogin(ctx, { nik: '7310041705909997', device, ip }, WRONG)).status);
    expect(statuses.every((s) => s === 401)).toBe(true);
    const limited = await postLogin(ctx, { nik: '7310041705909997', device, ip }, WRONG);
    expect(limited.status).toBe(429);
    expect(await codeOf(limited)).toBe('rate_limited');
    expect(Number(limited.headers.get('Retry-After'))).toBeGreaterThan(0);
    // Another IP is not affected.
    const resident = await createActiveResident(ctx, { login: false });
    expect((await postLogin(ctx, resident, resident.pin)).status).toBe(200);
  });

  it('refuses PINs on a suspended account without judging them', async () => {
    const resident = await createActiveResident(ctx, { login: false });
    await ctx.deps.db.update(accounts).set({ status: 'suspended' }).where(eq(accounts.id, resident.accountId));
    const before = verifies;
    const res = await postLogin(ctx, resident, resident.pin);
    expect(res.status).toBe(403);
    expect(verifies - before).toBe(0);
  });
});
