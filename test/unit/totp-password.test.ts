/** TOTP against RFC 6238's vectors and an independent HMAC implementation; operator password hashing. */
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dummyPasswordHash, generatePassword } from '../../src/crypto/password.js';
import { createPinHasher } from '../../src/crypto/pin.js';

const hasher = createPinHasher('test-pepper-0123456789abcdef');
const hashPassword = hasher.hash;
const verifyPassword = hasher.verify;
import { matchTotp, newTotpSecret, totpCode, totpStep, totpUri } from '../../src/crypto/totp.js';

// RFC 6238 Appendix B, SHA-1: the ASCII secret "12345678901234567890", Base32; codes are the last 6 of the 8 digits.
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const RFC_VECTORS: [number, string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
function base32Decode(text: string): Buffer {
  let bits = '';
  for (const ch of text.replace(/=+$/, '')) bits += BASE32.indexOf(ch).toString(2).padStart(5, '0');
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

/** RFC 4226 HOTP with node:crypto: the independent implementation otplib is checked against. */
function referenceTotp(secret: string, at: Date): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at.getTime() / 1000 / 30)));
  const mac = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = mac[mac.length - 1]! & 0xf;
  const value = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(value).padStart(6, '0');
}

describe('totp', () => {
  it('matches the RFC 6238 SHA-1 test vectors', async () => {
    for (const [seconds, code] of RFC_VECTORS) {
      expect(await totpCode(RFC_SECRET, new Date(seconds * 1000))).toBe(code.slice(2));
    }
  });

  it('agrees with an independent HMAC implementation for random secrets and times', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 4_000_000_000 }), async (seconds) => {
        const secret = newTotpSecret();
        const at = new Date(seconds * 1000);
        expect(await totpCode(secret, at)).toBe(referenceTotp(secret, at));
      }),
      { numRuns: 50 },
    );
  });

  it('new secrets are 160-bit Base32 and distinct', () => {
    const a = newTotpSecret();
    expect(a).toMatch(/^[A-Z2-7]{32}$/);
    expect(base32Decode(a)).toHaveLength(20);
    expect(newTotpSecret()).not.toBe(a);
  });

  it('accepts the current step and one either side, returning the step the code belongs to', async () => {
    const secret = newTotpSecret();
    const now = new Date('2026-11-23T08:00:10Z');
    const step = totpStep(now);
    for (const offset of [-1, 0, 1]) {
      const code = await totpCode(secret, new Date(now.getTime() + offset * 30_000));
      expect(await matchTotp(secret, code, now)).toBe(step + offset);
    }
    for (const offset of [-3, -2, 2, 3]) {
      const code = await totpCode(secret, new Date(now.getTime() + offset * 30_000));
      // A code of a far step can coincide with a near one by chance (1 in 10^6): compare with what is accepted.
      const near = await Promise.all([-1, 0, 1].map((o) => totpCode(secret, new Date(now.getTime() + o * 30_000))));
      if (!near.includes(code)) expect(await matchTotp(secret, code, now)).toBeNull();
    }
  });

  it('malformed codes are simply wrong, never a throw', async () => {
    const secret = newTotpSecret();
    const now = new Date();
    for (const code of ['', '12345', '1234567', 'abcdef', '12 456', '١٢٣٤٥٦', '000000000000000000']) {
      expect(await matchTotp(secret, code, now)).toBeNull();
    }
  });

  it('the otpauth URI carries issuer, label, secret and period', () => {
    const secret = newTotpSecret();
    const uri = new URL(totpUri('budi.santoso', secret));
    expect(uri.protocol).toBe('otpauth:');
    expect(decodeURIComponent(uri.pathname)).toContain('IKD Dukcapil:budi.santoso');
    expect(uri.searchParams.get('secret')).toBe(secret);
    expect(uri.searchParams.get('issuer')).toBe('IKD Dukcapil');
  });
});

describe('operator passwords', () => {
  it('hash with argon2id + pepper and verify; a wrong password, another pepper or a malformed hash is false', async () => {
    const hash = await hashPassword('correct horse battery staple');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(hash, 'correct horse battery staple')).toBe(true);
    expect(await verifyPassword(hash, 'correct horse battery stapler')).toBe(false);
    expect(await verifyPassword('not-a-hash', 'x')).toBe(false);
    expect(await createPinHasher('another-pepper-0123456789').verify(hash, 'correct horse battery staple')).toBe(false);
    expect(await hashPassword('correct horse battery staple')).not.toBe(hash);
  });

  it('generated passwords: 20 readable characters, no look-alikes, all different', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const pw = generatePassword();
      expect(pw).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{20}$/);
      seen.add(pw);
    }
    expect(seen.size).toBe(200);
  });

  it('the dummy hash for unknown users is a real argon2id hash nobody can match', async () => {
    const dummy = await dummyPasswordHash(hasher);
    expect(dummy).toMatch(/^\$argon2id\$/);
    expect(await dummyPasswordHash(hasher)).toBe(dummy);
    expect(await verifyPassword(dummy, '')).toBe(false);
  });
});
