/**
 * The KTP QR token: a 115-byte binary envelope (docs/token-format.md), encrypted then signed, base45 for QR
 * alphanumeric mode. Decoding never throws: anything that is not a genuine token of ours is `token_invalid`.
 */
import { base45Decode, base45Encode } from './base45.js';
import type { KeyRing } from './keyring.js';

/** The disclosable KTP elements (API.md "Data elements"); the index is the bit in the token's element mask. */
export const KTP_ELEMENTS = [
  'nik',
  'name',
  'birthPlace',
  'birthDate',
  'sex',
  'bloodType',
  'address',
  'religion',
  'maritalStatus',
  'occupation',
  'citizenship',
  'photo',
] as const;
export type KtpElement = (typeof KTP_ELEMENTS)[number];

export const TOKEN_VERSION = 0x01;
export const TOKEN_ID_BYTES = 12;
const HEADER_BYTES = 1 + 4 + 4; // version | kid | expiry
const IV_BYTES = 12;
const PLAINTEXT_BYTES = TOKEN_ID_BYTES + 2; // token id | element mask
const TAG_BYTES = 16;
const SIGNATURE_BYTES = 64;
const SIGNED_BYTES = HEADER_BYTES + IV_BYTES + PLAINTEXT_BYTES + TAG_BYTES;
export const TOKEN_BYTES = SIGNED_BYTES + SIGNATURE_BYTES; // 115
/** base45 length of a token: 57 triples + one final pair. */
export const TOKEN_CHARS = Math.floor(TOKEN_BYTES / 2) * 3 + (TOKEN_BYTES % 2) * 2; // 173

const ALL_ELEMENTS_MASK = (1 << KTP_ELEMENTS.length) - 1;

export function elementsToMask(elements: readonly KtpElement[]): number {
  let mask = 0;
  for (const e of elements) mask |= 1 << KTP_ELEMENTS.indexOf(e);
  return mask;
}

export function maskToElements(mask: number): KtpElement[] {
  return KTP_ELEMENTS.filter((_, i) => (mask & (1 << i)) !== 0);
}

export interface KtpTokenClaims {
  /** 12 random bytes; the database knows the token by their hex. */
  tokenId: Uint8Array;
  elements: readonly KtpElement[];
  /** Whole seconds: the envelope carries uint32 unix seconds. */
  expiresAt: Date;
}

export type DecodedKtpToken =
  | { ok: true; tokenId: string; kid: string; expiresAt: Date; elements: KtpElement[] }
  | { ok: false; error: 'token_invalid'; reason: TokenInvalidReason };

export type TokenInvalidReason = 'format' | 'length' | 'version' | 'kid' | 'ciphertext' | 'signature' | 'elements';

/** Seals the token id and element mask under the current key, then signs the whole envelope with it. */
export function encodeKtpToken(keys: KeyRing, claims: KtpTokenClaims): { token: string; kid: string } {
  if (claims.tokenId.length !== TOKEN_ID_BYTES) throw new RangeError('tokenId must be 12 bytes');
  const kid = keys.currentKid;
  const out = new Uint8Array(TOKEN_BYTES);
  const view = new DataView(out.buffer);
  out[0] = TOKEN_VERSION;
  out.set(keys.kidBytes(kid), 1);
  view.setUint32(5, Math.floor(claims.expiresAt.getTime() / 1000));
  const plaintext = new Uint8Array(PLAINTEXT_BYTES);
  plaintext.set(claims.tokenId, 0);
  new DataView(plaintext.buffer).setUint16(TOKEN_ID_BYTES, elementsToMask(claims.elements));
  const header = out.subarray(0, HEADER_BYTES);
  const box = keys.seal(plaintext, header, kid);
  out.set(box.iv, HEADER_BYTES);
  out.set(box.ciphertext, HEADER_BYTES + IV_BYTES);
  out.set(box.tag, HEADER_BYTES + IV_BYTES + PLAINTEXT_BYTES);
  const signed = keys.sign(out.subarray(0, SIGNED_BYTES));
  out.set(signed.signature, SIGNED_BYTES);
  return { token: base45Encode(out), kid };
}

const invalid = (reason: TokenInvalidReason): DecodedKtpToken => ({ ok: false, error: 'token_invalid', reason });

/**
 * Strict decode: exact length, version 0x01, a kid of our ring, an intact GCM box (cheap, ~10 µs: rejects forgeries
 * before the ~150 µs signature check), a valid Ed25519 signature and no unknown element bits.
 */
export function decodeKtpToken(keys: KeyRing, text: unknown): DecodedKtpToken {
  try {
    if (typeof text !== 'string' || text.length !== TOKEN_CHARS) return invalid('length');
    const bytes = base45Decode(text);
    if (!bytes) return invalid('format');
    if (bytes.length !== TOKEN_BYTES) return invalid('length');
    if (bytes[0] !== TOKEN_VERSION) return invalid('version');
    const kid = hex(bytes.subarray(1, 5));
    if (!keys.has(kid)) return invalid('kid');
    const header = bytes.subarray(0, HEADER_BYTES);
    const plaintext = keys.open(
      kid,
      bytes.subarray(HEADER_BYTES, HEADER_BYTES + IV_BYTES),
      bytes.subarray(HEADER_BYTES + IV_BYTES, HEADER_BYTES + IV_BYTES + PLAINTEXT_BYTES),
      bytes.subarray(HEADER_BYTES + IV_BYTES + PLAINTEXT_BYTES, SIGNED_BYTES),
      header,
    );
    if (!plaintext || plaintext.length !== PLAINTEXT_BYTES) return invalid('ciphertext');
    if (!keys.verify(kid, bytes.subarray(0, SIGNED_BYTES), bytes.subarray(SIGNED_BYTES))) return invalid('signature');
    const mask = (plaintext[TOKEN_ID_BYTES]! << 8) | plaintext[TOKEN_ID_BYTES + 1]!;
    if (mask === 0 || (mask & ~ALL_ELEMENTS_MASK) !== 0) return invalid('elements');
    const expirySeconds = new DataView(bytes.buffer, bytes.byteOffset).getUint32(5);
    return {
      ok: true,
      tokenId: hex(plaintext.subarray(0, TOKEN_ID_BYTES)),
      kid,
      expiresAt: new Date(expirySeconds * 1000),
      elements: maskToElements(mask),
    };
  } catch {
    // Belt and braces: a codec bug must still be a 400, never a 500.
    return invalid('format');
  }
}

function hex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += (b < 16 ? '0' : '') + b.toString(16);
  return s;
}
