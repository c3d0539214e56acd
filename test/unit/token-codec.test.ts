/** The KTP token codec: round trip, size budget, strict decoding of anything else, rotation. */
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { base45Decode, base45Encode } from '../../src/crypto/base45.js';
import { generateKeyRing, KeyRing, rotateKeyRing } from '../../src/crypto/keyring.js';
import {
  decodeKtpToken,
  encodeKtpToken,
  KTP_ELEMENTS,
  TOKEN_BYTES,
  TOKEN_CHARS,
  type KtpElement,
} from '../../src/crypto/token-codec.js';

const keys = new KeyRing(generateKeyRing());
const expiresAt = new Date('2026-11-23T08:01:30.000Z');
const issue = (ring = keys, elements: readonly KtpElement[] = ['nik', 'name', 'photo']) =>
  encodeKtpToken(ring, { tokenId: randomBytes(12), elements, expiresAt }).token;

/** Re-seals and re-signs hand-made bytes with the ring's current key, to reach the checks behind the crypto. */
function forge(ring: KeyRing, mutate: (header: Uint8Array, plaintext: Uint8Array) => void, version = 1): string {
  const header = new Uint8Array(9);
  header[0] = version;
  header.set(ring.kidBytes(), 1);
  new DataView(header.buffer).setUint32(5, expiresAt.getTime() / 1000);
  const plaintext = new Uint8Array(version === 2 ? 15 : 14);
  plaintext.set(randomBytes(12));
  plaintext[plaintext.length - 1] = 1;
  if (version === 2) plaintext[12] = 1;
  mutate(header, plaintext);
  const box = ring.seal(plaintext, header);
  const signed = new Uint8Array([...header, ...box.iv, ...box.ciphertext, ...box.tag]);
  return base45Encode(new Uint8Array([...signed, ...ring.sign(signed).signature]));
}

describe('KTP token codec', () => {
  it('round-trips the token id, the elements and the expiry', () => {
    const tokenId = randomBytes(12);
    const { token, kid } = encodeKtpToken(keys, { tokenId, elements: ['photo', 'nik', 'address'], expiresAt });
    expect(kid).toBe(keys.currentKid);
    expect(decodeKtpToken(keys, token)).toEqual({
      ok: true,
      tokenId: tokenId.toString('hex'),
      kid,
      expiresAt,
      elements: ['nik', 'address', 'photo'],
      document: 'ktp',
    });
    const all = decodeKtpToken(keys, issue(keys, KTP_ELEMENTS));
    expect(all.ok && all.elements).toEqual([...KTP_ELEMENTS]);
  });

  it('is 115 bytes, 173 base45 characters, one alphanumeric QR segment of version 7 ≤ 9 at level M', () => {
    const token = issue();
    expect(TOKEN_BYTES).toBe(115);
    expect(token).toHaveLength(TOKEN_CHARS);
    expect(TOKEN_CHARS).toBe(173);
    expect(base45Decode(token)).toHaveLength(115);
    const qr = QRCode.create(token, { errorCorrectionLevel: 'M' });
    expect(qr.version).toBeLessThanOrEqual(9);
    expect(qr.version).toBe(7);
    expect(qr.segments.map((s) => s.mode.id)).toEqual(['Alphanumeric']);
  });

  it('never repeats: a fresh iv and token id every time', () => {
    const a = base45Decode(issue())!;
    const b = base45Decode(issue())!;
    expect(Buffer.from(a.subarray(9, 21)).equals(Buffer.from(b.subarray(9, 21)))).toBe(false);
  });

  it('refuses every single-byte change anywhere in the envelope, of a KTP and of a document token', () => {
    for (const bytes of [base45Decode(issue())!, base45Decode(encodeKtpToken(keys, { tokenId: randomBytes(12), elements: ['nik'], expiresAt, document: 'kia' }).token)!]) {
    for (let i = 0; i < bytes.length; i++) {
      const tampered = bytes.slice();
      tampered[i] = tampered[i]! ^ 0x01;
      const result = decodeKtpToken(keys, base45Encode(tampered));
      expect(result.ok, `byte ${i}`).toBe(false);
    }
    }
  });

  it('names why: version, kid, ciphertext, signature, elements, length, format', () => {
    const token = issue();
    const bytes = base45Decode(token)!;
    const reason = (t: string) => {
      const r = decodeKtpToken(keys, t);
      return r.ok ? 'ok' : `${r.error}:${r.reason}`;
    };
    expect(reason(forge(keys, (h) => (h[0] = 3)))).toBe('token_invalid:version');
    // A version-2 (document) token: 116 bytes; the version byte and the length must agree.
    expect(reason(forge(keys, () => {}, 2))).toBe('ok');
    expect(reason(forge(keys, (h) => (h[0] = 2)))).toBe('token_invalid:length');
    expect(reason(forge(keys, (h) => (h[0] = 1), 2))).toBe('token_invalid:length');
    // Its document byte: 0 (what version 1 means) and unknown types are refused.
    expect(reason(forge(keys, (_h, p) => (p[12] = 0), 2))).toBe('token_invalid:document');
    expect(reason(forge(keys, (_h, p) => (p[12] = 7), 2))).toBe('token_invalid:document');
    expect(reason(issue(new KeyRing(generateKeyRing())))).toBe('token_invalid:kid');
    const flippedCiphertext = bytes.slice();
    flippedCiphertext[25] = flippedCiphertext[25]! ^ 0x80;
    expect(reason(base45Encode(flippedCiphertext))).toBe('token_invalid:ciphertext');
    const flippedExpiry = bytes.slice();
    flippedExpiry[8] = flippedExpiry[8]! ^ 0x01; // the header is the AAD: GCM notices first
    expect(reason(base45Encode(flippedExpiry))).toBe('token_invalid:ciphertext');
    const flippedSignature = bytes.slice();
    flippedSignature[100] = flippedSignature[100]! ^ 0x01;
    expect(reason(base45Encode(flippedSignature))).toBe('token_invalid:signature');
    expect(reason(forge(keys, (_h, p) => (p[12] = 0x10)))).toBe('token_invalid:elements'); // bit 12: unknown
    expect(reason(forge(keys, (_h, p) => (p[13] = 0)))).toBe('token_invalid:elements'); // nothing disclosed
    expect(reason(token.slice(0, -1))).toBe('token_invalid:length');
    expect(reason(token.slice(0, -2))).toBe('token_invalid:length');
    expect(reason(token + '0')).toBe('token_invalid:length');
    expect(reason(token + '000')).toBe('token_invalid:length');
    // 174 characters is a version-2 token's length: it gets past the length gate and fails as base45.
    expect(reason(` ${token}`)).toBe('token_invalid:format');
    expect(reason(token.slice(0, -1) + 'a')).toBe('token_invalid:format');
    expect(reason(token.slice(0, -3) + ':::')).toBe('token_invalid:format');
  });

  it('refuses other token types: a session token, a JWT, a registration QR, JSON, non-strings', () => {
    const others: unknown[] = [
      randomBytes(32).toString('base64url'),
      'eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJhY2NfMSJ9.c2lnbmF0dXJl',
      `R1.${randomBytes(40).toString('base64url')}`,
      `R1.${'A'.repeat(TOKEN_CHARS - 3)}`,
      '{"token":"x"}',
      '',
      undefined,
      null,
      42,
      { token: issue() },
      [issue()],
    ];
    for (const other of others) expect(decodeKtpToken(keys, other)).toMatchObject({ ok: false, error: 'token_invalid' });
  });

  it('keeps a live token valid across a key rotation, until its kid leaves the ring', () => {
    const stored = generateKeyRing();
    const before = new KeyRing(stored);
    const token = issue(before);
    const rotatedOnce = new KeyRing(rotateKeyRing(stored));
    expect(rotatedOnce.currentKid).not.toBe(before.currentKid);
    expect(decodeKtpToken(rotatedOnce, token)).toMatchObject({ ok: true, kid: before.currentKid });
    expect(decodeKtpToken(rotatedOnce, issue(rotatedOnce))).toMatchObject({ ok: true, kid: rotatedOnce.currentKid });
    const rotatedTwice = new KeyRing(rotateKeyRing(rotateKeyRing(stored)));
    expect(decodeKtpToken(rotatedTwice, token)).toMatchObject({ ok: false, reason: 'kid' });
  });

  it('never throws and never accepts random input (strings, bytes, base45 of bytes, near-tokens)', () => {
    const kid = keys.kidBytes();
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 400 }),
          fc.string({ unit: fc.constantFrom(...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:'), minLength: 170, maxLength: 176 }),
          fc.uint8Array({ maxLength: 200 }).map((b) => base45Encode(b)),
          fc.uint8Array({ minLength: 106, maxLength: 106 }).map((rest) => base45Encode(new Uint8Array([1, ...kid, ...rest]))),
          fc.anything(),
        ),
        (input) => {
          const result = decodeKtpToken(keys, input);
          expect(result.ok).toBe(false);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
