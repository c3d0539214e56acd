/** Random identifiers, secrets and their hashes: only hashes of secrets are ever stored. */
import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/** A random secret of `bytes` bytes, base64url (32 bytes = 256 bits by default). */
export const randomSecret = (bytes = 32): string => randomBytes(bytes).toString('base64url');

/** An opaque id with a readable prefix: reg_…, acc_…, op_… (96 random bits). */
export const newId = (prefix: string): string => `${prefix}_${randomBytes(12).toString('base64url')}`;

/** A uniformly random string of decimal digits (no modulo bias). */
export function randomDigits(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += String(randomInt(10));
  return out;
}

export const sha256Hex = (value: string | Uint8Array): string => createHash('sha256').update(value).digest('hex');

/** Keyed hash for low-entropy secrets (6-digit codes): without the pepper, the hash cannot be brute-forced offline. */
export const hmacHex = (key: string, value: string): string => createHmac('sha256', key).update(value).digest('hex');

export function constantTimeEqualHex(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a, 'hex'), Buffer.from(b, 'hex'));
}
