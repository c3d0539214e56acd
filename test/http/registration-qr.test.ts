import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { registrations } from '../../src/db/schema/index.js';
import { createTestContext, jsonRequest, type TestContext } from '../helpers/context.js';
import { decodeRegistrationQr } from '../../src/domain/enrolment/registration-qr.js';
import {
  newChallenge,
  newDeviceKey,
  postRegistration,
  registerResident,
  registrationBody,
  requestRegistrationQr,
  seedResident,
  signChallenge,
} from '../helpers/enrolment.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx.close();
});

const problemCode = async (res: Response) => ((await res.json()) as { code: string }).code;

describe('POST /v1/challenges', () => {
  it('issues a 120 s single-use challenge for login or registration_qr', async () => {
    for (const purpose of ['login', 'registration_qr']) {
      const res = await ctx.app.request('/v1/challenges', jsonRequest('POST', { purpose }));
      expect(res.status).toBe(201);
      const body = (await res.json()) as { challengeId: string; nonce: string; expiresAt: string };
      expect(body.nonce.length).toBeGreaterThanOrEqual(22);
      expect(new Date(body.expiresAt).getTime() - ctx.clock.now().getTime()).toBe(120_000);
    }
  });

  it('refuses an unknown purpose', async () => {
    const res = await ctx.app.request('/v1/challenges', jsonRequest('POST', { purpose: 'anything' }));
    expect(res.status).toBe(400);
  });
});

describe('POST /v1/registrations/{id}/qr', () => {
  it('gives a 5-minute, service-signed QR with its SVG', async () => {
    const { registrationId, device } = await registerResident(ctx);
    const res = await requestRegistrationQr(ctx, registrationId, device);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { qr: string; svg: string; expiresAt: string };
    expect(body.qr.startsWith('R1.')).toBe(true);
    expect(body.svg).toContain('<svg');
    expect(new Date(body.expiresAt).getTime()).toBe(ctx.clock.now().getTime() + 5 * 60_000);
    const decoded = decodeRegistrationQr(ctx.deps.keys, body.qr, ctx.clock.now());
    expect(decoded).toMatchObject({ ok: true, registrationId });
    // Nothing personal in the code: only the registration id, the expiry and the signature.
    expect(body.qr.length).toBeLessThan(140);
  });

  it('refuses a reused challenge', async () => {
    const { registrationId, device } = await registerResident(ctx);
    const challenge = await newChallenge(ctx);
    const signature = await signChallenge(device, 'registration_qr', challenge.challengeId, challenge.nonce);
    const body = { challengeId: challenge.challengeId, signature };
    const first = await ctx.app.request(`/v1/registrations/${registrationId}/qr`, jsonRequest('POST', body));
    expect(first.status).toBe(200);
    const replay = await ctx.app.request(`/v1/registrations/${registrationId}/qr`, jsonRequest('POST', body));
    expect(replay.status).toBe(401);
    expect(await problemCode(replay)).toBe('signature_invalid');
  });

  it('refuses a signature by another device key (401), and that burns the challenge', async () => {
    const { registrationId, device } = await registerResident(ctx);
    const stranger = await newDeviceKey();
    const challenge = await newChallenge(ctx);
    const forged = await signChallenge(stranger, 'registration_qr', challenge.challengeId, challenge.nonce);
    const res = await ctx.app.request(`/v1/registrations/${registrationId}/qr`, jsonRequest('POST', { challengeId: challenge.challengeId, signature: forged }));
    expect(res.status).toBe(401);
    expect(await problemCode(res)).toBe('signature_invalid');
    const genuine = await signChallenge(device, 'registration_qr', challenge.challengeId, challenge.nonce);
    const retry = await ctx.app.request(`/v1/registrations/${registrationId}/qr`, jsonRequest('POST', { challengeId: challenge.challengeId, signature: genuine }));
    expect(retry.status).toBe(401);
  });

  it('refuses a login challenge, a signature over another purpose and an expired challenge', async () => {
    const { registrationId, device } = await registerResident(ctx);
    const login = await newChallenge(ctx, 'login');
    const loginSig = await signChallenge(device, 'registration_qr', login.challengeId, login.nonce);
    const r1 = await ctx.app.request(`/v1/registrations/${registrationId}/qr`, jsonRequest('POST', { challengeId: login.challengeId, signature: loginSig }));
    expect(r1.status).toBe(401);

    const c2 = await newChallenge(ctx);
    const wrongPurpose = await signChallenge(device, 'login', c2.challengeId, c2.nonce);
    const r2 = await ctx.app.request(`/v1/registrations/${registrationId}/qr`, jsonRequest('POST', { challengeId: c2.challengeId, signature: wrongPurpose }));
    expect(r2.status).toBe(401);

    const c3 = await newChallenge(ctx);
    const sig3 = await signChallenge(device, 'registration_qr', c3.challengeId, c3.nonce);
    ctx.clock.advance(121_000);
    const r3 = await ctx.app.request(`/v1/registrations/${registrationId}/qr`, jsonRequest('POST', { challengeId: c3.challengeId, signature: sig3 }));
    expect(r3.status).toBe(401);
  });

  it('answers 404 for an unknown registration', async () => {
    const device = await newDeviceKey();
    const res = await requestRegistrationQr(ctx, 'reg_AAAAAAAAAAAAAAAA', device);
    expect(res.status).toBe(404);
    expect(await problemCode(res)).toBe('not_found');
  });

  it('answers 409 registration_not_pending for a rejected or expired registration', async () => {
    const resident = await seedResident(ctx, { deceased: true });
    const device = await newDeviceKey();
    const rejected = await postRegistration(ctx, registrationBody(resident, device));
    expect(rejected.status).toBe(422);
    const [row] = await ctx.deps.db.select().from(registrations).where(eq(registrations.nik, resident.nik));
    const res = await requestRegistrationQr(ctx, row!.id, device);
    expect(res.status).toBe(409);
    expect(await problemCode(res)).toBe('registration_not_pending');

    const pending = await registerResident(ctx);
    ctx.clock.advance(7 * 24 * 3600_000);
    const late = await requestRegistrationQr(ctx, pending.registrationId, pending.device);
    expect(late.status).toBe(409);
    expect(await problemCode(late)).toBe('registration_not_pending');
  });

  it('refuses a malformed body', async () => {
    const { registrationId } = await registerResident(ctx);
    const res = await ctx.app.request(`/v1/registrations/${registrationId}/qr`, jsonRequest('POST', { challengeId: 1 }));
    expect(res.status).toBe(400);
  });
});
