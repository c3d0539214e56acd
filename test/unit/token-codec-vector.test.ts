/**
 * docs/token-format.md's test vector, checked with implementations that are not the service's: @noble/ed25519 for
 * the signature, WebCrypto for AES-256-GCM, a base45 written here from RFC 9285. Then the service's decoder reads it.
 */
import { readFileSync } from 'node:fs';
import * as ed from '@noble/ed25519';
import { describe, expect, it } from 'vitest';
import { KeyRing } from '../../src/crypto/keyring.js';
import { decodeKtpToken, elementsToMask, encodeKtpToken, TOKEN_DOCUMENTS, type KtpElement } from '../../src/crypto/token-codec.js';

interface Vector {
  keys: { kid: string; ed25519Seed: string; aes256: string; jwk: { x: string; kid: string } };
  plaintext: { tokenId: string; elements: KtpElement[]; elementMask: string; expiresAt: string; expiry: number };
  iv: string;
  aad: string;
  ciphertext: string;
  tag: string;
  signature: string;
  bytes: string;
  length: number;
  token: string;
}

const doc = readFileSync(new URL('../../docs/token-format.md', import.meta.url), 'utf8');
const block = /## Test vector[\s\S]*?```json\n([\s\S]*?)\n```/.exec(doc);
const vector = JSON.parse(block![1]!) as Vector;

const hex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));
const b64url = (s: string) => new Uint8Array(Buffer.from(s, 'base64url'));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** RFC 9285 §4, independently of src/crypto/base45.ts. */
function base45(bytes: Uint8Array): string {
  const A = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
  let out = '';
  for (let i = 0; i < bytes.length; i += 2) {
    if (i + 1 === bytes.length) {
      out += A[bytes[i]! % 45]! + A[Math.floor(bytes[i]! / 45)]!;
    } else {
      const n = bytes[i]! * 256 + bytes[i + 1]!;
      out += A[n % 45]! + A[Math.floor(n / 45) % 45]! + A[Math.floor(n / 2025)]!;
    }
  }
  return out;
}

describe('docs/token-format.md test vector', () => {
  it('has a consistent layout: header, iv, ciphertext, tag, signature', () => {
    const expiry = Date.parse(vector.plaintext.expiresAt) / 1000;
    expect(vector.plaintext.expiry).toBe(expiry);
    const header = new Uint8Array(9);
    header[0] = 0x01;
    header.set(hex(vector.keys.kid), 1);
    new DataView(header.buffer).setUint32(5, expiry);
    expect(toHex(header)).toBe(vector.aad);
    expect(vector.bytes).toBe(vector.aad + vector.iv + vector.ciphertext + vector.tag + vector.signature);
    expect(hex(vector.bytes)).toHaveLength(vector.length);
    expect(vector.length).toBe(115);
    expect(Number(vector.plaintext.elementMask)).toBe(elementsToMask(vector.plaintext.elements));
  });

  it('verifies with @noble/ed25519 from the JWK alone, and noble re-derives the same key and signature', async () => {
    const bytes = hex(vector.bytes);
    const publicKey = b64url(vector.keys.jwk.x);
    expect(await ed.verifyAsync(hex(vector.signature), bytes.subarray(0, 51), publicKey)).toBe(true);
    expect(toHex(await ed.getPublicKeyAsync(b64url(vector.keys.ed25519Seed)))).toBe(toHex(publicKey));
    expect(toHex(await ed.signAsync(bytes.subarray(0, 51), b64url(vector.keys.ed25519Seed)))).toBe(vector.signature);
    const altered = bytes.slice(0, 51);
    altered[6] = altered[6]! ^ 1;
    expect(await ed.verifyAsync(hex(vector.signature), altered, publicKey)).toBe(false);
  });

  it('decrypts with WebCrypto AES-256-GCM, the header as AAD', async () => {
    const key = await crypto.subtle.importKey('raw', b64url(vector.keys.aes256), 'AES-GCM', false, ['decrypt', 'encrypt']);
    const params = { name: 'AES-GCM', iv: hex(vector.iv), additionalData: hex(vector.aad), tagLength: 128 };
    const plaintext = new Uint8Array(await crypto.subtle.decrypt(params, key, hex(vector.ciphertext + vector.tag)));
    expect(toHex(plaintext)).toBe(vector.plaintext.tokenId + Number(vector.plaintext.elementMask).toString(16).padStart(4, '0'));
    const sealed = new Uint8Array(await crypto.subtle.encrypt(params, key, plaintext));
    expect(toHex(sealed)).toBe(vector.ciphertext + vector.tag);
  });

  it('is the base45 of the bytes, and the service decodes it with a ring holding the vector key', () => {
    expect(base45(hex(vector.bytes))).toBe(vector.token);
    const ring = new KeyRing({
      current: vector.keys.kid,
      keys: [{ kid: vector.keys.kid, createdAt: '2026-11-23T00:00:00Z', ed25519: vector.keys.ed25519Seed, aes: vector.keys.aes256 }],
    });
    expect(ring.jwks().keys[0]).toEqual({ kty: 'OKP', crv: 'Ed25519', x: vector.keys.jwk.x, kid: vector.keys.kid, alg: 'EdDSA', use: 'sig' });
    expect(decodeKtpToken(ring, vector.token)).toEqual({
      ok: true,
      tokenId: vector.plaintext.tokenId,
      kid: vector.keys.kid,
      expiresAt: new Date(vector.plaintext.expiresAt),
      elements: vector.plaintext.elements,
      document: 'ktp',
    });
  });
});

interface DocumentVector {
  plaintext: { tokenId: string; document: string; documentByte: string; elements: KtpElement[]; elementMask: string; expiresAt: string; expiry: number };
  iv: string;
  aad: string;
  ciphertext: string;
  tag: string;
  signature: string;
  bytes: string;
  length: number;
  token: string;
}

const block2 = /### Test vector \(version 2\)[\s\S]*?```json\n([\s\S]*?)\n```/.exec(doc);
const vector2 = JSON.parse(block2![1]!) as DocumentVector;

describe('docs/token-format.md version-2 (document) test vector', () => {
  it('has the version-2 layout: 116 bytes, the signature over bytes 0…51', () => {
    const header = new Uint8Array(9);
    header[0] = 0x02;
    header.set(hex(vector.keys.kid), 1);
    new DataView(header.buffer).setUint32(5, Date.parse(vector2.plaintext.expiresAt) / 1000);
    expect(toHex(header)).toBe(vector2.aad);
    expect(vector2.bytes).toBe(vector2.aad + vector2.iv + vector2.ciphertext + vector2.tag + vector2.signature);
    expect(hex(vector2.bytes)).toHaveLength(116);
    expect(hex(vector2.ciphertext)).toHaveLength(15);
    expect(TOKEN_DOCUMENTS.indexOf(vector2.plaintext.document as never)).toBe(Number(vector2.plaintext.documentByte));
  });

  it('verifies with @noble/ed25519 from the JWK alone', async () => {
    const bytes = hex(vector2.bytes);
    const publicKey = b64url(vector.keys.jwk.x);
    expect(await ed.verifyAsync(hex(vector2.signature), bytes.subarray(0, 52), publicKey)).toBe(true);
    expect(toHex(await ed.signAsync(bytes.subarray(0, 52), b64url(vector.keys.ed25519Seed)))).toBe(vector2.signature);
    const altered = bytes.slice(0, 52);
    altered[0] = 0x01;
    expect(await ed.verifyAsync(hex(vector2.signature), altered, publicKey)).toBe(false);
  });

  it('decrypts with WebCrypto to token id | document | mask', async () => {
    const key = await crypto.subtle.importKey('raw', b64url(vector.keys.aes256), 'AES-GCM', false, ['decrypt']);
    const params = { name: 'AES-GCM', iv: hex(vector2.iv), additionalData: hex(vector2.aad), tagLength: 128 };
    const plaintext = new Uint8Array(await crypto.subtle.decrypt(params, key, hex(vector2.ciphertext + vector2.tag)));
    expect(toHex(plaintext)).toBe(vector2.plaintext.tokenId + vector2.plaintext.documentByte.slice(2) + vector2.plaintext.elementMask.slice(2));
  });

  it('is the base45 of the bytes, the service decodes it, and encodes documents as version 2 and KTP as version 1', () => {
    expect(base45(hex(vector2.bytes))).toBe(vector2.token);
    expect(vector2.token).toHaveLength(174);
    const ring = new KeyRing({
      current: vector.keys.kid,
      keys: [{ kid: vector.keys.kid, createdAt: '2026-11-23T00:00:00Z', ed25519: vector.keys.ed25519Seed, aes: vector.keys.aes256 }],
    });
    expect(decodeKtpToken(ring, vector2.token)).toEqual({
      ok: true,
      tokenId: vector2.plaintext.tokenId,
      kid: vector.keys.kid,
      expiresAt: new Date(vector2.plaintext.expiresAt),
      elements: vector2.plaintext.elements,
      document: 'family_card',
    });
    const claims = { tokenId: hex(vector2.plaintext.tokenId), elements: vector2.plaintext.elements, expiresAt: new Date(vector2.plaintext.expiresAt) };
    for (const document of TOKEN_DOCUMENTS) {
      const { token } = encodeKtpToken(ring, { ...claims, document });
      expect(token).toHaveLength(document === 'ktp' ? 173 : 174);
      expect(decodeKtpToken(ring, token)).toMatchObject({ ok: true, document });
    }
  });
});
