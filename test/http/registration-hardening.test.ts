/** Issue #15.3–4: a stranger cannot block a NIK's holder from registering; weak device keys are refused. */
import * as ed from '@noble/ed25519';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { newDeviceKey, postRegistration, registrationBody, seedResident } from '../helpers/enrolment.js';

let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx.close();
});

describe('registration blocking (per NIK and address, refusals only)', () => {
  it('ten junk registrations with a victim NIK from one address do not block the victim elsewhere', async () => {
    const victim = await seedResident(ctx);
    const junk = (device: Awaited<ReturnType<typeof newDeviceKey>>) => registrationBody(victim, device, { name: 'BUKAN PEMILIK' });
    for (let i = 0; i < 10; i++) {
      const res = await postRegistration(ctx, junk(await newDeviceKey()), { 'cf-connecting-ip': '192.0.2.66' });
      expect(res.status).toBe(422);
      expect(((await res.json()) as { code: string }).code).toBe('registration_rejected');
    }
    const limited = await postRegistration(ctx, junk(await newDeviceKey()), { 'cf-connecting-ip': '192.0.2.66' });
    expect(limited.status).toBe(429);
    expect(((await limited.json()) as { code: string }).code).toBe('rate_limited');

    const real = await postRegistration(ctx, registrationBody(victim, await newDeviceKey()), { 'cf-connecting-ip': '192.0.2.67' });
    expect(real.status).toBe(201);
  });

  it('a registration that matches the registry is never counted, even from the junk address', async () => {
    const victim = await seedResident(ctx);
    for (let i = 0; i < 11; i++) {
      const res = await postRegistration(ctx, registrationBody(victim, await newDeviceKey()), { 'cf-connecting-ip': '192.0.2.68' });
      expect(res.status).toBe(201);
    }
    for (let i = 0; i < 10; i++) {
      const res = await postRegistration(ctx, registrationBody(victim, await newDeviceKey(), { birthDate: '1991-01-01' }), { 'cf-connecting-ip': '192.0.2.68' });
      expect(res.status).toBe(422);
    }
    expect((await postRegistration(ctx, registrationBody(victim, await newDeviceKey()), { 'cf-connecting-ip': '192.0.2.68' })).status).toBe(201);
  });
});

// The torsion subgroup: every point P with 8·P = identity, canonically encoded.
const SMALL_ORDER = [
  '0100000000000000000000000000000000000000000000000000000000000000',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0000000000000000000000000000000000000000000000000000000000000080',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85',
];

describe('weak device keys', () => {
  it('the list really is the eight small-order points (checked with noble)', () => {
    const points = SMALL_ORDER.map((hex) => ed.Point.fromHex(hex));
    expect(points.every((p) => p.isSmallOrder())).toBe(true);
    expect(new Set(points.map((p) => p.toHex())).size).toBe(8);
  });

  it.each(SMALL_ORDER)('refuses the small-order point %s with 400 on devicePublicKey', async (hex) => {
    const resident = await seedResident(ctx);
    const res = await postRegistration(ctx, registrationBody(resident, await newDeviceKey(), { devicePublicKey: Buffer.from(hex, 'hex').toString('base64url') }));
    expect(res.status).toBe(400);
    const body = (await res.json()) as { code: string; errors: { path: string }[] };
    expect(body.code).toBe('invalid_request');
    expect(body.errors.map((e) => e.path)).toEqual(['devicePublicKey']);
  });

  it('refuses non-canonical encodings (y >= p), with and without the sign bit', async () => {
    const resident = await seedResident(ctx);
    const p = 2n ** 255n - 19n;
    for (const k of [0n, 1n, 2n, 3n, 18n]) {
      for (const sign of [0, 0x80]) {
        const bytes = Buffer.from((p + k).toString(16).padStart(64, '0'), 'hex').reverse();
        bytes[31] = (bytes[31]! & 0x7f) | sign;
        const res = await postRegistration(ctx, registrationBody(resident, await newDeviceKey(), { devicePublicKey: bytes.toString('base64url') }));
        expect(res.status).toBe(400);
        expect(((await res.json()) as { errors: { path: string }[] }).errors.map((e) => e.path)).toEqual(['devicePublicKey']);
      }
    }
  });

  it('still accepts a real device key', async () => {
    const resident = await seedResident(ctx);
    expect((await postRegistration(ctx, registrationBody(resident, await newDeviceKey()))).status).toBe(201);
  });
});
