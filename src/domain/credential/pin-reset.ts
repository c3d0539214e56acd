/**
 * Lupa PIN: a resident who forgot the PIN sets a new one on the enrolled device. The device signs a request, a
 * one-time code goes to the registered e-mail, and device signature + code + new PIN replace the PIN, end every
 * session and clear the PIN lock. Without the enrolled device there is no way here: that is a device replacement,
 * verified by Dukcapil like the first registration.
 */
import { generateKeyPairSync } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { weakPinReason } from '../../crypto/pin-rules.js';
import { constantTimeEqualHex, hmacHex, newId, randomDigits } from '../../crypto/secrets.js';
import { accounts, devices, pinResets, residentSessions } from '../../db/schema/index.js';
import { queryRows, type DbOrTx } from '../../db/types.js';
import type { Deps } from '../../deps.js';
import { enqueueEmail } from '../../email/outbox.js';
import { accountRecipient } from '../../email/recipient.js';
import { AppError } from '../../errors.js';
import { appendAudit } from '../audit/audit.js';
import { consumeSignedChallenge } from '../enrolment/challenges.js';
import { enforceRateLimits } from '../limits/rate-limit.js';

export const PIN_RESET_TTL_MS = 15 * 60_000;
export const MAX_PIN_RESET_ATTEMPTS = 5;
export const PIN_RESET_LIMITS = {
  /** Before anything is looked up, for every caller alike: the uniform answer stays uniform. */
  requestPerIp: { limit: 10, windowSeconds: 600 },
  confirmPerIp: { limit: 30, windowSeconds: 600 },
  /** Codes mailed per account, counted only after a valid device signature: nobody without the phone can use it up. */
  requestPerAccount: { limit: 3, windowSeconds: 3600 },
} as const;

// Unknown NIKs still consume the challenge and verify a signature, against a key nobody holds.
const NOBODYS_DEVICE_KEY = (generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }) as { x: string }).x;

/** The key of the code HMAC: the PIN pepper, kept outside the database (as for activation codes). */
function codeKey(deps: Pick<Deps, 'config' | 'pepper'>): string {
  const pepper = deps.pepper ?? deps.config.pinPepper;
  if (!pepper) throw new Error('no pepper configured for PIN reset codes (IKD_PIN_PEPPER)');
  return pepper;
}

export const hashPinResetCode = (key: string, code: string): string => hmacHex(key, `ikd-pin-reset-code|${code}`);

interface SignedHolder {
  accountId: string;
  deviceId: string;
}

/** The active account of `nik` whose active device signed the challenge (purpose pin_reset), or null. */
async function signedHolder(db: DbOrTx, input: { nik: string; challengeId: string; signature: string; now: Date }): Promise<SignedHolder | null> {
  const [holder] = await queryRows<{ account_id: string; device_id: string; public_key: string }>(
    db,
    sql`select a.id as account_id, d.id as device_id, d.public_key
        from ${accounts} a join ${devices} d on d.account_id = a.id
        where a.nik = ${input.nik} and a.status = 'active' and d.status = 'active'
        order by d.created_at desc
        limit 1`,
  );
  const signed = await consumeSignedChallenge(db, {
    challengeId: input.challengeId,
    purpose: 'pin_reset',
    signature: input.signature,
    devicePublicKey: holder?.public_key ?? NOBODYS_DEVICE_KEY,
    now: input.now,
  });
  return holder && signed ? { accountId: holder.account_id, deviceId: holder.device_id } : null;
}

export interface PinResetRequest {
  nik: string;
  challengeId: string;
  signature: string;
  ip: string;
}

/**
 * POST /v1/auth/pin-reset. The answer is the same whether or not the NIK has an IKD and the signature is its
 * device's: 202 with the time a code would expire. Only a valid signature mails a code; a newer request voids the
 * earlier code. The code is stored as an HMAC only; in plain text it exists only in the outbox message.
 */
export async function requestPinReset(deps: Deps, input: PinResetRequest): Promise<{ expiresAt: string }> {
  const { db, clock } = deps;
  const now = clock.now();
  await enforceRateLimits(db, [{ key: `pinreset:ip:${input.ip}`, ...PIN_RESET_LIMITS.requestPerIp }], now);
  const expiresAt = new Date(now.getTime() + PIN_RESET_TTL_MS);
  const holder = await signedHolder(db, { ...input, now });
  if (!holder) {
    deps.logger.info('pin reset requested without a matching device');
    return { expiresAt: expiresAt.toISOString() };
  }
  await enforceRateLimits(db, [{ key: `pinreset:account:${holder.accountId}`, ...PIN_RESET_LIMITS.requestPerAccount }], now);

  const code = randomDigits(6);
  const resetId = newId('prs');
  await db.transaction(async (tx) => {
    const voided = await queryRows<{ id: string }>(
      tx,
      sql`update ${pinResets} set voided_at = ${now.toISOString()}::timestamptz
          where account_id = ${holder.accountId} and consumed_at is null and voided_at is null returning id`,
    );
    await tx.insert(pinResets).values({
      id: resetId,
      accountId: holder.accountId,
      deviceId: holder.deviceId,
      codeHash: hashPinResetCode(codeKey(deps), code),
      createdAt: now,
      expiresAt,
    });
    await appendAudit(
      tx,
      {
        actorType: 'resident',
        actorId: holder.accountId,
        action: 'account.pin_reset_request',
        targetType: 'account',
        targetId: holder.accountId,
        details: { resetId, deviceId: holder.deviceId, voidedResets: voided.length },
      },
      now,
    );
    const recipient = await accountRecipient(tx, holder.accountId);
    if (recipient) {
      await enqueueEmail(tx, { to: recipient.to, template: 'pin_reset_code', lang: recipient.lang, data: { name: recipient.name, code, expiresAt, zone: recipient.zone }, now });
    }
  });
  deps.logger.info('pin reset code issued', { accountId: holder.accountId, resetId });
  return { expiresAt: expiresAt.toISOString() };
}

export interface PinResetConfirm {
  nik: string;
  challengeId: string;
  signature: string;
  code: string;
  newPin: string;
  ip: string;
}

/**
 * POST /v1/auth/pin-reset/confirm. Device signature first (401 pin_reset_invalid for unknown NIK, wrong device, no
 * open reset, wrong or used code: one body), then the new PIN's rules (a typo there costs no code attempt), then the
 * code, counted before it is judged so parallel guesses get no more than five. On success, in one transaction: the
 * code is consumed (once), the PIN replaced, the PIN failures and lock cleared, every session ended, the holder
 * e-mailed and the change audited.
 */
export async function confirmPinReset(deps: Deps, input: PinResetConfirm): Promise<void> {
  const { db, clock, registry } = deps;
  const now = clock.now();
  await enforceRateLimits(db, [{ key: `pinreset-confirm:ip:${input.ip}`, ...PIN_RESET_LIMITS.confirmPerIp }], now);
  const holder = await signedHolder(db, { ...input, now });
  if (!holder) throw new AppError('pin_reset_invalid');

  const record = await registry.findResident(input.nik);
  const weak = weakPinReason(input.newPin, { birthDate: record?.birthDate, activationCode: input.code });
  if (weak) throw new AppError('weak_pin', { errors: [{ path: 'newPin', message: weak }] });

  const [latest] = await queryRows<{ id: string; device_id: string; failed_attempts: number; expires_at: string; consumed_at: string | null; voided_at: string | null }>(
    db,
    sql`select id, device_id, failed_attempts, expires_at, consumed_at, voided_at from ${pinResets}
        where account_id = ${holder.accountId} order by created_at desc limit 1`,
  );
  if (!latest || latest.consumed_at || latest.device_id !== holder.deviceId) throw new AppError('pin_reset_invalid');
  if (Number(latest.failed_attempts) >= MAX_PIN_RESET_ATTEMPTS) throw new AppError('too_many_attempts');
  if (latest.voided_at) throw new AppError('pin_reset_invalid');
  if (new Date(latest.expires_at).getTime() <= now.getTime()) throw new AppError('pin_reset_expired');

  const [attempt] = await queryRows<{ code_hash: string; failed_attempts: number }>(
    db,
    sql`update ${pinResets} set failed_attempts = failed_attempts + 1
        where id = ${latest.id} and consumed_at is null and voided_at is null
          and failed_attempts < ${MAX_PIN_RESET_ATTEMPTS} and expires_at > ${now.toISOString()}::timestamptz
        returning code_hash, failed_attempts`,
  );
  if (!attempt) throw new AppError('too_many_attempts');
  if (!constantTimeEqualHex(attempt.code_hash, hashPinResetCode(codeKey(deps), input.code))) {
    const attemptsRemaining = Math.max(0, MAX_PIN_RESET_ATTEMPTS - Number(attempt.failed_attempts));
    // Only the enrolled device gets this far, so the holder (not a stranger) learns how many tries are left.
    throw new AppError('pin_reset_invalid', { extensions: { attemptsRemaining } });
  }

  const pinHash = await deps.pins.hash(input.newPin);
  const revokedSessions = await db.transaction(async (tx) => {
    const consumed = await queryRows<{ id: string }>(
      tx,
      sql`update ${pinResets} set consumed_at = ${now.toISOString()}::timestamptz
          where id = ${latest.id} and consumed_at is null and voided_at is null returning id`,
    );
    // A parallel confirm with the same code won: the code is single use.
    if (consumed.length === 0) throw new AppError('pin_reset_invalid');
    const updated = await queryRows<{ id: string }>(
      tx,
      sql`update ${accounts} set pin_hash = ${pinHash}, pin_failures = 0, locked_until = null, updated_at = ${now.toISOString()}::timestamptz
          where id = ${holder.accountId} and status = 'active' returning id`,
    );
    if (updated.length === 0) throw new AppError('pin_reset_invalid');
    const sessions = await queryRows<{ id: string }>(
      tx,
      sql`update ${residentSessions} set revoked_at = ${now.toISOString()}::timestamptz
          where account_id = ${holder.accountId} and revoked_at is null returning id`,
    );
    await appendAudit(
      tx,
      {
        actorType: 'resident',
        actorId: holder.accountId,
        action: 'account.pin_reset',
        targetType: 'account',
        targetId: holder.accountId,
        details: { resetId: latest.id, deviceId: holder.deviceId, revokedSessions: sessions.length },
      },
      now,
    );
    const recipient = await accountRecipient(tx, holder.accountId);
    if (recipient) {
      await enqueueEmail(tx, {
        to: recipient.to,
        template: 'pin_reset_done',
        lang: recipient.lang,
        data: { name: recipient.name || (record?.name ?? ''), at: now, zone: recipient.zone },
        now,
      });
    }
    return sessions.length;
  });
  deps.logger.info('resident pin reset', { accountId: holder.accountId, revokedSessions });
}
