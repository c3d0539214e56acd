/** POST /v1/verify: a counter redeems a token once and sees only what both the token and its key allow. */
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base45Decode, base45Encode } from '../../src/crypto/base45.js';
import { generateKeyRing, KeyRing, rotateKeyRing } from '../../src/crypto/keyring.js';
import { decodeKtpToken, encodeKtpToken } from '../../src/crypto/token-codec.js';
import { accessLog, accounts, ktpTokens, verifiers } from '../../src/db/schema/index.js';
import { createTestContext, jsonRequest, type TestContext } from '../helpers/context.js';
import { registerResident, registrationQr } from '../helpers/enrolment.js';
import { asResident, createActiveResident, createTestVerifier, issueQr, postVerify, type ActiveResident, type TestVerifier } from '../helpers/resident.js';

let ctx: TestContext;
let resident: ActiveResident;
let counter: TestVerifier;
beforeAll(async () => {
  ctx = await createTestContext();
  resident = await createActiveResident(ctx);
  counter = await createTestVerifier(ctx, { name: 'BPJS Kesehatan Pangkep' });
});
afterAll(async () => {
  await ctx?.close();
});

const codeOf = async (res: Response) => ((await res.json()) as { code: string }).code;
const logRowsFor = (tokenId: string) => ctx.deps.db.select().from(accessLog).where(eq(accessLog.tokenId, tokenId));
const tokenIdOf = (token: string) => {
  const decoded = decodeKtpToken(ctx.deps.keys, token);
  if (!decoded.ok) throw new Error('not a token');
  return decoded.tokenId;
};

describe('verify: happy path', () => {
  it('redeems once: 200 with every element, the stamped photo, the token marked used and the access logged', async () => {
    const { token } = await issueQr(ctx, resident);
    const record = (await ctx.deps.registry.findResident(resident.nik))!;
    const res = await postVerify(ctx, counter.apiKey, { token, counter: 'Loket 3' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { verifiedAt: string; resident: Record<string, unknown>; photo?: string };
    expect(body.verifiedAt).toBe(ctx.clock.now().toISOString());
    expect(body.resident).toEqual({
      nik: record.nik,
      name: record.name,
      birthPlace: record.birthPlace,
      birthDate: record.birthDate,
      sex: record.sex,
      bloodType: record.bloodType,
      address: record.address,
      religion: record.religion,
      maritalStatus: record.maritalStatus,
      occupation: record.occupation,
      citizenship: record.citizenship,
    });
    expect(body.photo!.startsWith('data:image/jpeg;base64,')).toBe(true);
    const photo = await sharp(Buffer.from(body.photo!.split(',')[1]!, 'base64')).metadata();
    expect(photo.format).toBe('jpeg');
    // The 120×160 KTP-el photo, then below it one 16-px band per caption line: one or two of name, one of time.
    expect(photo.width).toBe(120);
    expect([160 + 2 * 16, 160 + 3 * 16]).toContain(photo.height);

    const tokenId = tokenIdOf(token);
    const [row] = await ctx.deps.db.select().from(ktpTokens).where(eq(ktpTokens.id, tokenId));
    expect(row!.usedAt).toEqual(ctx.clock.now());
    expect(row!.usedBy).toBe(counter.id);
    const logged = await logRowsFor(tokenId);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ accountId: resident.accountId, verifierId: counter.id, outcome: 'verified', counter: 'Loket 3' });
    expect(logged[0]!.elements).toContain('photo');
  });

  it('discloses only the elements both the token and the verifier allow; the photo only if both allow it', async () => {
    const narrow = await createTestVerifier(ctx, { allowedElements: ['nik', 'name', 'birthDate', 'photo'] });
    const { token } = await issueQr(ctx, resident, { elements: ['nik', 'name', 'address'] });
    const res = await postVerify(ctx, narrow.apiKey, { token });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { resident: Record<string, unknown>; photo?: string };
    expect(Object.keys(body.resident).sort()).toEqual(['name', 'nik']);
    expect(body.photo).toBeUndefined();
    expect((await logRowsFor(tokenIdOf(token)))[0]!.elements).toEqual(['nik', 'name']);

    const noPhoto = await createTestVerifier(ctx, { allowedElements: ['nik'] });
    const withPhoto = await issueQr(ctx, resident, { elements: ['nik', 'photo'] });
    const res2 = await postVerify(ctx, noPhoto.apiKey, { token: withPhoto.token });
    const body2 = (await res2.json()) as { resident: Record<string, unknown>; photo?: string };
    expect(body2).toMatchObject({ resident: { nik: resident.nik } });
    expect(body2.photo).toBeUndefined();
  });

  it('accepts a token up to 2 s after its expiry (scan latency), judged by the server clock', async () => {
    const { token, expiresAt } = await issueQr(ctx, resident);
    ctx.clock.set(new Date(Date.parse(expiresAt) + 1_999));
    expect((await postVerify(ctx, counter.apiKey, { token })).status).toBe(200);
  });
});

describe('verify: refusals, each logged', () => {
  it('409 token_already_used for a second redemption, by anyone', async () => {
    const { token } = await issueQr(ctx, resident);
    expect((await postVerify(ctx, counter.apiKey, { token })).status).toBe(200);
    const other = await createTestVerifier(ctx);
    for (const key of [counter.apiKey, other.apiKey]) {
      const res = await postVerify(ctx, key, { token });
      expect(res.status).toBe(409);
      expect(await codeOf(res)).toBe('token_already_used');
    }
    const outcomes = (await logRowsFor(tokenIdOf(token))).map((r) => r.outcome).sort();
    expect(outcomes).toEqual(['already_used', 'already_used', 'verified']);
  });

  it('410 token_expired after 90 s + the 2 s tolerance (TestClock, no sleeping)', async () => {
    const { token, expiresAt } = await issueQr(ctx, resident);
    ctx.clock.set(new Date(Date.parse(expiresAt) + 2_000));
    const res = await postVerify(ctx, counter.apiKey, { token });
    expect(res.status).toBe(410);
    expect(await codeOf(res)).toBe('token_expired');
    const [logged] = await logRowsFor(tokenIdOf(token));
    expect(logged).toMatchObject({ outcome: 'expired', accountId: resident.accountId, elements: [] });
    const [row] = await ctx.deps.db.select().from(ktpTokens).where(eq(ktpTokens.id, tokenIdOf(token)));
    expect(row!.usedAt).toBeNull();
  });

  it('409 token_revoked when superseded by a newer QR or revoked with the account', async () => {
    const first = await issueQr(ctx, resident);
    await issueQr(ctx, resident);
    const res = await postVerify(ctx, counter.apiKey, { token: first.token });
    expect(res.status).toBe(409);
    expect(await codeOf(res)).toBe('token_revoked');
    expect((await logRowsFor(tokenIdOf(first.token)))[0]!.outcome).toBe('revoked');
  });

  it('403 account_inactive when the holder is suspended, locked out or deleted while the token lives', async () => {
    for (const change of [
      { status: 'suspended' as const },
      { lockedUntil: new Date(ctx.clock.now().getTime() + 15 * 60_000) },
      { status: 'deleted' as const },
    ]) {
      const holder = await createActiveResident(ctx);
      const { token } = await issueQr(ctx, holder);
      await ctx.deps.db.update(accounts).set(change).where(eq(accounts.id, holder.accountId));
      const res = await postVerify(ctx, counter.apiKey, { token });
      expect(res.status).toBe(403);
      expect(await codeOf(res)).toBe('account_inactive');
      expect((await logRowsFor(tokenIdOf(token)))[0]).toMatchObject({ outcome: 'account_inactive', accountId: holder.accountId });
    }
  });

  it('400 token_invalid for tampered, truncated, padded, unknown-kid, session, registration-QR and random input', async () => {
    const { token } = await issueQr(ctx, resident);
    const bytes = base45Decode(token)!;
    const tampered = bytes.slice();
    tampered[30] = tampered[30]! ^ 0x04;
    const foreignRing = new KeyRing(generateKeyRing());
    const unknownKid = encodeKtpToken(foreignRing, { tokenId: randomBytes(12), elements: ['nik'], expiresAt: new Date(Date.parse('2026-11-23T09:00:00Z')) }).token;
    const registration = await registerResident(ctx);
    const registrationQrText = await registrationQr(ctx, registration.registrationId, registration.device);
    expect(registrationQrText.startsWith('R1.')).toBe(true);
    const invalid = [
      base45Encode(tampered),
      token.slice(0, -1),
      token.slice(0, 150),
      `${token}0`,
      `${token}   `,
      `\n${token}`,
      token.toLowerCase(),
      unknownKid,
      resident.accessToken,
      registrationQrText,
      'eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.c2ln',
      '',
      '<script>alert(1)</script>',
      "' or 1=1 --",
    ];
    const before = (await ctx.deps.db.select().from(accessLog).where(eq(accessLog.outcome, 'invalid'))).length;
    for (const candidate of invalid) {
      const res = await postVerify(ctx, counter.apiKey, { token: candidate });
      expect(res.status, JSON.stringify(candidate)).toBe(400);
      expect(await codeOf(res)).toBe('token_invalid');
    }
    const invalidRows = await ctx.deps.db.select().from(accessLog).where(eq(accessLog.outcome, 'invalid'));
    expect(invalidRows.length - before).toBe(invalid.length);
    expect(invalidRows.every((r) => r.accountId === null && r.verifierId === counter.id && r.elements.length === 0)).toBe(true);
    // The genuine token is untouched by all of it.
    expect((await postVerify(ctx, counter.apiKey, { token })).status).toBe(200);
  });

  it('400 invalid_request for a body that is not { token: string }', async () => {
    for (const body of [{}, { token: 42 }, { token: ['x'] }, { token: 'A'.repeat(1001) }, '{"token":']) {
      const res = await postVerify(ctx, counter.apiKey, body);
      expect(res.status).toBe(400);
      expect(await codeOf(res)).toBe('invalid_request');
    }
  });
});

describe('verify: the verifier', () => {
  it('401 verifier_unauthorized for a missing, malformed, unknown or revoked API key, and nothing is logged', async () => {
    const { token } = await issueQr(ctx, resident);
    const revoked = await createTestVerifier(ctx);
    await ctx.deps.db.update(verifiers).set({ status: 'revoked' }).where(eq(verifiers.id, revoked.id));
    const attempts: Record<string, string>[] = [
      {},
      { Authorization: 'Basic dXNlcjpwYXNz' },
      { Authorization: `Bearer ${counter.apiKey}!` },
      { Authorization: `Bearer ikdv_${randomBytes(32).toString('base64url')}` },
      { Authorization: `Bearer ${revoked.apiKey}` },
      { Authorization: `Bearer ${resident.accessToken}` },
    ];
    for (const headers of attempts) {
      for (const candidate of [token, 'garbage']) {
        const res = await ctx.app.request('/v1/verify', jsonRequest('POST', { token: candidate }, headers));
        expect(res.status).toBe(401);
        expect(await codeOf(res)).toBe('verifier_unauthorized');
      }
    }
    expect(await logRowsFor(tokenIdOf(token))).toHaveLength(0);
    expect(await ctx.deps.db.select().from(accessLog).where(eq(accessLog.verifierId, revoked.id))).toHaveLength(0);
    expect((await postVerify(ctx, counter.apiKey, { token })).status).toBe(200); // still redeemable
  });

  it('keeps a live token valid across a key rotation: a new KeyRing in a new app over the same database', async () => {
    const { token } = await issueQr(ctx, resident);
    const rotated = new KeyRing(rotateKeyRing(ctx.deps.keys.stored));
    // Not closed separately: it shares ctx's database.
    const after = await createTestContext({ database: ctx.deps.database, deps: { keys: rotated } });
    after.clock.set(ctx.clock.now());
    const jwks = (await (await after.app.request('/.well-known/jwks.json')).json()) as { keys: { kid: string; kty: string }[] };
    expect(jwks.keys.filter((k) => k.kty === 'OKP').map((k) => k.kid)).toEqual([rotated.currentKid, ctx.deps.keys.currentKid]);
    const res = await after.app.request('/v1/verify', jsonRequest('POST', { token }, { Authorization: `Bearer ${counter.apiKey}` }));
    expect(res.status).toBe(200);
    // Tokens of the new key verify in the new app, and not in the old one (it does not know the new kid).
    const fresh = await asResidentIn(after, resident);
    expect(decodeKtpToken(rotated, fresh)).toMatchObject({ ok: true, kid: rotated.currentKid });
    expect((await postVerify(ctx, counter.apiKey, { token: fresh })).status).toBe(400);
    expect((await after.app.request('/v1/verify', jsonRequest('POST', { token: fresh }, { Authorization: `Bearer ${counter.apiKey}` }))).status).toBe(200);
  });
});

async function asResidentIn(other: TestContext, who: ActiveResident): Promise<string> {
  const res = await asResident(other, who, 'POST', '/v1/me/ktp/qr', { pin: who.pin, format: 'none' });
  expect(res.status).toBe(201);
  return ((await res.json()) as { token: string }).token;
}

