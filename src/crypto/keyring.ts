/**
 * The service key ring: Ed25519 signing keys, AES-256 keys and P-256 keys (ES256 OpenID Connect ID tokens) by kid; the
 * current one signs, all live ones verify.
 */
import {
  createECDH,
  createCipheriv,
  hkdfSync,
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
  /**
   * P-256 private scalar, 32 bytes base64url: signs ES256 ID tokens (src/domain/oidc). Optional so rings written
   * before it existed still load: then it is derived from the Ed25519 seed (HKDF), the same on every start.
   */
  p256: key32.optional(),
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

/** The public half of a P-256 key in the JWKS; its kid is `es-<kid>` so it never collides with the Ed25519 key's. */
export interface EcJwk {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
  kid: string;
  alg: 'ES256';
  use: 'sig';
}

interface LiveKey {
  kid: string;
  ecPrivateKey: KeyObject;
  ecPublicJwk: EcJwk;
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

  /** The published JWKS: the Ed25519 keys (KTP tokens) and the P-256 keys (ID tokens), current first. */
  publicJwks(): { keys: (Jwk | EcJwk)[] } {
    return { keys: [...this.jwks().keys, ...this.idTokenJwks()] };
  }

  /** The P-256 public keys, current first: every key that may verify a live ID token. */
  idTokenJwks(): EcJwk[] {
    return [...this.byKid.values()]
      .sort((a, b) => (a.kid === this.currentKid ? -1 : b.kid === this.currentKid ? 1 : 0))
      .map((k) => k.ecPublicJwk);
  }

  /** The current P-256 key for jose (ES256 ID tokens), with its JWKS kid. */
  currentIdTokenKey(): { kid: string; privateKey: KeyObject } {
    const k = this.mustGet(this.currentKid);
    return { kid: k.ecPublicJwk.kid, privateKey: k.ecPrivateKey };
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
  const d = k.p256 ? fromBase64Url(k.p256) : derivedP256Scalar(seed);
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(Buffer.from(d));
  const point = ecdh.getPublicKey(); // 0x04 ‖ x ‖ y
  const x = toBase64Url(point.subarray(1, 33));
  const y = toBase64Url(point.subarray(33, 65));
  const ecPrivateKey = createPrivateKey({ key: { kty: 'EC', crv: 'P-256', x, y, d: toBase64Url(d) }, format: 'jwk' });
  return {
    kid: k.kid,
    ecPrivateKey,
    ecPublicJwk: { kty: 'EC', crv: 'P-256', x, y, kid: `es-${k.kid}`, alg: 'ES256', use: 'sig' },
    kidBytes: new Uint8Array(Buffer.from(k.kid, 'hex')),
    createdAt: k.createdAt,
    privateKey,
    publicKey,
    publicRaw: fromBase64Url(jwk.x),
    aesKey: Buffer.from(fromBase64Url(k.aes)),
  };
}

// The order n of P-256: a private scalar must lie in [1, n-1].
const P256_ORDER = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');

const isP256Scalar = (d: Uint8Array): boolean => {
  const v = BigInt(`0x${Buffer.from(d).toString('hex')}`);
  return v > 0n && v < P256_ORDER;
};

/** A P-256 scalar from the Ed25519 seed (rings from before the P-256 key): HKDF-SHA256, retried in the ~2^-32 case it is out of range. */
function derivedP256Scalar(seed: Uint8Array): Uint8Array {
  for (let i = 0; ; i++) {
    const d = new Uint8Array(hkdfSync('sha256', seed, new Uint8Array(0), `ikd-v1|p256|${i}`, 32));
    if (isP256Scalar(d)) return d;
  }
}

function randomP256Scalar(): Uint8Array {
  for (;;) {
    const d = new Uint8Array(randomBytes(32));
    if (isP256Scalar(d)) return d;
  }
}

export function generateStoredKey(now: Date = new Date()): StoredKey {
  return {
    kid: randomBytes(4).toString('hex'),
    createdAt: now.toISOString(),
    ed25519: toBase64Url(randomBytes(32)),
    aes: toBase64Url(randomBytes(32)),
    p256: toBase64Url(randomP256Scalar()),
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
