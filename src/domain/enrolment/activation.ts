/** Activation (SOP step 5): the e-mailed link + code, judged at most 5 times, consumed once into an account and a device. */
import { and, eq, sql } from 'drizzle-orm';
import { constantTimeEqualHex, hmacHex, newId, randomDigits, randomSecret, sha256Hex } from '../../crypto/secrets.js';
import { weakPinReason } from '../../crypto/pin-rules.js';
import { accounts, activations, devices, registrations } from '../../db/schema/index.js';
import { queryRows, type DbOrTx } from '../../db/types.js';
import type { Deps } from '../../deps.js';
import { enqueueEmail } from '../../email/outbox.js';
import { zoneOfProvince } from '../local-time.js';
import type { EmailLang } from '../../email/templates.js';
import { AppError } from '../../errors.js';
import { appendAudit } from '../audit/audit.js';
import { revokeAccountAccess } from '../credential/account-access.js';

export const ACTIVATION_TTL_MS = 24 * 3600_000;
export const MAX_ACTIVATION_ATTEMPTS = 5;

/** The key of the activation-code HMAC: the PIN pepper, kept outside the database. */
function codeKey(deps: Pick<Deps, 'config' | 'pepper'>): string {
  const pepper = deps.pepper ?? deps.config.pinPepper;
  if (!pepper) throw new Error('no pepper configured for activation codes (IKD_PIN_PEPPER)');
  return pepper;
}

export const hashActivationCode = (key: string, code: string): string => hmacHex(key, `ikd-activation-code|${code}`);

/** ≥128-bit link token; never one with a run of six digits, so the e-mail holds exactly one 6-digit group: the code. */
function newLinkToken(): string {
  let token = randomSecret(32);
  while (/[0-9]{6}/.test(token)) token = randomSecret(32);
  return token;
}

export const activationLink = (publicBaseUrl: string, token: string) => `${publicBaseUrl}/activate?t=${encodeURIComponent(token)}`;

/**
 * Creates an activation for an approved registration and e-mails the link + code, in the caller's transaction.
 * Only hashes are stored; the token and code exist in plain text only in the outbox message.
 */
export async function issueActivation(
  deps: Pick<Deps, 'config' | 'pepper'>,
  tx: DbOrTx,
  input: { registration: { id: string; nik: string; email: string; name: string; lang: EmailLang }; template: 'activation' | 'activation_resent'; now: Date },
): Promise<{ activationId: string; expiresAt: Date }> {
  const token = newLinkToken();
  const code = randomDigits(6);
  const expiresAt = new Date(input.now.getTime() + ACTIVATION_TTL_MS);
  const activationId = newId('act');
  await tx.insert(activations).values({
    id: activationId,
    registrationId: input.registration.id,
    tokenHash: sha256Hex(token),
    codeHash: hashActivationCode(codeKey(deps), code),
    createdAt: input.now,
    expiresAt,
  });
  await enqueueEmail(tx, {
    to: input.registration.email,
    template: input.template,
    lang: input.registration.lang,
    data: { name: input.registration.name, link: activationLink(deps.config.publicBaseUrl, token), code, expiresAt, zone: zoneOfProvince(input.registration.nik) },
    now: input.now,
  });
  return { activationId, expiresAt };
}

/**
 * What GET /activate tells the one holding the link: `used` once it made an account ("sudah diaktifkan, silakan
 * masuk"), else `open`. The ≥128-bit token is the proof of having the e-mail, so this tells nothing to a guesser;
 * a GET still consumes nothing. Unknown, expired and voided links show the form, whose POST explains them.
 */
export async function activationLinkState(deps: Pick<Deps, 'db'>, token: string): Promise<'open' | 'used'> {
  const [row] = await deps.db
    .select({ consumedAt: activations.consumedAt })
    .from(activations)
    .where(eq(activations.tokenHash, sha256Hex(token)))
    .limit(1);
  return row?.consumedAt ? 'used' : 'open';
}

/** Why a token could not take an attempt: unknown and used links answer exactly like a wrong code. */
async function refusalFor(db: DbOrTx, tokenHash: string, now: Date): Promise<AppError> {
  const [row] = await db.select().from(activations).where(eq(activations.tokenHash, tokenHash)).limit(1);
  if (!row || row.consumedAt) return new AppError('activation_invalid');
  if (row.failedAttempts >= MAX_ACTIVATION_ATTEMPTS) return new AppError('too_many_attempts');
  // Superseded by a resend, or past its 24 hours.
  if (row.voidedAt || row.expiresAt.getTime() <= now.getTime()) return new AppError('activation_expired');
  return new AppError('activation_invalid');
}

/**
 * POST /v1/activations. The attempt is counted before the code is judged, in one conditional UPDATE, so any number
 * of parallel guesses gets at most 5 judgements; a right code gives its attempt back. Consuming is one conditional
 * UPDATE too, in the transaction that creates (or, for a new phone, moves) the account.
 */
export async function activateAccount(deps: Deps, input: { token: string; code: string; newPin: string }): Promise<{ status: 'active' }> {
  const { db, clock, logger } = deps;
  const now = clock.now();
  if (weakPinReason(input.newPin) === 'format') {
    throw new AppError('weak_pin', { errors: [{ path: 'newPin', message: 'format' }] });
  }
  const tokenHash = sha256Hex(input.token);
  const [attempt] = await queryRows<{ id: string; registration_id: string; code_hash: string; failed_attempts: number }>(
    db,
    sql`update ${activations} set failed_attempts = failed_attempts + 1
        where token_hash = ${tokenHash} and consumed_at is null and voided_at is null
          and expires_at > ${now.toISOString()}::timestamptz and failed_attempts < ${MAX_ACTIVATION_ATTEMPTS}
        returning id, registration_id, code_hash, failed_attempts`,
  );
  if (!attempt) throw await refusalFor(db, tokenHash, now);

  const code = input.code.replace(/\s+/g, '');
  if (!constantTimeEqualHex(hashActivationCode(codeKey(deps), code), attempt.code_hash)) {
    logger.info('activation code wrong', { activationId: attempt.id, attempts: Number(attempt.failed_attempts) });
    throw new AppError('activation_invalid');
  }

  const giveAttemptBack = () =>
    db.update(activations).set({ failedAttempts: sql`greatest(${activations.failedAttempts} - 1, 0)` }).where(eq(activations.id, attempt.id));
  const [registration] = await db.select().from(registrations).where(eq(registrations.id, attempt.registration_id)).limit(1);
  if (!registration) throw new AppError('activation_invalid');
  const weak = weakPinReason(input.newPin, { birthDate: registration.birthDate, activationCode: code });
  if (weak) {
    await giveAttemptBack();
    throw new AppError('weak_pin', { errors: [{ path: 'newPin', message: weak }] });
  }

  // ~20 ms of argon2id: outside the transaction, so no row lock waits on it.
  const pinHash = await deps.pins.hash(input.newPin);
  const outcome = await db.transaction(async (tx) => {
    const consumed = await queryRows<{ id: string }>(
      tx,
      sql`update ${activations} set consumed_at = ${now.toISOString()}::timestamptz, failed_attempts = greatest(failed_attempts - 1, 0)
          where id = ${attempt.id} and consumed_at is null and voided_at is null and expires_at > ${now.toISOString()}::timestamptz
          returning id`,
    );
    if (consumed.length === 0) throw new AppError('activation_invalid');
    return createOrMoveAccount(tx, { registration, activationId: attempt.id, pinHash, now });
  });
  logger.info('account activated', { accountId: outcome.accountId, registrationId: registration.id, deviceReplaced: outcome.replaced });
  return { status: 'active' };
}

type Registration = typeof registrations.$inferSelect;

/**
 * Inside the activation's transaction: a first IKD creates the account; a live one (device replacement) gets the
 * new device and PIN, and its old devices, sessions and live QR tokens are revoked here — at activation, so the
 * resident is never left without a working phone while the e-mail is on its way, and the old phone stops working
 * the moment the new one starts.
 */
async function createOrMoveAccount(
  tx: DbOrTx,
  input: { registration: Registration; activationId: string; pinHash: string; now: Date },
): Promise<{ accountId: string; replaced: boolean }> {
  const { registration: reg, now } = input;
  // Two registrations of one NIK activating at once: serialise them, so the second sees the first's account.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`account:${reg.nik}`}, 0))`);
  const [existing] = await queryRows<{ id: string; email: string }>(
    tx,
    sql`select id, email from ${accounts} where nik = ${reg.nik} and status <> 'deleted' for update`,
  );
  const accountId = existing?.id ?? newId('acc');

  const moved = await tx
    .update(registrations)
    .set({ status: 'active', accountId })
    .where(and(eq(registrations.id, reg.id), eq(registrations.status, 'awaiting_activation')))
    .returning({ id: registrations.id });
  if (moved.length === 0) throw new AppError('activation_invalid');

  let revoked = { devices: 0, sessions: 0, tokens: 0 };
  if (existing) {
    revoked = await revokeAccountAccess(tx, existing.id, now);
    await tx
      .update(accounts)
      .set({
        email: reg.email,
        phone: reg.phone,
        status: 'active',
        pinHash: input.pinHash,
        pinFailures: 0,
        lockCount: 0,
        lockedUntil: null,
        suspendedReason: null,
        updatedAt: now,
      })
      .where(eq(accounts.id, existing.id));
  } else {
    await tx.insert(accounts).values({
      id: accountId,
      nik: reg.nik,
      email: reg.email,
      phone: reg.phone,
      status: 'active',
      pinHash: input.pinHash,
      activatedAt: now,
      createdAt: now,
      updatedAt: now,
    });
  }
  await tx.insert(devices).values({
    id: newId('dev'),
    accountId,
    publicKey: reg.devicePublicKey,
    registrationId: reg.id,
    status: 'active',
    createdAt: now,
  });
  await appendAudit(
    tx,
    {
      actorType: 'resident',
      actorId: accountId,
      action: existing ? 'account.device_replaced' : 'account.activated',
      targetType: 'account',
      targetId: accountId,
      details: { registrationId: reg.id, activationId: input.activationId, revoked },
    },
    now,
  );

  const lang = reg.lang;
  if (existing) {
    // The old address hears of it too: if someone else moved the IKD, its owner learns at once.
    const recipients = new Set([existing.email, reg.email]);
    for (const to of recipients) await enqueueEmail(tx, { to, template: 'device_replaced', lang, data: { name: reg.name, at: now, zone: zoneOfProvince(reg.nik) }, now });
  } else {
    await enqueueEmail(tx, { to: reg.email, template: 'account_activated', lang, data: { name: reg.name, at: now, zone: zoneOfProvince(reg.nik) }, now });
  }
  return { accountId, replaced: Boolean(existing) };
}
