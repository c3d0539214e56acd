/**
 * PIN hashing with scrypt (node:crypto, so it also runs on Workers with nodejs_compat, where the native
 * argon2 addon cannot). The pepper is mixed in with HMAC before the memory-hard step.
 */
import { createHmac, randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import type { PinHasher } from './pin.js';

const N_LOG2 = 15;
const R = 8;
const P = 1;

function scrypt(password: Buffer, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(password, salt, 32, { N: n, r, p, maxmem: 128 * n * r * 2 }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export function createScryptPinHasher(pepper: string): PinHasher {
  const peppered = (pin: string) => createHmac('sha256', pepper).update(pin).digest();
  return {
    async hash(pin) {
      const salt = randomBytes(16);
      const key = await scrypt(peppered(pin), salt, 2 ** N_LOG2, R, P);
      return `$scrypt$ln=${N_LOG2},r=${R},p=${P}$${salt.toString('base64url')}$${key.toString('base64url')}`;
    },
    async verify(pinHash, pin) {
      const m = /^\$scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/.exec(pinHash);
      if (!m) return false;
      const [, ln, r, p, salt, expected] = m;
      const want = Buffer.from(expected!, 'base64url');
      const got = await scrypt(peppered(pin), Buffer.from(salt!, 'base64url'), 2 ** Number(ln), Number(r), Number(p));
      return got.length === want.length && timingSafeEqual(got, want);
    },
  };
}
