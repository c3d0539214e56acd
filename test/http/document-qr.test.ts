/**
 * Document QRs (POST /v1/me/documents/{type}/qr) and their redemption (POST /v1/verify): the KTP QR's guarantees,
 * verifiers' allowedDocuments (403 document_not_allowed, token not consumed) and 403 nothing_to_disclose.
 */
import { eq } from 'drizzle-orm';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base45Decode } from '../../src/crypto/base45.js';
import { decodeKtpToken } from '../../src/crypto/token-codec.js';
import { accessLog, accounts, ktpTokens, verifiers } from '../../src/db/schema/index.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { asResident, createActiveResident, createTestVerifier, issueQr, postVerify, type ActiveResident, type TestVerifier } from '../helpers/resident.js';

let ctx: TestContext;
let arif: ActiveResident; // demo head of a Pangkep KK (wife, child)
let hasnawati: ActiveResident; // his wife
let kadek: ActiveResident; // single: no marriage certificate
let kkCounter: TestVerifier; // may receive the KTP and the KK
let ktpCounter: TestVerifier; // the default: KTP only

beforeAll(async () => {
  ctx = await createTestContext();
  arif = await createActiveResident(ctx);
  hasnawati = await createActiveResident(ctx);
  kadek = await createActiveResident(ctx);
  kkCounter = await createTestVerifier(ctx, { name: 'Sekolah Pangkep', allowedDocuments: ['ktp', 'family_card', 'marriage_certificate'] });
  ktpCounter = await createTestVerifier(ctx, { name: 'Bank Pangkep' });
});
afterAll(async () => {
  await ctx?.close();
});

const codeOf = async (res: Response) => ((await res.json()) as { code: string }).code;

interface DocumentQr {
  token: string;
  document: string;
  expiresAt: string;
  ttlSeconds: number;
  svg?: string;
}

async function issueDocumentQr(resident: ActiveResident, type: string, body: Record<string, unknown> = {}): Promise<DocumentQr> {
  const res = await asResident(ctx, resident, 'POST', `/v1/me/documents/${type}/qr`, { pin: resident.pin, format: 'none', ...body });
  if (res.status !== 201) throw new Error(`document QR failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as DocumentQr;
}

const tokenRow = async (token: string) => {
  const decoded = decodeKtpToken(ctx.deps.keys, token);
  if (!decoded.ok) throw new Error('not a token');
  const [row] = await ctx.deps.db.select().from(ktpTokens).where(eq(ktpTokens.id, decoded.tokenId));
  return row!;
};

describe('POST /v1/me/documents/{type}/qr', () => {
  it('issues a 90 s version-2 token for the KK, with nik and name by default, SVG at QR version ≤ 9 (201)', async () => {
    const res = await asResident(ctx, arif, 'POST', '/v1/me/documents/family_card/qr', { pin: arif.pin });
    expect(res.status).toBe(201);
    const body = (await res.json()) as DocumentQr;
    expect(body.document).toBe('family_card');
    expect(body.ttlSeconds).toBe(90);
    expect(Date.parse(body.expiresAt)).toBe(ctx.clock.now().getTime() + 90_000);
    expect(body.token).toHaveLength(174);
    expect(body.svg).toMatch(/^<svg /);
    expect(QRCode.create(body.token, { errorCorrectionLevel: 'M' }).version).toBeLessThanOrEqual(9);
    expect(decodeKtpToken(ctx.deps.keys, body.token)).toMatchObject({ ok: true, document: 'family_card', elements: ['nik', 'name'] });
    const row = await tokenRow(body.token);
    expect(row).toMatchObject({ accountId: arif.accountId, document: 'family_card', elements: ['nik', 'name'], usedAt: null });
  });

  it('carries nothing personal readable: no NIK, KK number or name in the text or the bytes', async () => {
    const { token } = await issueDocumentQr(arif, 'family_card', { elements: ['nik', 'name', 'address'] });
    const bytes = Buffer.from(base45Decode(token)!);
    for (const secret of [arif.nik, '7310041503129001', 'MUHAMMAD ARIF', 'family_card']) {
      expect(token).not.toContain(secret);
      expect(bytes.includes(Buffer.from(secret))).toBe(false);
    }
    expect(bytes[0]).toBe(0x02);
  });

  it('type ktp equals POST /v1/me/ktp/qr: a version-1 token with all elements', async () => {
    const viaDocuments = await issueDocumentQr(kadek, 'ktp');
    expect(viaDocuments.token).toHaveLength(173);
    expect(decodeKtpToken(ctx.deps.keys, viaDocuments.token)).toMatchObject({ ok: true, document: 'ktp' });
    const viaKtp = await issueQr(ctx, kadek);
    expect((await tokenRow(viaKtp.token)).elements).toEqual((await tokenRow(viaDocuments.token)).elements);
  });

  it('keeps one live QR per account across types: a new one of any type revokes the earlier', async () => {
    const ktp = await issueQr(ctx, hasnawati);
    const kk = await issueDocumentQr(hasnawati, 'family_card');
    let res = await postVerify(ctx, kkCounter.apiKey, { token: ktp.token });
    expect(res.status).toBe(409);
    expect(await codeOf(res)).toBe('token_revoked');
    const marriage = await issueDocumentQr(hasnawati, 'marriage_certificate');
    res = await postVerify(ctx, kkCounter.apiKey, { token: kk.token });
    expect(await codeOf(res)).toBe('token_revoked');
    res = await postVerify(ctx, kkCounter.apiKey, { token: marriage.token });
    expect(res.status).toBe(200);
  });

  it('is 404 document_not_found for a document the holder does not have, before the PIN counts', async () => {
    for (const type of ['marriage_certificate', 'kia', 'passport']) {
      const res = await asResident(ctx, kadek, 'POST', `/v1/me/documents/${type}/qr`, { pin: '000000' });
      expect(res.status, type).toBe(404);
      expect(await codeOf(res)).toBe('document_not_found');
    }
    const [account] = await ctx.deps.db.select().from(accounts).where(eq(accounts.id, kadek.accountId));
    expect(account!.pinFailures).toBe(0);
  });

  it('needs the PIN (401 pin_invalid, counted) and a session (401 unauthorized); bad bodies are 400', async () => {
    let res = await asResident(ctx, kadek, 'POST', '/v1/me/documents/family_card/qr', { pin: '000000' });
    expect(res.status).toBe(401);
    expect(await codeOf(res)).toBe('pin_invalid');
    const [account] = await ctx.deps.db.select().from(accounts).where(eq(accounts.id, kadek.accountId));
    expect(account!.pinFailures).toBe(1);
    await issueDocumentQr(kadek, 'family_card'); // a right PIN resets the count
    res = await ctx.app.request('/v1/me/documents/family_card/qr', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pin: kadek.pin }) });
    expect(res.status).toBe(401);
    expect(await codeOf(res)).toBe('unauthorized');
    res = await asResident(ctx, kadek, 'POST', '/v1/me/documents/family_card/qr', { pin: kadek.pin, elements: ['passport'] });
    expect(res.status).toBe(400);
    expect(await codeOf(res)).toBe('invalid_request');
  });

  it('expires after 90 s (410 token_expired)', async () => {
    const { token } = await issueDocumentQr(arif, 'family_card');
    ctx.clock.advance(93_000);
    const res = await postVerify(ctx, kkCounter.apiKey, { token });
    expect(res.status).toBe(410);
    expect(await codeOf(res)).toBe('token_expired');
  });
});

describe('POST /v1/verify with a document token', () => {
  it('returns the KK with its members and the allowed elements to a verifier allowed family_card; single use', async () => {
    const { token } = await issueDocumentQr(hasnawati, 'family_card');
    const res = await postVerify(ctx, kkCounter.apiKey, { token, counter: 'Loket 1' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { verifiedAt: string; document: { type: string; number: string; issuedOn: string; fields: { members: { nik: string }[] } }; resident: Record<string, unknown> };
    expect(body.document).toMatchObject({ type: 'family_card', number: '7310041503129001', issuedOn: '2012-03-15' });
    expect(body.document.fields.members.map((m) => m.nik)).toContain(hasnawati.nik);
    expect(body.resident).toEqual({ nik: hasnawati.nik, name: 'HASNAWATI' });
    const again = await postVerify(ctx, kkCounter.apiKey, { token });
    expect(again.status).toBe(409);
    expect(await codeOf(again)).toBe('token_already_used');
  });

  it('is 403 document_not_allowed for a verifier without the type, not consumed, logged not_allowed; then redeems where allowed', async () => {
    const { token } = await issueDocumentQr(arif, 'family_card');
    const refused = await postVerify(ctx, ktpCounter.apiKey, { token });
    expect(refused.status).toBe(403);
    expect(await codeOf(refused)).toBe('document_not_allowed');
    expect((await tokenRow(token)).usedAt).toBeNull();
    const accepted = await postVerify(ctx, kkCounter.apiKey, { token });
    expect(accepted.status).toBe(200);

    const history = await asResident(ctx, arif, 'GET', '/v1/me/access-history');
    const { items } = (await history.json()) as { items: { outcome: string; verifier: { name: string }; document?: string }[] };
    expect(items[0]).toMatchObject({ outcome: 'verified', verifier: { name: 'Sekolah Pangkep' }, document: 'family_card' });
    expect(items[1]).toMatchObject({ outcome: 'not_allowed', verifier: { name: 'Bank Pangkep' }, document: 'family_card' });
  });

  it('a KTP token still answers as before: no document field', async () => {
    const { token } = await issueQr(ctx, kadek, { elements: ['nik', 'name'] });
    const res = await postVerify(ctx, ktpCounter.apiKey, { token });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body.document).toBeUndefined();
    expect(body.resident).toEqual({ nik: kadek.nik, name: 'NI KADEK AYU LESTARI' });
  });

  it('another holder’s document is never reachable: a verified KK is the token holder’s own', async () => {
    const { token } = await issueDocumentQr(kadek, 'family_card');
    const res = await postVerify(ctx, kkCounter.apiKey, { token });
    const body = (await res.json()) as { document: { number: string; fields: { members: { nik: string }[] } } };
    expect(body.document.number).not.toBe('7310041503129001');
    expect(body.document.fields.members.map((m) => m.nik)).toEqual([kadek.nik]);
  });
});

describe('403 nothing_to_disclose (issue #15 point 7)', () => {
  it('refuses a KTP token whose elements the verifier may not see, without consuming it; another verifier redeems it', async () => {
    const nameOnly = await createTestVerifier(ctx, { name: 'Apotek', allowedElements: ['name'] });
    const { token } = await issueQr(ctx, kadek, { elements: ['photo', 'birthDate'] });
    const refused = await postVerify(ctx, nameOnly.apiKey, { token });
    expect(refused.status).toBe(403);
    expect(await codeOf(refused)).toBe('nothing_to_disclose');
    expect((await tokenRow(token)).usedAt).toBeNull();
    const log = await ctx.deps.db.select().from(accessLog).where(eq(accessLog.verifierId, nameOnly.id));
    expect(log.map((r) => r.outcome)).toEqual(['nothing_to_disclose']);
    const accepted = await postVerify(ctx, ktpCounter.apiKey, { token });
    expect(accepted.status).toBe(200);
  });
});

describe('allowedDocuments', () => {
  it('defaults to ["ktp"], and the admin route accepts it', async () => {
    const [row] = await ctx.deps.db.select().from(verifiers).where(eq(verifiers.id, ktpCounter.id));
    expect(row!.allowedDocuments).toEqual(['ktp']);
    const [kk] = await ctx.deps.db.select().from(verifiers).where(eq(verifiers.id, kkCounter.id));
    expect(kk!.allowedDocuments).toEqual(['ktp', 'family_card', 'marriage_certificate']);
  });
});
