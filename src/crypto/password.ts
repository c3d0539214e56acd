/**
 * Operator passwords: generated passwords and a dummy hash for unknown users. The hashing itself is
 * deps.passwords (argon2id + pepper on Node, scrypt on Workers), so this module stays runtime-neutral.
 */
import { randomBytes } from 'node:crypto';
import type { PinHasher } from './pin.js';

export const MIN_PASSWORD_LENGTH = 12;

// Without an alphabet of look-alikes (0/O, 1/l/I), so it can be read out or typed from paper.
const READABLE = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A random password of 20 readable characters (~115 bits), shown to its owner once. */
export function generatePassword(length = 20): string {
  // 256 is not a multiple of 56, so reject bytes above the last full multiple (no modulo bias).
  const limit = 256 - (256 % READABLE.length);
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < limit && out.length < length) out += READABLE[byte % READABLE.length];
    }
  }
  return out;
}

const dummyHashes = new WeakMap<PinHasher, Promise<string>>();

/** A hash of a random password nobody knows: unknown usernames are checked against it so they cost the same time. */
export function dummyPasswordHash(hasher: PinHasher): Promise<string> {
  let dummy = dummyHashes.get(hasher);
  if (!dummy) {
    dummy = hasher.hash(randomBytes(24).toString('base64url'));
    dummyHashes.set(hasher, dummy);
  }
  return dummy;
}
