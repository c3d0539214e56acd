/**
 * Kunci (lock): the holder locks their own IKD — from the app, or from the lock link in a per-scan notice, without
 * logging in — and unlocks it with the enrolled device and the PIN. self_locked is its own account state: an
 * operator's suspension is another one, and unlocking never lifts it.
 */
import { sql } from 'drizzle-orm';
import { generateKeyPairSync } from 'node:crypto';
import { newId, randomSecret, sha256Hex } from '../../crypto/secrets.js';
import { accounts, devices, lockLinks } from '../../db/schema/index.js';
import { queryRows, type DbOrTx } from '../../db/types.js';
import type { Deps } from '../../deps.js';
import { enqueueEmail } from '../../email/outbox.js';
import { accountRecipient } from '../../email/recipient.js';
import { AppError } from '../../errors.js';
import { appendAudit } from '../audit/audit.js';
import { endSessionsAndTokens } from '../credential/account-access.js';
import type { ResidentPrincipal } from '../credential/login.js';
import { LOGIN_RATE_LIMIT } from '../credential/login.js';
import { judgePin, spendPinCheckTime } from '../credential/pin-attempts.js';
import { consumeSignedChallenge } from '../enrolment/challenges.js';
import { enforceRateLimits } from '../limits/rate-limit.js';

export const LOCK_LINK_TTL_MS = 7 * 24 * 3600_000;
/** 24 random bytes: 192 bits, base64url (32 characters). */
const LOCK_LINK_BYTES = 24;

const NOBODYS_DEVICE_KEY = (generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }) as { x: string }).x;

/** A new lock link for a notice: only its hash is stored; the token goes into the e-mail and nowhere else. */
export async function createLockLink(tx: DbOrTx, accountId: string, now: Date): Promise<{ token: string; expiresAt: Date }> {
  const token = randomSecret(LOCK_LINK_BYTES);
  const expiresAt = new Date(now.getTime() + LOCK_LINK_TTL_MS);
  await tx.insert(lockLinks).values({ id: newId('lck'), accountId, tokenHash: sha256Hex(token), createdAt: now, expiresAt });
  return { token, expiresAt };
}

/**
 * active → self_locked, in the caller's transaction: sessions end, live QR tokens are revoked (devices stay: they
 * unlock), audited, the holder e-mailed. False when the account was not active (already locked, suspended, deleted).
 */
async function selfLock(tx: DbOrTx, accountId: string, now: Date, via: 'app' | 'lock_link'): Promise<boolean> {
  const locked = await queryRows<{ id: string }>(
    tx,
    sql`update ${accounts} set status = 'self_locked', updated_at = ${now.toISOString()}::timestamptz
        where id = ${accountId} and status = 'active' returning id`,
  );
  if (locked.length === 0) return false;
  const revoked = await endSessionsAndTokens(tx, accountId, now);
  await appendAudit(tx, { actorType: 'resident', actorId: accountId, action: 'account.self_lock', targetType: 'account', targetId: accountId, details: { via, revoked } }, now);
  const recipient = await accountRecipient(tx, accountId);
  if (recipient) await enqueueEmail(tx, { to: recipient.to, template: 'account_self_locked', lang: recipient.lang, data: { name: recipient.name, at: now, zone: recipient.zone }, now });
  return true;
}

/** POST /v1/me/lock. */
export async function lockOwnAccount(deps: Pick<Deps, 'db' | 'clock' | 'logger'>, resident: ResidentPrincipal): Promise<{ status: 'self_locked' }> {
  const now = deps.clock.now();
  const locked = await deps.db.transaction((tx) => selfLock(tx, resident.accountId, now, 'app'));
  // requireResident let a live session of an active account through: only a concurrent change can make this false.
  if (!locked) throw new AppError('unauthorized');
  deps.logger.info('resident locked the account', { accountId: resident.accountId, via: 'app' });
  return { status: 'self_locked' };
}

/**
 * POST /v1/locks { token }: the link from a scan notice, no login needed. The link is consumed by one conditional
 * UPDATE in the same transaction as the lock, so it locks once; a second POST answers 409 lock_link_used. A link of an
 * account that is no longer active is still consumed and answers the account's state.
 */
export async function lockWithLink(deps: Pick<Deps, 'db' | 'clock' | 'logger'>, token: string): Promise<{ status: string }> {
  const now = deps.clock.now();
  const tokenHash = sha256Hex(token);
  const result = await deps.db.transaction(async (tx) => {
    const [link] = await queryRows<{ account_id: string }>(
      tx,
      sql`update ${lockLinks} set used_at = ${now.toISOString()}::timestamptz
          where token_hash = ${tokenHash} and used_at is null and expires_at > ${now.toISOString()}::timestamptz
          returning account_id`,
    );
    if (!link) return null;
    await selfLock(tx, link.account_id, now, 'lock_link');
    const [account] = await queryRows<{ status: string }>(tx, sql`select status from ${accounts} where id = ${link.account_id}`);
    return { accountId: link.account_id, status: account?.status ?? 'deleted' };
  });
  if (!result) {
    const [known] = await queryRows<{ used: boolean }>(
      deps.db,
      sql`select used_at is not null as used from ${lockLinks} where token_hash = ${tokenHash}`,
    );
    if (!known) throw new AppError('lock_link_invalid');
    throw new AppError(known.used ? 'lock_link_used' : 'lock_link_expired');
  }
  deps.logger.info('account locked from a lock link', { accountId: result.accountId, status: result.status });
  return { status: result.status };
}

export interface UnlockInput {
  nik: string;
  challengeId: string;
  signature: string;
  pin: string;
  ip: string;
}

/**
 * POST /v1/auth/unlock: as login, the enrolled device's signature (challenge purpose "unlock") before any PIN is
 * judged, and the PIN under the lock (wrong ones count toward it). Unknown NIK, wrong device and wrong PIN answer
 * one 401 login_failed. Only self_locked → active: a suspended account answers 403 account_suspended.
 */
export async function unlockOwnAccount(deps: Deps, input: UnlockInput): Promise<{ status: 'active' }> {
  const { db, clock, pins } = deps;
  const now = clock.now();
  await enforceRateLimits(db, [{ key: `unlock:ip:${input.ip}`, ...LOGIN_RATE_LIMIT }], now);
  const [holder] = await queryRows<{ account_id: string; status: string; public_key: string }>(
    db,
    sql`select a.id as account_id, a.status, d.public_key
        from ${accounts} a join ${devices} d on d.account_id = a.id
        where a.nik = ${input.nik} and a.status <> 'deleted' and (d.status = 'active' or a.status = 'suspended')
        order by (d.status = 'active') desc, d.created_at desc
        limit 1`,
  );
  const signed = await consumeSignedChallenge(db, {
    challengeId: input.challengeId,
    purpose: 'unlock',
    signature: input.signature,
    devicePublicKey: holder?.public_key ?? NOBODYS_DEVICE_KEY,
    now,
  });
  if (!holder || !signed) {
    await spendPinCheckTime(pins, input.pin);
    throw new AppError('login_failed');
  }
  if (holder.status === 'suspended') throw new AppError('account_suspended');

  await judgePin(deps, { accountId: holder.account_id, pin: input.pin, wrongPin: 'login_failed' });
  await db.transaction(async (tx) => {
    const unlocked = await queryRows<{ id: string }>(
      tx,
      sql`update ${accounts} set status = 'active', updated_at = ${now.toISOString()}::timestamptz
          where id = ${holder.account_id} and status = 'self_locked' returning id`,
    );
    if (unlocked.length > 0) {
      await appendAudit(tx, { actorType: 'resident', actorId: holder.account_id, action: 'account.self_unlock', targetType: 'account', targetId: holder.account_id, details: {} }, now);
    }
  });
  const [after] = await queryRows<{ status: string }>(db, sql`select status from ${accounts} where id = ${holder.account_id}`);
  // Suspended while the PIN was judged: the operator's state wins.
  if (after?.status === 'suspended') throw new AppError('account_suspended');
  deps.logger.info('resident unlocked the account', { accountId: holder.account_id });
  return { status: 'active' };
}
