import { describe, expect, it } from 'vitest';
import * as ed from '@noble/ed25519';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyRing, KeyRing, rotateKeyRing } from '../../src/crypto/keyring.js';
import { loadKeyRing, rotateKeyRingFile } from '../../src/crypto/keyring-file.js';
import { fromBase64Url } from '../../src/crypto/encoding.js';
import { parseConfig } from '../../src/config.js';

const data = new TextEncoder().encode('ikd test message');

describe('KeyRing', () => {
  it('signs with the current key and the signature verifies with @noble/ed25519 from the JWKS alone', async () => {
    const ring = new KeyRing(generateKeyRing());
    const { kid, signature } = ring.sign(data);
    expect(kid).toBe(ring.currentKid);
    const jwk = ring.jwks().keys.find((k) => k.kid === kid)!;
    expect(await ed.verifyAsync(signature, data, fromBase64Url(jwk.x))).toBe(true);
    expect(ring.verify(kid, data, signature)).toBe(true);
  });

  it('refuses a bad signature, a wrong kid and garbage without throwing', () => {
    const ring = new KeyRing(generateKeyRing());
    const { kid, signature } = ring.sign(data);
    const flipped = signature.slice();
    flipped[5]! ^= 1;
    expect(ring.verify(kid, data, flipped)).toBe(false);
    expect(ring.verify('ffffffff', data, signature)).toBe(false);
    expect(ring.verify(kid, data, new Uint8Array(3))).toBe(false);
  });

  it('publishes only public parts', () => {
    const stored = generateKeyRing();
    const ring = new KeyRing(stored);
    const text = JSON.stringify(ring.jwks());
    expect(text).not.toContain(stored.keys[0]!.ed25519);
    expect(text).not.toContain(stored.keys[0]!.aes);
    expect(ring.jwks().keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig', kid: stored.current });
    expect(Object.keys(ring.jwks().keys[0]!).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x']);
  });

  it('seals and opens with AES-256-GCM and detects tampering and wrong AAD', () => {
    const ring = new KeyRing(generateKeyRing());
    const aad = new Uint8Array([1, 2, 3]);
    const box = ring.seal(data, aad);
    expect(ring.open(ring.currentKid, box.iv, box.ciphertext, box.tag, aad)).toEqual(data);
    const tampered = box.ciphertext.slice();
    tampered[0]! ^= 0x80;
    expect(ring.open(ring.currentKid, box.iv, tampered, box.tag, aad)).toBeNull();
    expect(ring.open(ring.currentKid, box.iv, box.ciphertext, box.tag, new Uint8Array([9]))).toBeNull();
    expect(ring.open('00000000', box.iv, box.ciphertext, box.tag, aad)).toBeNull();
  });

  it('rotation keeps the previous key for verification and drops older ones', () => {
    const first = generateKeyRing();
    const second = rotateKeyRing(first);
    const third = rotateKeyRing(second);
    const ring2 = new KeyRing(second);
    expect(ring2.kids).toEqual([second.current, first.current]);
    const signedBefore = new KeyRing(first).sign(data);
    expect(ring2.verify(signedBefore.kid, data, signedBefore.signature)).toBe(true);
    expect(ring2.jwks().keys.map((k) => k.kid)).toEqual([second.current, first.current]);
    const ring3 = new KeyRing(third);
    expect(ring3.kids).toEqual([third.current, second.current]);
    expect(ring3.verify(signedBefore.kid, data, signedBefore.signature)).toBe(false);
  });

  it('rejects a malformed stored ring', () => {
    expect(() => new KeyRing({ current: 'abc', keys: [] } as never)).toThrow();
    const ring = generateKeyRing();
    expect(() => new KeyRing({ ...ring, current: 'ffffffff' })).toThrow(/current/);
  });
});

describe('key ring files', () => {
  it('generates keys once into the data dir, then reuses them; rotate keeps the previous', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ikd-keys-'));
    try {
      const config = parseConfig({ IKD_DATA_DIR: dir });
      const first = await loadKeyRing(config);
      expect(first.source).toBe('generated');
      const again = await loadKeyRing(config);
      expect(again.source).toBe('file');
      expect(again.ring.currentKid).toBe(first.ring.currentKid);
      const rotated = await rotateKeyRingFile(dir);
      expect(rotated.keys.map((k) => k.kid)).toEqual([rotated.current, first.ring.currentKid]);
      const onDisk = JSON.parse(await readFile(join(dir, 'keys.json'), 'utf8'));
      expect(onDisk.current).toBe(rotated.current);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('loads IKD_KEYS and names the variable when it is wrong', async () => {
    const stored = generateKeyRing();
    const ok = await loadKeyRing(parseConfig({ IKD_KEYS: JSON.stringify(stored) }));
    expect(ok.source).toBe('env');
    expect(ok.ring.currentKid).toBe(stored.current);
    await expect(loadKeyRing(parseConfig({ IKD_KEYS: '{"current":"zz","keys":[]}' }))).rejects.toThrow(/IKD_KEYS/);
  });
});
