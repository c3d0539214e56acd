/** Device keys: the resident's phone holds an Ed25519 key; signed steps prove possession (API.md "Device keys"). */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';

const RAW_KEY = /^[A-Za-z0-9_-]{43}$/;

// The eight points of small order (the torsion subgroup), canonically encoded: a signature by such a "key"
// says nothing about who made it.
const SMALL_ORDER_POINTS = new Set([
  '0100000000000000000000000000000000000000000000000000000000000000',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0000000000000000000000000000000000000000000000000000000000000080',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85',
]);
const P = 2n ** 255n - 19n;

/** A raw Ed25519 key the server accepts for a device: 32 bytes, y < p (canonical), not of small order. */
export function isDevicePublicKey(value: string): boolean {
  if (importDevicePublicKey(value) === null) return false;
  const bytes = Buffer.from(value, 'base64url');
  if (bytes.length !== 32) return false;
  const y = BigInt(`0x${Buffer.from(bytes).reverse().toString('hex')}`) & ((1n << 255n) - 1n);
  if (y >= P) return false;
  // x = 0 (y = ±1) with the sign bit set is another encoding of a small-order point.
  const hex = bytes.toString('hex');
  if (SMALL_ORDER_POINTS.has(hex)) return false;
  const withoutSign = Buffer.from(bytes);
  withoutSign[31]! &= 0x7f;
  return !SMALL_ORDER_POINTS.has(withoutSign.toString('hex'));
}

export function importDevicePublicKey(base64url: string): KeyObject | null {
  if (!RAW_KEY.test(base64url)) return null;
  try {
    return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: base64url }, format: 'jwk' });
  } catch {
    return null;
  }
}

/** The exact bytes a device signs: utf8("ikd-v1|" + purpose + "|" + challengeId + "|" + nonce). */
export const deviceSigningMessage = (purpose: string, challengeId: string, nonce: string): Uint8Array =>
  new TextEncoder().encode(`ikd-v1|${purpose}|${challengeId}|${nonce}`);

export function verifyDeviceSignature(
  publicKey: string,
  input: { purpose: string; challengeId: string; nonce: string; signature: string },
): boolean {
  const key = importDevicePublicKey(publicKey);
  if (!key || !/^[A-Za-z0-9_-]{86}$/.test(input.signature)) return false;
  try {
    return verify(null, deviceSigningMessage(input.purpose, input.challengeId, input.nonce), key, Buffer.from(input.signature, 'base64url'));
  } catch {
    return false;
  }
}
