/** Device challenges: single-use, 120 s, consumed by one conditional UPDATE so a replay always loses. */
import { sql } from 'drizzle-orm';
import { challenges } from '../../db/schema/index.js';
import { queryRows, type DbOrTx } from '../../db/types.js';
import type { Deps } from '../../deps.js';
import { newId, randomSecret } from '../../crypto/secrets.js';
import { verifyDeviceSignature } from '../../crypto/device.js';

export const CHALLENGE_TTL_MS = 120_000;
export type ChallengePurpose = 'login' | 'registration_qr' | 'pin_reset' | 'unlock';

export async function createChallenge(deps: Pick<Deps, 'db' | 'clock'>, purpose: ChallengePurpose) {
  const now = deps.clock.now();
  const row = {
    id: newId('chl'),
    nonce: randomSecret(24),
    purpose,
    createdAt: now,
    expiresAt: new Date(now.getTime() + CHALLENGE_TTL_MS),
  };
  await deps.db.insert(challenges).values(row);
  return { challengeId: row.id, nonce: row.nonce, expiresAt: row.expiresAt.toISOString() };
}

/**
 * Marks the challenge used and returns its nonce, or null when it is unknown, of another purpose, expired or
 * already used. One statement: of two concurrent callers exactly one gets the nonce.
 */
export async function consumeChallenge(
  db: DbOrTx,
  input: { challengeId: string; purpose: ChallengePurpose; now: Date },
): Promise<{ nonce: string } | null> {
  const rows = await queryRows<{ nonce: string }>(
    db,
    sql`update ${challenges} set used_at = ${input.now.toISOString()}::timestamptz
        where id = ${input.challengeId} and purpose = ${input.purpose}
          and used_at is null and expires_at > ${input.now.toISOString()}::timestamptz
        returning nonce`,
  );
  return rows[0] ?? null;
}

/** Consumes the challenge and checks the device's signature over it; false for any failure. */
export async function consumeSignedChallenge(
  db: DbOrTx,
  input: { challengeId: string; purpose: ChallengePurpose; signature: string; devicePublicKey: string; now: Date },
): Promise<boolean> {
  const challenge = await consumeChallenge(db, input);
  if (!challenge) return false;
  return verifyDeviceSignature(input.devicePublicKey, {
    purpose: input.purpose,
    challengeId: input.challengeId,
    nonce: challenge.nonce,
    signature: input.signature,
  });
}
