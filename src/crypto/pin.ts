/** PIN hashing on Node: argon2id (memory-hard) with a pepper kept outside the database. Node-only (native). */
// The weak-PIN rules (weakPinReason) live in ./pin-rules.ts: domain code imports those, never this native module.
import { hash, verify } from '@node-rs/argon2';

/** A slow, peppered hash for low-entropy secrets: resident PINs and operator passwords. */
export interface PinHasher {
  hash(pin: string): Promise<string>;
  verify(pinHash: string, pin: string): Promise<boolean>;
}

// OWASP's argon2id baseline (m=19 MiB, t=2, p=1): ~18 ms per hash on this machine.
const ARGON2_OPTIONS = { memoryCost: 19 * 1024, timeCost: 2, parallelism: 1, algorithm: 2 /* Argon2id */ } as const;

export function createPinHasher(pepper: string): PinHasher {
  const secret = new Uint8Array(Buffer.from(pepper, 'utf8'));
  return {
    hash: (pin) => hash(pin, { ...ARGON2_OPTIONS, secret }),
    verify: async (pinHash, pin) => {
      try {
        return await verify(pinHash, pin, { secret });
      } catch {
        return false;
      }
    },
  };
}
