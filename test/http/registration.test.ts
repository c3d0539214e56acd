import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { accounts, registrations } from '../../src/db/schema/index.js';
import { seedDemoResidents } from '../../src/registry/seeded.js';
import { createTestContext, jsonRequest, type TestContext } from '../helpers/context.js';
import {
  newDeviceKey,
  postRegistration,
  registerResident,
  registrationBody,
  registrationRow,
  seedResident,
  type RegistrationBody,
} from '../helpers/enrolment.js';

let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx.close();
});

const DAY = 24 * 3600_000;
const pngBytes = () =>
  Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('0000000d49484452', 'hex'), Buffer.alloc(64, 7)]);
const jpegBytes = () => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(64, 3)]);
const dataUrl = (type: string, bytes: Buffer) => `data:${type};base64,${bytes.toString('base64')}`;

describe('POST /v1/registrations — happy path', () => {
  it('creates a pending registration that expires in 7 days, with the phone normalised', async () => {
    const resident = await seedResident(ctx);
    const device = await newDeviceKey();
    const res = await postRegistration(ctx, registrationBody(resident, device, { phone: '+62 812-3456-7890' }));
    expect(res.status).toBe(201);
    const body = (await res.json()) as { registrationId: string; status: string; expiresAt: string };
    expect(body.status).toBe('pending_verification');
    expect(body.registrationId).toMatch(/^reg_/);
    expect(new Date(body.expiresAt).getTime()).toBe(ctx.clock.now().getTime() + 7 * DAY);

    const row = await registrationRow(ctx, body.registrationId);
    expect(row).toMatchObject({ status: 'pending_verification', kind: 'new', phone: '+6281234567890', rejectionReason: null });
    const status = await ctx.app.request(`/v1/registrations/${body.registrationId}`);
    expect(status.status).toBe(200);
    expect(await status.json()).toEqual({ status: 'pending_verification' });
  });

  it.each([
    ['081234567890', '+6281234567890'],
    ['6281234567890', '+6281234567890'],
    ['+62 857 1234 567', '+628571234567'],
    ['(0812) 3456.78901', '+62812345678901'],
  ])('normalises phone %s to %s', async (phone, normalised) => {
    const { registrationId } = await registerResident(ctx, undefined, { phone });
    expect((await registrationRow(ctx, registrationId)).phone).toBe(normalised);
  });

  it('compares names without regard to case or spacing', async () => {
    const resident = await seedResident(ctx, { name: 'SITI NURHALIZA' });
    const res = await postRegistration(ctx, registrationBody({ ...resident, name: '  siti   Nurhaliza ' }, await newDeviceKey()));
    expect(res.status).toBe(201);
  });

  it('accepts someone under 17 who is (or was) married', async () => {
    const resident = await seedResident(ctx, { birthDate: '2010-02-03', maritalStatus: 'KAWIN' });
    expect((await postRegistration(ctx, registrationBody(resident, await newDeviceKey()))).status).toBe(201);
    const widowed = await seedResident(ctx, { birthDate: '2010-02-04', maritalStatus: 'CERAI MATI' });
    expect((await postRegistration(ctx, registrationBody(widowed, await newDeviceKey()))).status).toBe(201);
  });

  it('keeps a selfie that really is a JPEG or PNG', async () => {
    const png = await registerResident(ctx, undefined, { selfie: dataUrl('image/png', pngBytes()) });
    const jpeg = await registerResident(ctx, undefined, { selfie: dataUrl('image/jpeg', jpegBytes()) });
    const pngRow = await registrationRow(ctx, png.registrationId);
    expect(pngRow.selfieType).toBe('image/png');
    expect(Buffer.from(pngRow.selfie!).equals(pngBytes())).toBe(true);
    expect((await registrationRow(ctx, jpeg.registrationId)).selfieType).toBe('image/jpeg');
  });

  it('turns a registration for a NIK with an active IKD into a device replacement, with the same answer', async () => {
    const resident = await seedResident(ctx);
    const now = ctx.clock.now();
    await ctx.deps.db.insert(accounts).values({
      id: `acc_test_${resident.nik}`,
      nik: resident.nik,
      email: 'lama@example.id',
      phone: '+6281200000000',
      status: 'active',
      pinHash: 'x',
      activatedAt: now,
      createdAt: now,
      updatedAt: now,
    });
    const res = await postRegistration(ctx, registrationBody(resident, await newDeviceKey()));
    expect(res.status).toBe(201);
    const body = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['expiresAt', 'registrationId', 'status']);
    expect(body.status).toBe('pending_verification');
    expect((await registrationRow(ctx, body.registrationId as string)).kind).toBe('device_replacement');
  });
});

describe('POST /v1/registrations — format errors (400)', () => {
  it('lists every bad field at once', async () => {
    const resident = await seedResident(ctx);
    const res = await postRegistration(ctx, {
      ...registrationBody(resident, await newDeviceKey()),
      nik: '7310041207850000',
      birthDate: '1990-02-30',
      email: 'not-an-email',
      phone: '0212345678',
      devicePublicKey: 'abc',
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { code: string; errors: { path: string }[] };
    expect(body.code).toBe('invalid_request');
    expect(body.errors.map((e) => e.path).sort()).toEqual(['birthDate', 'devicePublicKey', 'email', 'nik', 'phone']);
  });

  it.each([
    ['15 digits', '731004120785900'],
    ['letters', '73100412078590AB'],
    ['unknown province', '9910041207859001'],
    ['unknown district', '7310991207859001'],
    ['impossible birth date', '7310043202859001'],
    ['serial 0000', '7310041207850000'],
  ])('refuses a NIK with %s', async (_what, nik) => {
    const resident = await seedResident(ctx);
    const res = await postRegistration(ctx, { ...registrationBody(resident, await newDeviceKey()), nik });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { code: string; errors: { path: string }[] };
    expect(body.errors.map((e) => e.path)).toEqual(['nik']);
  });

  it.each(['+1 415 555 0100', '0812', '08123456789012345', '0212345678', 'phone'])('refuses phone %s', async (phone) => {
    const resident = await seedResident(ctx);
    const res = await postRegistration(ctx, registrationBody(resident, await newDeviceKey(), { phone }));
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: { path: string }[] }).errors.map((e) => e.path)).toEqual(['phone']);
  });

  it('refuses a device key that is not a raw 32-byte Ed25519 key', async () => {
    const resident = await seedResident(ctx);
    for (const devicePublicKey of [Buffer.alloc(31, 1).toString('base64url'), Buffer.alloc(33, 1).toString('base64url'), '!'.repeat(43)]) {
      const res = await postRegistration(ctx, registrationBody(resident, await newDeviceKey(), { devicePublicKey }));
      expect(res.status).toBe(400);
    }
  });

  it.each([
    ['a text file named PNG', dataUrl('image/png', Buffer.from('hello, I am not an image at all'))],
    ['JPEG bytes declared as PNG', dataUrl('image/png', jpegBytes())],
    ['a GIF', dataUrl('image/png', Buffer.from('GIF89a.................'))],
    ['an SVG type', dataUrl('image/svg+xml', Buffer.from('<svg/>'))],
    ['no data URL', 'https://example.id/me.png'],
    ['over 300 KB', dataUrl('image/png', Buffer.concat([pngBytes(), Buffer.alloc(300 * 1024, 1)]))],
  ])('refuses a selfie that is %s', async (_what, selfie) => {
    const resident = await seedResident(ctx);
    const res = await postRegistration(ctx, registrationBody(resident, await newDeviceKey(), { selfie }));
    expect(res.status).toBe(400);
    const body = (await res.json()) as { code: string; errors: { path: string }[] };
    expect(body.code).toBe('invalid_request');
    expect(body.errors.map((e) => e.path)).toEqual(['selfie']);
  });

  it('refuses a missing field and broken JSON', async () => {
    const resident = await seedResident(ctx);
    const { email: _omit, ...noEmail } = registrationBody(resident, await newDeviceKey());
    expect((await postRegistration(ctx, noEmail)).status).toBe(400);
    expect((await postRegistration(ctx, '{"nik":')).status).toBe(400);
  });
});

describe('POST /v1/registrations — registry rejections (422)', () => {
  it('answers every reason with one identical body and keeps the reason for operators', async () => {
    const demo = await seedDemoResidents(ctx.deps.db);
    const eligible = await seedResident(ctx);
    const cases: { reason: string; body: RegistrationBody }[] = [];
    const device = await newDeviceKey();
    for (const r of demo.filter((d) => !d.eligible)) {
      cases.push({ reason: `registry:${r.reason}`, body: registrationBody(r, device) });
    }
    const own = {
      noKtpEl: await seedResident(ctx, { ktpElRecorded: false }),
      deceased: await seedResident(ctx, { deceased: true }),
      duplicate: await seedResident(ctx, { recordStatus: 'duplicate' }),
      minor: await seedResident(ctx, { birthDate: '2012-01-09', maritalStatus: 'BELUM KAWIN' }),
    };
    cases.push(
      { reason: 'registry:no_ktp_el', body: registrationBody(own.noKtpEl, device) },
      { reason: 'registry:deceased', body: registrationBody(own.deceased, device) },
      { reason: 'registry:duplicate_record', body: registrationBody(own.duplicate, device) },
      { reason: 'registry:under_17_unmarried', body: registrationBody(own.minor, device) },
      // A valid NIK structure nobody holds.
      { reason: 'registry:not_in_registry', body: registrationBody({ ...eligible, nik: '7310041207859876' }, device) },
      { reason: 'registry:data_mismatch', body: registrationBody({ ...eligible, name: 'ORANG LAIN' }, device) },
      { reason: 'registry:data_mismatch', body: registrationBody({ ...eligible, birthDate: '1990-05-18' }, device) },
    );
    expect(new Set(cases.map((c) => c.reason)).size).toBe(6);

    const bodies: string[] = [];
    for (const c of cases) {
      const res = await postRegistration(ctx, c.body);
      expect(res.status, c.reason).toBe(422);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      const { requestId, ...rest } = (await res.json()) as Record<string, unknown>;
      expect(requestId).toBeTruthy();
      expect(rest.code).toBe('registration_rejected');
      bodies.push(JSON.stringify(rest));
    }
    expect(new Set(bodies).size).toBe(1);
    expect(bodies[0]).not.toMatch(/registry|deceased|mismatch|ktp|duplicate|17/i);

    // Stored for operators, with the reason.
    for (const c of cases) {
      const rows = await ctx.deps.db.select().from(registrations).where(eq(registrations.nik, c.body.nik));
      expect(rows.some((r) => r.status === 'rejected' && r.rejectionReason === c.reason), c.reason).toBe(true);
    }
  });

  it('gives the same rejection in English apart from the title language', async () => {
    const res = await postRegistration(ctx, registrationBody({ nik: '7310041207859877', name: 'X', birthDate: '1985-07-12' }, await newDeviceKey()), {
      'Accept-Language': 'en',
    });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { title: string }).title).toBe('Registration rejected');
  });

  it('does the same work for unknown and known NIKs: both are stored', async () => {
    const known = await seedResident(ctx);
    const before = (await ctx.deps.db.select().from(registrations)).length;
    await postRegistration(ctx, registrationBody(known, await newDeviceKey()));
    await postRegistration(ctx, registrationBody({ ...known, nik: '7310041705909988' }, await newDeviceKey()));
    expect((await ctx.deps.db.select().from(registrations)).length).toBe(before + 2);
  });
});

describe('registration expiry and status', () => {
  it('is expired after 7 days when read', async () => {
    const { registrationId } = await registerResident(ctx);
    ctx.clock.advance(7 * DAY - 1000);
    expect(await (await ctx.app.request(`/v1/registrations/${registrationId}`)).json()).toEqual({ status: 'pending_verification' });
    ctx.clock.advance(1000);
    expect(await (await ctx.app.request(`/v1/registrations/${registrationId}`)).json()).toEqual({ status: 'expired' });
    expect((await registrationRow(ctx, registrationId)).status).toBe('expired');
  });

  it('answers 404 for an unknown registration', async () => {
    const res = await ctx.app.request('/v1/registrations/reg_doesnotexist0000');
    expect(res.status).toBe(404);
    expect(((await res.json()) as { code: string }).code).toBe('not_found');
  });
});

describe('rate limits', () => {
  it('limits refused registrations per NIK and address with 429 and Retry-After', async () => {
    const resident = await seedResident(ctx);
    const headers = { 'cf-connecting-ip': '192.0.2.78' };
    const junk = async () => registrationBody(resident, await newDeviceKey(), { name: 'ORANG LAIN' });
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await postRegistration(ctx, await junk(), headers)).status);
    expect(statuses.every((s) => s === 422)).toBe(true);
    const res = await postRegistration(ctx, await junk(), headers);
    expect(res.status).toBe(429);
    expect(((await res.json()) as { code: string }).code).toBe('rate_limited');
    expect(Number(res.headers.get('Retry-After'))).toBeGreaterThan(0);
    // A new window lets that address try again.
    ctx.clock.advance(3600_000);
    expect((await postRegistration(ctx, await junk(), headers)).status).toBe(422);
  });

  it('limits registrations per client IP', async () => {
    const headers = { 'cf-connecting-ip': '192.0.2.77' };
    for (let i = 0; i < 60; i++) {
      const res = await ctx.app.request('/v1/registrations', jsonRequest('POST', { nik: 'x', name: 'x', birthDate: 'x', email: 'x', phone: 'x', devicePublicKey: 'x' }, headers));
      expect(res.status).toBe(400);
    }
    const res = await ctx.app.request('/v1/registrations', jsonRequest('POST', { nik: 'x', name: 'x', birthDate: 'x', email: 'x', phone: 'x', devicePublicKey: 'x' }, headers));
    expect(res.status).toBe(429);
    expect(res.headers.get('Retry-After')).toMatch(/^\d+$/);
  });
});
