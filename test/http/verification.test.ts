import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { base45Encode } from '../../src/crypto/base45.js';
import { generateKeyRing, KeyRing } from '../../src/crypto/keyring.js';
import { encodeKtpToken } from '../../src/crypto/token-codec.js';
import { activations, auditLog, outbox, videoCalls } from '../../src/db/schema/index.js';
import { encodeRegistrationQr } from '../../src/domain/enrolment/registration-qr.js';
import { createTestContext, jsonRequest, type TestContext } from '../helpers/context.js';
import { createOperatorSession, operatorAuth } from '../helpers/operator.js';
import {
  activationMail,
  activationRows,
  approve,
  counterApproval,
  decide,
  newDeviceKey,
  postActivation,
  postRegistration,
  registerResident,
  registrationBody,
  registrationQr,
  registrationRow,
  seedResident,
} from '../helpers/enrolment.js';

let ctx: TestContext;
let token: string;
let operatorId: string;

beforeAll(async () => {
  ctx = await createTestContext();
});
// The tests move the clock by minutes and days: a fresh console session each time (sessions idle out after 30 min).
beforeEach(async () => {
  const session = await createOperatorSession(ctx);
  token = session.token;
  operatorId = session.operator.id;
});
afterAll(async () => {
  await ctx.close();
});

const code = async (res: Response) => ((await res.json()) as { code: string }).code;
const lookup = (qr: unknown, auth = operatorAuth(token)) =>
  ctx.app.request('/v1/operator/registrations/lookup', jsonRequest('POST', { qr }, auth));
const startCall = (registrationId: string) =>
  ctx.app.request('/v1/operator/video-calls', jsonRequest('POST', { registrationId }, operatorAuth(token)));
const pngSelfie = `data:image/png;base64,${Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(40, 9)]).toString('base64')}`;

describe('POST /v1/operator/registrations/lookup', () => {
  it('shows the registration and the registry record with its photo, and audits the look', async () => {
    const reg = await registerResident(ctx, undefined, { selfie: pngSelfie });
    const qr = await registrationQr(ctx, reg.registrationId, reg.device);
    const res = await lookup(qr);
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      registration: Record<string, unknown>;
      resident: Record<string, unknown> & { address: Record<string, string>; photo: string };
      account: unknown;
    };
    expect(body.registration).toMatchObject({
      id: reg.registrationId,
      status: 'pending_verification',
      kind: 'new',
      email: reg.email,
      phone: '+6281234567890',
      selfie: pngSelfie,
    });
    expect(body.registration.createdAt).toBe(ctx.clock.now().toISOString());
    expect(body.resident).toMatchObject({ nik: reg.resident.nik, name: reg.resident.name, birthDate: reg.resident.birthDate, birthPlace: 'PANGKAJENE', sex: 'LAKI-LAKI' });
    expect(body.resident.address.regency).toBe('KABUPATEN PANGKAJENE DAN KEPULAUAN');
    expect(body.resident.photo).toMatch(/^data:image\/(png|jpeg);base64,/);
    expect(body.account).toBeNull();
    const audit = await ctx.deps.db.select().from(auditLog).where(and(eq(auditLog.action, 'registration.lookup'), eq(auditLog.targetId, reg.registrationId)));
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actorId).toBe(operatorId);
  });

  it('shows a rejected registration with the reason, to operators', async () => {
    const reg = await registerResident(ctx);
    const qr = await registrationQr(ctx, reg.registrationId, reg.device);
    const rejected = await decide(ctx, token, reg.registrationId, { ...counterApproval, decision: 'reject', reason: 'wajah tidak cocok' });
    expect(rejected.status).toBe(200);
    const body = (await (await lookup(qr)).json()) as { registration: Record<string, unknown> };
    expect(body.registration).toMatchObject({ status: 'rejected', rejectionReason: 'wajah tidak cocok' });
  });

  it('refuses garbage, tampering, a foreign key, a KTP token and a non-string (400 qr_invalid)', async () => {
    const reg = await registerResident(ctx);
    const qr = await registrationQr(ctx, reg.registrationId, reg.device);
    const otherRing = new KeyRing(generateKeyRing());
    const foreign = encodeRegistrationQr(otherRing, reg.registrationId, new Date(ctx.clock.now().getTime() + 60_000));
    const lastChar = qr.at(-2) === 'A' ? 'B' : 'A';
    const tampered = qr.slice(0, -2) + lastChar + qr.at(-1);
    const otherId = qr.replace(reg.registrationId, 'reg_AAAAAAAAAAAAAAAA');
    const ktpToken = encodeKtpToken(ctx.deps.keys, { tokenId: new Uint8Array(12), elements: ['nik', 'name'], expiresAt: new Date(ctx.clock.now().getTime() + 90_000) }).token;
    const ktpLike = base45Encode(new Uint8Array([0x01, ...new Uint8Array(114)]));
    for (const bad of ['', 'hello', 'R1.', qr + 'x', tampered, otherId, foreign, ktpToken, ktpLike, 'R1.' + 'A'.repeat(200)]) {
      const res = await lookup(bad);
      expect(res.status, bad.slice(0, 20)).toBe(400);
      expect(await code(res)).toBe('qr_invalid');
    }
    expect((await lookup(12345)).status).toBe(400);
  });

  it('refuses a registration QR after its 5 minutes (410 qr_expired)', async () => {
    const reg = await registerResident(ctx);
    const qr = await registrationQr(ctx, reg.registrationId, reg.device);
    ctx.clock.advance(5 * 60_000 - 1000);
    expect((await lookup(qr)).status).toBe(200);
    ctx.clock.advance(1000);
    const res = await lookup(qr);
    expect(res.status).toBe(410);
    expect(await code(res)).toBe('qr_expired');
  });

  it('needs an operator session', async () => {
    const res = await lookup('R1.x', {});
    expect(res.status).toBe(401);
    const bogus = await lookup('R1.x', operatorAuth('not-a-session'));
    expect(bogus.status).toBe(401);
  });
});

describe('POST /v1/operator/video-calls', () => {
  it('opens a room with an unguessable name and a liveness phrase', async () => {
    const reg = await registerResident(ctx);
    const a = await startCall(reg.registrationId);
    const b = await startCall(reg.registrationId);
    expect(a.status).toBe(201);
    const call = (await a.json()) as { videoCallId: string; roomUrl: string; livenessPhrase: string; expiresAt: string };
    const other = (await b.json()) as typeof call;
    expect(call.roomUrl.startsWith(`${ctx.deps.config.videoCallBaseUrl}/`)).toBe(true);
    expect(call.roomUrl.split('/').at(-1)!.length).toBeGreaterThanOrEqual(22);
    expect(call.roomUrl).not.toBe(other.roomUrl);
    expect(call.roomUrl).not.toContain(reg.registrationId);
    expect(call.livenessPhrase).toMatch(/^[a-z]+ [a-z]+ [a-z]+ \d{2}$/);
    expect(new Date(call.expiresAt).getTime()).toBeGreaterThan(ctx.clock.now().getTime());
  });

  it('answers 404 for an unknown registration and 409 for one already decided', async () => {
    const missing = await startCall('reg_AAAAAAAAAAAAAAAA');
    expect(missing.status).toBe(404);
    const reg = await registerResident(ctx);
    await approve(ctx, token, reg.registrationId);
    const decided = await startCall(reg.registrationId);
    expect(decided.status).toBe(409);
    expect(await code(decided)).toBe('registration_not_pending');
  });
});

describe('POST /v1/operator/registrations/{id}/decision', () => {
  it('refuses an approval missing any requirement (422) and leaves the registration pending', async () => {
    const reg = await registerResident(ctx);
    const other = await registerResident(ctx);
    const otherCall = (await (await startCall(other.registrationId)).json()) as { videoCallId: string };
    const staleReg = await registerResident(ctx);
    const ownCall = (await (await startCall(reg.registrationId)).json()) as { videoCallId: string };

    const matrix: [string, Record<string, unknown>][] = [
      ['face does not match', { ...counterApproval, faceMatch: 'no_match' }],
      ['KTP-el not seen', { ...counterApproval, ktpElSighted: false }],
      ['no consent', { ...counterApproval, consentRecorded: false }],
      ['consent missing', { decision: 'approve', channel: 'counter', ktpElSighted: true, faceMatch: 'match' }],
      ['video call without call', { ...counterApproval, channel: 'video_call' }],
      ['video call of another registration', { ...counterApproval, channel: 'video_call', videoCallId: otherCall.videoCallId }],
      ['unknown video call', { ...counterApproval, channel: 'video_call', videoCallId: 'vc_nope' }],
      ['everything missing', { decision: 'approve', channel: 'counter' }],
    ];
    for (const [what, body] of matrix) {
      const res = await decide(ctx, token, reg.registrationId, body);
      expect(res.status, what).toBe(422);
      expect(await code(res)).toBe('approval_requirements_unmet');
    }
    expect((await registrationRow(ctx, reg.registrationId)).status).toBe('pending_verification');
    expect(await activationRows(ctx, reg.registrationId)).toHaveLength(0);

    // A video call that ran out is no longer evidence.
    const staleCall = (await (await startCall(staleReg.registrationId)).json()) as { videoCallId: string };
    ctx.clock.advance(31 * 60_000);
    ({ token, operator: { id: operatorId } } = await createOperatorSession(ctx));
    const stale = await decide(ctx, token, staleReg.registrationId, { ...counterApproval, channel: 'video_call', videoCallId: staleCall.videoCallId });
    expect(stale.status).toBe(422);

    // A fresh call of this registration makes the approval go through.
    const fresh = (await (await startCall(reg.registrationId)).json()) as { videoCallId: string };
    expect(fresh.videoCallId).not.toBe(ownCall.videoCallId);
    const ok = await decide(ctx, token, reg.registrationId, { ...counterApproval, channel: 'video_call', videoCallId: fresh.videoCallId });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ status: 'awaiting_activation' });
    const row = await registrationRow(ctx, reg.registrationId);
    expect(row).toMatchObject({ status: 'awaiting_activation', channel: 'video_call', videoCallId: fresh.videoCallId, decidedBy: operatorId });
  });

  it('approves at the counter: activation row, activation e-mail and audit row in one go', async () => {
    const reg = await registerResident(ctx);
    const res = await decide(ctx, token, reg.registrationId, counterApproval);
    expect(res.status).toBe(200);
    const [activation] = await activationRows(ctx, reg.registrationId);
    expect(activation).toMatchObject({ failedAttempts: 0, consumedAt: null, voidedAt: null });
    expect(activation!.expiresAt.getTime() - ctx.clock.now().getTime()).toBe(24 * 3600_000);
    const mail = await activationMail(ctx, reg.email);
    expect(mail.link.startsWith(`${ctx.deps.config.publicBaseUrl}/activate?t=`)).toBe(true);
    expect(mail.token.length).toBeGreaterThanOrEqual(43);
    // Only hashes are stored.
    expect(activation!.tokenHash).not.toContain(mail.token);
    expect(activation!.codeHash).not.toContain(mail.code);
    const audit = await ctx.deps.db.select().from(auditLog).where(and(eq(auditLog.action, 'registration.approve'), eq(auditLog.targetId, reg.registrationId)));
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details).toMatchObject({ channel: 'counter', faceMatch: 'match', ktpElSighted: true, consentRecorded: true });
  });

  it('rejects only with a reason, and decides once (409 afterwards)', async () => {
    const reg = await registerResident(ctx);
    const noReason = await decide(ctx, token, reg.registrationId, { ...counterApproval, decision: 'reject' });
    expect(noReason.status).toBe(400);
    const blank = await decide(ctx, token, reg.registrationId, { ...counterApproval, decision: 'reject', reason: '   ' });
    expect(blank.status).toBe(400);
    const res = await decide(ctx, token, reg.registrationId, { ...counterApproval, decision: 'reject', faceMatch: 'no_match', reason: 'KTP-el palsu' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'rejected' });
    expect(await (await ctx.app.request(`/v1/registrations/${reg.registrationId}`)).json()).toEqual({ status: 'rejected', rejectionReason: 'KTP-el palsu' });
    const again = await decide(ctx, token, reg.registrationId, counterApproval);
    expect(again.status).toBe(409);
    expect(await code(again)).toBe('registration_not_pending');
    expect(await activationRows(ctx, reg.registrationId)).toHaveLength(0);
  });

  it('lets only one of two simultaneous decisions through', async () => {
    const reg = await registerResident(ctx);
    const second = await createOperatorSession(ctx);
    const results = await Promise.all([
      decide(ctx, token, reg.registrationId, counterApproval),
      decide(ctx, second.token, reg.registrationId, counterApproval),
      decide(ctx, second.token, reg.registrationId, { ...counterApproval, decision: 'reject', reason: 'x' }),
    ]);
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(2);
    const mails = await ctx.deps.db.select().from(outbox).where(eq(outbox.to, reg.email));
    expect(mails.length).toBeLessThanOrEqual(1);
  });

  it('answers 404 for an unknown registration and 409 once it expired', async () => {
    expect((await decide(ctx, token, 'reg_AAAAAAAAAAAAAAAA', counterApproval)).status).toBe(404);
    const reg = await registerResident(ctx);
    ctx.clock.advance(7 * 24 * 3600_000);
    token = (await createOperatorSession(ctx)).token;
    const res = await decide(ctx, token, reg.registrationId, counterApproval);
    expect(res.status).toBe(409);
    expect((await registrationRow(ctx, reg.registrationId)).status).toBe('expired');
  });

  it('needs an operator session', async () => {
    const reg = await registerResident(ctx);
    const res = await ctx.app.request(`/v1/operator/registrations/${reg.registrationId}/decision`, jsonRequest('POST', counterApproval));
    expect(res.status).toBe(401);
  });
});

describe('POST /v1/operator/registrations/{id}/resend-activation', () => {
  const resend = (id: string) => ctx.app.request(`/v1/operator/registrations/${id}/resend-activation`, jsonRequest('POST', undefined, operatorAuth(token)));

  it('voids the earlier link and code, e-mails new ones, audits', async () => {
    const reg = await registerResident(ctx);
    await approve(ctx, token, reg.registrationId);
    const first = await activationMail(ctx, reg.email);
    const res = await resend(reg.registrationId);
    expect(res.status).toBe(200);
    const second = await activationMail(ctx, reg.email);
    expect(second.token).not.toBe(first.token);
    const rows = await activationRows(ctx, reg.registrationId);
    expect(rows).toHaveLength(2);
    expect(rows.filter((r) => r.voidedAt === null)).toHaveLength(1);

    const old = await postActivation(ctx, { token: first.token, code: first.code, newPin: '258013' });
    expect(old.status).toBe(410);
    expect(await code(old)).toBe('activation_expired');
    const ok = await postActivation(ctx, { token: second.token, code: second.code, newPin: '258013' });
    expect(ok.status).toBe(200);
    const audit = await ctx.deps.db.select().from(auditLog).where(and(eq(auditLog.action, 'activation.resend'), eq(auditLog.targetId, reg.registrationId)));
    expect(audit).toHaveLength(1);
  });

  it('revives an activation voided by 5 wrong codes', async () => {
    const reg = await registerResident(ctx);
    await approve(ctx, token, reg.registrationId);
    const first = await activationMail(ctx, reg.email);
    const wrong = first.code === '000000' ? '000001' : '000000';
    for (let i = 0; i < 5; i++) expect((await postActivation(ctx, { token: first.token, code: wrong, newPin: '258013' })).status).toBe(401);
    expect((await postActivation(ctx, { token: first.token, code: first.code, newPin: '258013' })).status).toBe(429);
    expect((await resend(reg.registrationId)).status).toBe(200);
    const second = await activationMail(ctx, reg.email);
    expect((await postActivation(ctx, { token: second.token, code: second.code, newPin: '258013' })).status).toBe(200);
  });

  it('answers 404 for unknown and 409 for a registration not awaiting activation', async () => {
    expect((await resend('reg_AAAAAAAAAAAAAAAA')).status).toBe(404);
    const reg = await registerResident(ctx);
    const res = await resend(reg.registrationId);
    expect(res.status).toBe(409);
    expect(await code(res)).toBe('conflict');
  });
});

describe('video call rows', () => {
  it('belong to the operator who opened them', async () => {
    const reg = await registerResident(ctx);
    const call = (await (await startCall(reg.registrationId)).json()) as { videoCallId: string };
    const [row] = await ctx.deps.db.select().from(videoCalls).where(eq(videoCalls.id, call.videoCallId));
    expect(row).toMatchObject({ registrationId: reg.registrationId, operatorId });
  });
});

describe('a device replacement', () => {
  it('shows the live account at lookup', async () => {
    const resident = await seedResident(ctx);
    const first = await registerResident(ctx, resident);
    await approve(ctx, token, first.registrationId);
    const mail = await activationMail(ctx, first.email);
    expect((await postActivation(ctx, { token: mail.token, code: mail.code, newPin: '258013' })).status).toBe(200);
    const device = await newDeviceKey();
    const res = await postRegistration(ctx, registrationBody(resident, device, { email: 'baru@example.id' }));
    const { registrationId } = (await res.json()) as { registrationId: string };
    const qr = await registrationQr(ctx, registrationId, device);
    const body = (await (await lookup(qr)).json()) as { registration: { kind: string }; account: { status: string } };
    expect(body.registration.kind).toBe('device_replacement');
    expect(body.account).toEqual({ status: 'active' });
    expect((await ctx.deps.db.select().from(activations).where(eq(activations.registrationId, registrationId))).length).toBe(0);
  });
});
