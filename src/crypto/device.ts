/** Device keys: the resident's phone holds an Ed25519 key; signed steps prove possession (API.md "Device keys"). */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';

const RAW_KEY = /^[A-Za-z0-9_-]{43}$/;

export function isDevicePublicKey(value: string): boolean {
  return importDevicePublicKey(value) !== null;
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
