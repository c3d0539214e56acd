/** The key ring's P-256 key (ES256 ID tokens of Masuk dengan IKD): generated with new keys, derived for older rings, rotated with the rest. */
import { importJWK, jwtVerify, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { generateKeyRing, KeyRing, rotateKeyRing } from '../../src/crypto/keyring.js';

describe('P-256 key in the ring', () => {
  it('signs ES256 that its published JWK verifies; no private part is published', async () => {
    const ring = new KeyRing(generateKeyRing());
    const key = ring.currentIdTokenKey();
    const jwk = ring.idTokenJwks()[0]!;
    expect(jwk).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig', kid: `es-${ring.currentKid}` });
    expect(jwk).not.toHaveProperty('d');
    const jwt = await new SignJWT({ a: 1 }).setProtectedHeader({ alg: 'ES256', kid: key.kid }).sign(key.privateKey);
    const { payload } = await jwtVerify(jwt, await importJWK(jwk, 'ES256'));
    expect(payload.a).toBe(1);
  });

  it('a ring stored before the P-256 key loads with one derived from the Ed25519 seed, the same every time', () => {
    const stored = generateKeyRing();
    const legacy = { ...stored, keys: stored.keys.map(({ p256: _, ...k }) => k) };
    const a = new KeyRing(legacy).idTokenJwks()[0]!;
    const b = new KeyRing(legacy).idTokenJwks()[0]!;
    expect(a).toEqual(b);
    expect(a).not.toEqual(new KeyRing(stored).idTokenJwks()[0]);
  });

  it('rotation brings a new P-256 key and keeps the previous one published', () => {
    const first = generateKeyRing();
    const rotated = new KeyRing(rotateKeyRing(first));
    expect(rotated.idTokenJwks().map((k) => k.kid)).toEqual([`es-${rotated.currentKid}`, `es-${first.current}`]);
    expect(rotated.publicJwks().keys.map((k) => k.kty)).toEqual(['OKP', 'OKP', 'EC', 'EC']);
  });
});
