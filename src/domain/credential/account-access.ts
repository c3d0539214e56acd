/** Cuts an account off from its phones: devices revoked, resident sessions ended, live KTP QR tokens and online-service access tokens revoked. */
import { sql } from 'drizzle-orm';
import { devices, ktpTokens, oidcAccessTokens, residentSessions } from '../../db/schema/index.js';
import { queryRows, type DbOrTx } from '../../db/types.js';

export interface RevokedAccess {
  devices: number;
  sessions: number;
  tokens: number;
}

/** Call inside the transaction of the change that requires it (device replacement, suspension, deletion). */
export async function revokeAccountAccess(tx: DbOrTx, accountId: string, now: Date): Promise<RevokedAccess> {
  const revokedDevices = await queryRows<{ id: string }>(
    tx,
    sql`update ${devices} set status = 'revoked', revoked_at = ${now.toISOString()}::timestamptz
        where account_id = ${accountId} and status = 'active' returning id`,
  );
  return { devices: revokedDevices.length, ...(await endSessionsAndTokens(tx, accountId, now)) };
}

/** Sessions ended and live QR tokens revoked, the devices kept: the holder's own Kunci, undone with the device + PIN. */
export async function endSessionsAndTokens(tx: DbOrTx, accountId: string, now: Date): Promise<Omit<RevokedAccess, 'devices'>> {
  const sessions = await queryRows<{ id: string }>(
    tx,
    sql`update ${residentSessions} set revoked_at = ${now.toISOString()}::timestamptz
        where account_id = ${accountId} and revoked_at is null and expires_at > ${now.toISOString()}::timestamptz returning id`,
  );
  const tokens = await queryRows<{ id: string }>(
    tx,
    sql`update ${ktpTokens} set revoked_at = ${now.toISOString()}::timestamptz
        where account_id = ${accountId} and revoked_at is null and used_at is null and expires_at > ${now.toISOString()}::timestamptz returning id`,
  );
  // Online services' access tokens (Masuk dengan IKD) end with the sessions: an unlock does not revive them.
  await queryRows(
    tx,
    sql`update ${oidcAccessTokens} set revoked_at = ${now.toISOString()}::timestamptz
        where account_id = ${accountId} and revoked_at is null and expires_at > ${now.toISOString()}::timestamptz returning id`,
  );
  return { sessions: sessions.length, tokens: tokens.length };
}
