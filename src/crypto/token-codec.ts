/**
 * The QR token: a binary envelope (docs/token-format.md), encrypted then signed, base45 for QR alphanumeric mode.
 * Version 0x01 (115 bytes) is a KTP token; version 0x02 (116 bytes) carries a document type byte in its plaintext.
 * Decoding never throws: anything that is not a genuine token of ours is `token_invalid`.
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

/** The documents a token can stand for; the index is the document byte of a version-2 token (0 = ktp). */
export const TOKEN_DOCUMENTS = [
  'ktp',
  'family_card',
  'birth_certificate',
  'marriage_certificate',
  'divorce_certificate',
  'death_certificate',
  'kia',
] as const;
export type TokenDocument = (typeof TOKEN_DOCUMENTS)[number];

export const TOKEN_VERSION = 0x01;
export const DOCUMENT_TOKEN_VERSION = 0x02;
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
/** Version 2: one byte more in the plaintext (the document type), so 116 bytes, 174 characters. */
export const DOCUMENT_TOKEN_BYTES = TOKEN_BYTES + 1;
export const DOCUMENT_TOKEN_CHARS = (DOCUMENT_TOKEN_BYTES / 2) * 3; // 174

interface Layout {
  version: number;
  bytes: number;
  chars: number;
  plaintext: number;
  signed: number;
}
const V1: Layout = { version: TOKEN_VERSION, bytes: TOKEN_BYTES, chars: TOKEN_CHARS, plaintext: PLAINTEXT_BYTES, signed: SIGNED_BYTES };
const V2: Layout = {
  version: DOCUMENT_TOKEN_VERSION,
  bytes: DOCUMENT_TOKEN_BYTES,
  chars: DOCUMENT_TOKEN_CHARS,
  plaintext: PLAINTEXT_BYTES + 1,
  signed: SIGNED_BYTES + 1,
};

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
  /** Absent or 'ktp': a version-1 KTP token (as before documents existed); otherwise a version-2 document token. */
  document?: TokenDocument;
}

export type DecodedKtpToken =
  | { ok: true; tokenId: string; kid: string; expiresAt: Date; elements: KtpElement[]; document: TokenDocument }
  | { ok: false; error: 'token_invalid'; reason: TokenInvalidReason };

export type TokenInvalidReason = 'format' | 'length' | 'version' | 'kid' | 'ciphertext' | 'signature' | 'elements' | 'document';

/**
 * Seals the token id, (version 2) the document byte and the element mask under the current key, then signs the
 * whole envelope with it. A KTP token stays version 1, byte for byte as before.
 */
export function encodeKtpToken(keys: KeyRing, claims: KtpTokenClaims): { token: string; kid: string } {
  if (claims.tokenId.length !== TOKEN_ID_BYTES) throw new RangeError('tokenId must be 12 bytes');
  const documentCode = TOKEN_DOCUMENTS.indexOf(claims.document ?? 'ktp');
  if (documentCode < 0) throw new RangeError('unknown document type');
  const layout = documentCode === 0 ? V1 : V2;
  const kid = keys.currentKid;
  const out = new Uint8Array(layout.bytes);
  const view = new DataView(out.buffer);
  out[0] = layout.version;
  out.set(keys.kidBytes(kid), 1);
  view.setUint32(5, Math.floor(claims.expiresAt.getTime() / 1000));
  const plaintext = new Uint8Array(layout.plaintext);
  plaintext.set(claims.tokenId, 0);
  if (layout === V2) plaintext[TOKEN_ID_BYTES] = documentCode;
  new DataView(plaintext.buffer).setUint16(layout.plaintext - 2, elementsToMask(claims.elements));
  const header = out.subarray(0, HEADER_BYTES);
  const box = keys.seal(plaintext, header, kid);
  out.set(box.iv, HEADER_BYTES);
  out.set(box.ciphertext, HEADER_BYTES + IV_BYTES);
  out.set(box.tag, HEADER_BYTES + IV_BYTES + layout.plaintext);
  const signed = keys.sign(out.subarray(0, layout.signed));
  out.set(signed.signature, layout.signed);
  return { token: base45Encode(out), kid };
}

const invalid = (reason: TokenInvalidReason): DecodedKtpToken => ({ ok: false, error: 'token_invalid', reason });

/**
 * Strict decode: exact length for its version (0x01: 115 bytes, 0x02: 116), a kid of our ring, an intact GCM box
 * (cheap, ~10 µs: rejects forgeries before the ~150 µs signature check), a valid Ed25519 signature, a known
 * document byte (version 2; never 0, which is what version 1 means) and no unknown element bits.
 */
export function decodeKtpToken(keys: KeyRing, text: unknown): DecodedKtpToken {
  try {
    if (typeof text !== 'string' || (text.length !== TOKEN_CHARS && text.length !== DOCUMENT_TOKEN_CHARS)) return invalid('length');
    const bytes = base45Decode(text);
    if (!bytes) return invalid('format');
    const layout = bytes[0] === TOKEN_VERSION ? V1 : bytes[0] === DOCUMENT_TOKEN_VERSION ? V2 : null;
    if (!layout) return invalid('version');
    if (bytes.length !== layout.bytes) return invalid('length');
    const kid = hex(bytes.subarray(1, 5));
    if (!keys.has(kid)) return invalid('kid');
    const header = bytes.subarray(0, HEADER_BYTES);
    const plaintext = keys.open(
      kid,
      bytes.subarray(HEADER_BYTES, HEADER_BYTES + IV_BYTES),
      bytes.subarray(HEADER_BYTES + IV_BYTES, HEADER_BYTES + IV_BYTES + layout.plaintext),
      bytes.subarray(HEADER_BYTES + IV_BYTES + layout.plaintext, layout.signed),
      header,
    );
    if (!plaintext || plaintext.length !== layout.plaintext) return invalid('ciphertext');
    if (!keys.verify(kid, bytes.subarray(0, layout.signed), bytes.subarray(layout.signed))) return invalid('signature');
    const mask = (plaintext[layout.plaintext - 2]! << 8) | plaintext[layout.plaintext - 1]!;
    if (mask === 0 || (mask & ~ALL_ELEMENTS_MASK) !== 0) return invalid('elements');
    const documentCode = layout === V2 ? plaintext[TOKEN_ID_BYTES]! : 0;
    const document = TOKEN_DOCUMENTS[documentCode];
    if (!document || (layout === V2 && documentCode === 0)) return invalid('document');
    const expirySeconds = new DataView(bytes.buffer, bytes.byteOffset).getUint32(5);
    return {
      ok: true,
      tokenId: hex(plaintext.subarray(0, TOKEN_ID_BYTES)),
      kid,
      expiresAt: new Date(expirySeconds * 1000),
      elements: maskToElements(mask),
      document,
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
