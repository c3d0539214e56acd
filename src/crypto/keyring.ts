/** The service key ring: Ed25519 signing keys and AES-256 keys by kid; the current one signs, all live ones verify. */
import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  randomBytes,
  sign as edSign,
  verify as edVerify,
  type KeyObject,
} from 'node:crypto';
import { Buffer } from 'node:buffer';
import { z } from 'zod';
import { fromBase64Url, toBase64Url } from './encoding.js';

/** kid: 8 lowercase hex digits (4 bytes), so it fits in a compact token. */
const kidSchema = z.string().regex(/^[0-9a-f]{8}$/, 'kid must be 8 lowercase hex digits');
const key32 = z
  .string()
  .refine((s) => /^[A-Za-z0-9_-]{43}$/.test(s), 'must be 32 bytes, base64url without padding');

export const storedKeySchema = z.object({
  kid: kidSchema,
  createdAt: z.string(),
  /** Ed25519 private key seed, 32 bytes base64url. */
  ed25519: key32,
  /** AES-256-GCM key, 32 bytes base64url. */
  aes: key32,
});
export const storedKeyRingSchema = z
  .object({ current: kidSchema, keys: z.array(storedKeySchema).min(1) })
  .refine((r) => r.keys.some((k) => k.kid === r.current), 'current must name one of the keys')
  .refine((r) => new Set(r.keys.map((k) => k.kid)).size === r.keys.length, 'kids must be unique');

export type StoredKey = z.infer<typeof storedKeySchema>;
export type StoredKeyRing = z.infer<typeof storedKeyRingSchema>;

// DER prefix of a PKCS#8 Ed25519 private key; the 32-byte seed follows.
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export interface Jwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  kid: string;
  alg: 'EdDSA';
  use: 'sig';
}

interface LiveKey {
  kid: string;
  kidBytes: Uint8Array;
  createdAt: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicRaw: Uint8Array;
  aesKey: Buffer;
}

export class KeyRing {
  private readonly byKid: Map<string, LiveKey>;
  readonly currentKid: string;

  constructor(readonly stored: StoredKeyRing) {
    const ring = storedKeyRingSchema.parse(stored);
    // Keys are imported once, here, never per request.
    this.byKid = new Map(ring.keys.map((k) => [k.kid, importKey(k)]));
    this.currentKid = ring.current;
  }

  get kids(): string[] {
    return [...this.byKid.keys()];
  }

  has(kid: string): boolean {
    return this.byKid.has(kid);
  }

  kidBytes(kid = this.currentKid): Uint8Array {
    return this.mustGet(kid).kidBytes;
  }

  /** Ed25519 signature with the current key (node:crypto, native). */
  sign(data: Uint8Array): { kid: string; signature: Uint8Array } {
    const key = this.mustGet(this.currentKid);
    return { kid: key.kid, signature: new Uint8Array(edSign(null, data, key.privateKey)) };
  }

  /** Verifies with the named key; false for an unknown kid or a bad signature, never a throw. */
  verify(kid: string, data: Uint8Array, signature: Uint8Array): boolean {
    const key = this.byKid.get(kid);
    if (!key || signature.length !== 64) return false;
    try {
      return edVerify(null, data, key.publicKey, signature);
    } catch {
      return false;
    }
  }

  /** AES-256-GCM with the named key (default current); returns iv, ciphertext and tag separately. */
  seal(plaintext: Uint8Array, aad: Uint8Array, kid = this.currentKid): { iv: Uint8Array; ciphertext: Uint8Array; tag: Uint8Array } {
    const key = this.mustGet(kid);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key.aesKey, iv);
    cipher.setAAD(aad);
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return { iv: new Uint8Array(iv), ciphertext: new Uint8Array(ciphertext), tag: new Uint8Array(cipher.getAuthTag()) };
  }

  /** Opens an AES-256-GCM box; null when the kid is unknown or the box was tampered with. */
  open(kid: string, iv: Uint8Array, ciphertext: Uint8Array, tag: Uint8Array, aad: Uint8Array): Uint8Array | null {
    const key = this.byKid.get(kid);
    if (!key || iv.length !== 12 || tag.length !== 16) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', key.aesKey, iv);
      decipher.setAAD(aad);
      decipher.setAuthTag(tag);
      return new Uint8Array(Buffer.concat([decipher.update(ciphertext), decipher.final()]));
    } catch {
      return null;
    }
  }

  /** The public JWKS: every key that may verify a live token. Never a private part. */
  jwks(): { keys: Jwk[] } {
    return {
      keys: [...this.byKid.values()]
        .sort((a, b) => (a.kid === this.currentKid ? -1 : b.kid === this.currentKid ? 1 : 0))
        .map((k) => ({ kty: 'OKP', crv: 'Ed25519', x: toBase64Url(k.publicRaw), kid: k.kid, alg: 'EdDSA', use: 'sig' })),
    };
  }

  /** The KeyObjects of the current key, for jose (session JWTs). */
  currentSigningKey(): { kid: string; privateKey: KeyObject; publicKey: KeyObject } {
    const k = this.mustGet(this.currentKid);
    return { kid: k.kid, privateKey: k.privateKey, publicKey: k.publicKey };
  }

  publicKeyFor(kid: string): KeyObject | undefined {
    return this.byKid.get(kid)?.publicKey;
  }

  private mustGet(kid: string): LiveKey {
    const key = this.byKid.get(kid);
    if (!key) throw new Error(`unknown kid ${kid}`);
    return key;
  }
}

function importKey(k: StoredKey): LiveKey {
  const seed = fromBase64Url(k.ed25519);
  const privateKey = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  const publicKey = createPublicKey(privateKey);
  const jwk = publicKey.export({ format: 'jwk' }) as { x: string };
  return {
    kid: k.kid,
    kidBytes: new Uint8Array(Buffer.from(k.kid, 'hex')),
    createdAt: k.createdAt,
    privateKey,
    publicKey,
    publicRaw: fromBase64Url(jwk.x),
    aesKey: Buffer.from(fromBase64Url(k.aes)),
  };
}

export function generateStoredKey(now: Date = new Date()): StoredKey {
  return {
    kid: randomBytes(4).toString('hex'),
    createdAt: now.toISOString(),
    ed25519: toBase64Url(randomBytes(32)),
    aes: toBase64Url(randomBytes(32)),
  };
}

export function generateKeyRing(now: Date = new Date()): StoredKeyRing {
  const key = generateStoredKey(now);
  return { current: key.kid, keys: [key] };
}

/**
 * Rotation: a new key becomes current; the old current stays as "previous" so tokens it signed
 * (they live 90 s) still verify; anything older is dropped.
 */
export function rotateKeyRing(ring: StoredKeyRing, now: Date = new Date()): StoredKeyRing {
  let next = generateStoredKey(now);
  while (ring.keys.some((k) => k.kid === next.kid)) next = generateStoredKey(now);
  const previous = ring.keys.find((k) => k.kid === ring.current);
  return { current: next.kid, keys: previous ? [next, previous] : [next] };
}
