/**
 * Issue #16 points 10, 12 and 14 over HTTP: the registrant reads the open video call by a signed request; the old
 * phone after a device replacement is told so (and only it); approval names each missing box; times people read
 * are in the holder's or the office's zone (WIB / WITA / WIT).
 */
import { and, desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '../../src/db/schema/index.js';
import { composeNik } from '../../src/domain/enrolment/nik.js';
import { messages } from '../../src/web/i18n/index.js';
import { createTestContext, jsonRequest, type TestContext } from '../helpers/context.js';
import { decide, enrolResident, lookupAs, newChallenge, newDeviceKey, registerResident, seedResident, signChallenge, testIp, type DeviceKey } from '../helpers/enrolment.js';
import { createOperatorSession, operatorAuth } from '../helpers/operator.js';
import { asResident, createActiveResident, postLogin } from '../helpers/resident.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx?.close();
});

const readVideoCall = async (registrationId: string, device: DeviceKey) => {
  const challenge = await newChallenge(ctx);
  const signature = await signChallenge(device, 'registration_qr', challenge.challengeId, challenge.nonce);
  return ctx.app.request(`/v1/registrations/${registrationId}/video-call`, jsonRequest('POST', { challengeId: challenge.challengeId, signature }));
};

describe('the video call on the registrant’s page (#16.10)', () => {
  it('GET status says a call is open; the signed POST …/video-call gives its room and phrase to the registered device only', async () => {
    const { token } = await createOperatorSession(ctx);
    const reg = await registerResident(ctx);
    const status = async () => (await ctx.app.request(`/v1/registrations/${reg.registrationId}`)).json();
    expect(await status()).toEqual({ status: 'pending_verification' });
    const none = await readVideoCall(reg.registrationId, reg.device);
    expect(none.status).toBe(404);
    expect(((await none.json()) as { code: string }).code).toBe('not_found');

    expect((await lookupAs(ctx, token, reg.registrationId)).status).toBe(200);
    const started = await ctx.app.request('/v1/operator/video-calls', jsonRequest('POST', { registrationId: reg.registrationId }, operatorAuth(token)));
    expect(started.status).toBe(201);
    const call = (await started.json()) as { videoCallId: string; roomUrl: string; livenessPhrase: string; expiresAt: string };

    expect(await status()).toEqual({ status: 'pending_verification', videoCallOpen: true });
    const read = await readVideoCall(reg.registrationId, reg.device);
    expect(read.status).toBe(200);
    expect(await read.json()).toEqual({ roomUrl: call.roomUrl, livenessPhrase: call.livenessPhrase, expiresAt: call.expiresAt });

    // Another key, or a replayed challenge, reads nothing.
    const stranger = await readVideoCall(reg.registrationId, await newDeviceKey());
    expect(stranger.status).toBe(401);
    expect(((await stranger.json()) as { code: string }).code).toBe('signature_invalid');

    // Decided: the call is over for the page.
    const approved = await decide(ctx, token, reg.registrationId, {
      decision: 'approve',
      channel: 'video_call',
      videoCallId: call.videoCallId,
      ktpElSighted: true,
      faceMatch: 'match',
      consentRecorded: true,
    });
    expect(approved.status).toBe(200);
    expect(await status()).toEqual({ status: 'awaiting_activation' });
    const after = await readVideoCall(reg.registrationId, reg.device);
    expect(after.status).toBe(409);
    expect(((await after.json()) as { code: string }).code).toBe('registration_not_pending');
  });

  it('an expired call is no longer open', async () => {
    const { token } = await createOperatorSession(ctx);
    const reg = await registerResident(ctx);
    await lookupAs(ctx, token, reg.registrationId);
    expect((await ctx.app.request('/v1/operator/video-calls', jsonRequest('POST', { registrationId: reg.registrationId }, operatorAuth(token)))).status).toBe(201);
    ctx.clock.advance(31 * 60_000);
    expect(await (await ctx.app.request(`/v1/registrations/${reg.registrationId}`)).json()).toEqual({ status: 'pending_verification' });
    expect((await readVideoCall(reg.registrationId, reg.device)).status).toBe(404);
  });
});

describe('the old phone after a device replacement (#16.12)', () => {
  it('a login signed by the replaced device is 403 device_replaced; strangers and unknown NIKs keep the uniform 401', async () => {
    const { token } = await createOperatorSession(ctx);
    const pin = '258013';
    const first = await enrolResident(ctx, token, { pin });
    const ip = testIp();
    expect((await postLogin(ctx, { nik: first.resident.nik, device: first.device, ip }, pin)).status).toBe(200);

    const second = await enrolResident(ctx, token, { resident: first.resident, pin });
    expect((await postLogin(ctx, { nik: first.resident.nik, device: second.device, ip }, pin)).status).toBe(200);

    const old = await postLogin(ctx, { nik: first.resident.nik, device: first.device, ip }, pin);
    expect(old.status).toBe(403);
    expect(((await old.json()) as { code: string }).code).toBe('device_replaced');
    // Also with a wrong PIN: the device is what is judged, and no PIN attempt is spent on it.
    expect(((await (await postLogin(ctx, { nik: first.resident.nik, device: first.device, ip }, '000000')).json()) as { code: string }).code).toBe(
      'device_replaced',
    );

    const stranger = await postLogin(ctx, { nik: first.resident.nik, device: await newDeviceKey(), ip }, pin);
    const unknown = await postLogin(ctx, { nik: composeNik('731004', '1990-05-17', 'LAKI-LAKI', 9876), device: first.device, ip }, pin);
    for (const res of [stranger, unknown]) {
      expect(res.status).toBe(401);
      expect(((await res.json()) as { code: string }).code).toBe('login_failed');
    }
  });
});

describe('approval names the missing box (#16.12)', () => {
  it('422 approval_requirements_unmet lists each unticked check by its field', async () => {
    const { token } = await createOperatorSession(ctx);
    const reg = await registerResident(ctx);
    const res = await decide(ctx, token, reg.registrationId, { decision: 'approve', channel: 'counter', ktpElSighted: false, faceMatch: 'match', consentRecorded: false });
    expect(res.status).toBe(422);
    const problem = (await res.json()) as { code: string; errors: { path: string }[] };
    expect(problem.code).toBe('approval_requirements_unmet');
    expect(problem.errors.map((e) => e.path).sort()).toEqual(['consentRecorded', 'ktpElSighted']);
  });

  it('no Indonesian text says "video panggilan"; the console has a line for each box and words for raw values', async () => {
    for (const text of Object.values(messages.id)) expect(String(text).toLowerCase()).not.toContain('video panggilan');
    const html = await (await ctx.app.request('/operator')).text();
    expect(html).toContain('id="op-ktp-sighted-error"');
    expect(html).toContain('id="op-consent-error"');
    for (const key of ['op.accountStatus.active', 'op.accountStatus.suspended', 'op.role.operator', 'op.needCheck', 'err.device_replaced'] as const) {
      expect(messages.id[key]).toBeTruthy();
      expect(messages.en[key]).toBeTruthy();
    }
  });
});

describe('times in the holder’s and the office’s zone (#16.14)', () => {
  const places = [
    { district: '917101', zone: 'WIT', offset: 9 }, // Kota Jayapura, Papua
    { district: '317101', zone: 'WIB', offset: 7 }, // Jakarta Selatan
    { district: '517101', zone: 'WITA', offset: 8 }, // Denpasar, Bali
  ] as const;

  for (const place of places) {
    it(`a holder from ${place.district.slice(0, 2)} reads ${place.zone}: the PIN-changed e-mail and GET /v1/me`, async () => {
      const resident = await seedResident(ctx, { nik: composeNik(place.district, '1988-02-14', 'PEREMPUAN', 4321 + place.offset) });
      const holder = await createActiveResident(ctx, { resident });
      const me = await asResident(ctx, holder, 'GET', '/v1/me');
      expect(((await me.json()) as { timeZone: string }).timeZone).toBe(place.zone);
      expect((await asResident(ctx, holder, 'PUT', '/v1/me/pin', { currentPin: holder.pin, newPin: '739152' })).status).toBe(204);
      const [mail] = await ctx.deps.db
        .select()
        .from(outbox)
        .where(and(eq(outbox.to, holder.email), eq(outbox.template, 'pin_changed')))
        .orderBy(desc(outbox.seq));
      const local = new Date(ctx.clock.now().getTime() + place.offset * 3600_000);
      const hhmm = `${String(local.getUTCHours()).padStart(2, '0')}.${String(local.getUTCMinutes()).padStart(2, '0')}`;
      expect(mail!.text).toContain(`${hhmm} ${place.zone}.`);
      expect(mail!.html).toContain(`${hhmm} ${place.zone}`);
    });
  }

  it('the activation e-mail gives its deadline in the registrant’s zone (Pangkep: WITA)', async () => {
    const { token } = await createOperatorSession(ctx);
    const { mail } = await enrolResident(ctx, token);
    expect(mail.text).toMatch(/berlaku sampai .* \d{2}\.\d{2} WITA\b/);
    expect(mail.text).not.toContain('WIB');
  });

  it('an operator’s zone is the office’s: GET /v1/operator/me and the login answer', async () => {
    const papua = await createOperatorSession(ctx, 'operator', { officeCode: '9171' });
    expect(papua.operator).toMatchObject({ officeCode: '9171', timeZone: 'WIT' });
    const me = await ctx.app.request('/v1/operator/me', { headers: operatorAuth(papua.token) });
    expect(((await me.json()) as { timeZone: string }).timeZone).toBe('WIT');
    const pangkep = await createOperatorSession(ctx);
    expect(pangkep.operator).toMatchObject({ officeCode: '7310', timeZone: 'WITA' });
  });
});
