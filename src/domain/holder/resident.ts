/** The resident's own account: profile, the KTP for display, changing the PIN and deleting the IKD. */
import { and, eq, inArray, ne, or, sql } from 'drizzle-orm';
import { weakPinReason } from '../../crypto/pin-rules.js';
import { accounts, devices, holderBlocks, ktpTokens, lockLinks, oidcAccessTokens, oidcAuthorizations, outbox, registrations, residentSessions, verificationRequests } from '../../db/schema/index.js';
import type { DbOrTx } from '../../db/types.js';
import type { Deps } from '../../deps.js';
import { enqueueEmail } from '../../email/outbox.js';
import { zoneOfProvince } from '../local-time.js';
import { accountRecipient } from '../../email/recipient.js';
import { AppError } from '../../errors.js';
import type { KtpFields } from '../../registry/port.js';
import { revokeAccountAccess } from '../credential/account-access.js';
import { appendAudit } from '../audit/audit.js';
import type { ResidentPrincipal } from '../credential/login.js';
import { judgePin } from '../credential/pin-attempts.js';
import { enforceRateLimits } from '../limits/rate-limit.js';
import { eraseHolderDataBalikan } from './data-balikan.js';
import { eraseHolderServiceRequests } from '../services/erasure.js';

/** PIN change and deletion judge a PIN (argon2): limited per account like QR issuance. */
export const PIN_ACTION_RATE_LIMIT = { limit: 10, windowSeconds: 60 } as const;

/** "budi@gmail.com" → "b***i@gmail.com": enough to recognise, not enough to harvest. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '***';
  const local = email.slice(0, at);
  return `${local[0]}***${local.length > 1 ? local[local.length - 1] : ''}${email.slice(at)}`;
}

/** "+6281234567890" → "+628*******890": the operator prefix and the last three digits. */
export function maskPhone(phone: string): string {
  if (phone.length < 8) return `${'*'.repeat(Math.max(0, phone.length - 2))}${phone.slice(-2)}`;
  return `${phone.slice(0, 4)}${'*'.repeat(phone.length - 7)}${phone.slice(-3)}`;
}

async function accountOf(deps: Pick<Deps, 'db'>, accountId: string) {
  const [account] = await deps.db.select().from(accounts).where(eq(accounts.id, accountId)).limit(1);
  if (!account) throw new AppError('unauthorized');
  return account;
}

/** GET /v1/me */
export async function residentProfile(deps: Pick<Deps, 'db' | 'registry'>, resident: ResidentPrincipal) {
  const [account, record] = await Promise.all([accountOf(deps, resident.accountId), deps.registry.findResident(resident.nik)]);
  return {
    nik: account.nik,
    name: record?.name ?? '',
    status: account.status,
    email: maskEmail(account.email),
    phone: maskPhone(account.phone),
    activatedAt: account.activatedAt.toISOString(),
    timeZone: zoneOfProvince(account.nik),
  };
}

export interface KtpDisplay extends KtpFields {
  /** A data URL of the KTP-el photo on record; null when there is none. */
  photo: string | null;
}

/** GET /v1/me/ktp: every element, from the population registry, for the resident's own screen. */
export async function residentKtp(deps: Pick<Deps, 'registry'>, resident: ResidentPrincipal): Promise<KtpDisplay> {
  const [record, photo] = await Promise.all([deps.registry.findResident(resident.nik), deps.registry.residentPhoto(resident.nik)]);
  if (!record) throw new AppError('not_found');
  return {
    nik: record.nik,
    name: record.name,
    birthPlace: record.birthPlace,
    birthDate: record.birthDate,
    sex: record.sex,
    bloodType: record.bloodType,
    address: record.address,
    religion: record.religion,
    maritalStatus: record.maritalStatus,
    occupation: record.occupation,
    citizenship: record.citizenship,
    photo: photo ? `data:${photo.contentType};base64,${Buffer.from(photo.bytes).toString('base64')}` : null,
  };
}

/**
 * PUT /v1/me/pin. The new PIN's rules are checked before the current PIN is judged (a typo in the new one costs
 * no attempt); a wrong current PIN is 401 pin_invalid and counts toward the lock. The resident's other sessions
 * end, and the resident is e-mailed, in the same transaction as the change.
 */
export async function changePin(deps: Deps, input: { resident: ResidentPrincipal; currentPin: string; newPin: string }): Promise<void> {
  const { db, clock, registry } = deps;
  const now = clock.now();
  const record = await registry.findResident(input.resident.nik);
  // Its own field reason, checked first: the pages say "must differ from the current PIN", not "easy to guess".
  if (input.newPin === input.currentPin) throw new AppError('weak_pin', { errors: [{ path: 'newPin', message: 'same_as_current' }] });
  const weak = weakPinReason(input.newPin, { birthDate: record?.birthDate });
  if (weak) throw new AppError('weak_pin', { errors: [{ path: 'newPin', message: weak }] });
  await enforceRateLimits(db, [{ key: `pin:account:${input.resident.accountId}`, ...PIN_ACTION_RATE_LIMIT }], now);
  await judgePin(deps, { accountId: input.resident.accountId, pin: input.currentPin, wrongPin: 'pin_invalid' });

  const pinHash = await deps.pins.hash(input.newPin);
  await db.transaction(async (tx) => {
    await tx.update(accounts).set({ pinHash, updatedAt: now }).where(eq(accounts.id, input.resident.accountId));
    await tx
      .update(residentSessions)
      .set({ revokedAt: now })
      .where(
        and(
          eq(residentSessions.accountId, input.resident.accountId),
          ne(residentSessions.id, input.resident.sessionId),
          sql`${residentSessions.revokedAt} is null`,
        ),
      );
    const recipient = await accountRecipient(tx, input.resident.accountId);
    if (recipient) {
      await enqueueEmail(tx, { to: recipient.to, template: 'pin_changed', lang: recipient.lang, data: { name: recipient.name || (record?.name ?? ''), at: now, zone: recipient.zone }, now });
    }
  });
  deps.logger.info('resident pin changed', { accountId: input.resident.accountId });
}

/**
 * DELETE /v1/me. After the PIN: the account is deleted (its row stays, for the access history and the audit),
 * devices, sessions and live QR tokens are revoked, the deletion is audited and the resident e-mailed — one transaction.
 */
export async function deleteAccount(deps: Deps, input: { resident: ResidentPrincipal; pin: string }): Promise<void> {
  const { db, clock } = deps;
  const now = clock.now();
  const accountId = input.resident.accountId;
  await enforceRateLimits(db, [{ key: `pin:account:${accountId}`, ...PIN_ACTION_RATE_LIMIT }], now);
  await judgePin(deps, { accountId, pin: input.pin, wrongPin: 'pin_invalid' });

  const record = await deps.registry.findResident(input.resident.nik);
  await db.transaction(async (tx) => {
    // Read before the erasure: the goodbye is the last message to this address.
    const recipient = await accountRecipient(tx, accountId);
    const deleted = await tx
      .update(accounts)
      .set({ status: 'deleted', deletedAt: now, updatedAt: now })
      .where(and(eq(accounts.id, accountId), inArray(accounts.status, ['active', 'self_locked'])))
      .returning({ id: accounts.id });
    // A concurrent suspension or deletion won: nothing to delete here.
    if (deleted.length === 0) throw new AppError('unauthorized');
    const revoked = await revokeAccountAccess(tx, accountId, now);
    const dataBalikanErased = await eraseHolderDataBalikan(tx, input.resident.nik);
    const serviceRequestsErased = await eraseHolderServiceRequests(tx, accountId, now);
    await eraseHolderData(tx, { accountId, nik: input.resident.nik, email: recipient?.to ?? null });
    await appendAudit(
      tx,
      {
        actorType: 'resident',
        actorId: accountId,
        action: 'account.delete',
        targetType: 'account',
        targetId: accountId,
        details: { revoked, dataBalikanErased, serviceRequests: serviceRequestsErased },
      },
      now,
    );
    if (recipient) {
      const { id } = await enqueueEmail(tx, { to: recipient.to, template: 'account_deleted', lang: recipient.lang, data: { name: recipient.name || (record?.name ?? ''), at: now, zone: recipient.zone }, now });
      await tx.update(outbox).set({ eraseAfterSend: true }).where(eq(outbox.id, id));
    }
  });
  deps.logger.info('resident account deleted', { accountId });
}

/**
 * Deletion deletes (API.md Part 2): e-mail, phone, PIN hash, selfies, device keys, sessions, QR tokens, lock links,
 * blocks, online-service authorizations (Masuk dengan IKD) and every e-mail ever queued to the address go; the account row stays as the bare id (and NIK) that the
 * access log and the audit log point at. The goodbye e-mail is queued after this and blanked once delivered.
 */
async function eraseHolderData(tx: DbOrTx, who: { accountId: string; nik: string; email: string | null }): Promise<void> {
  await tx.update(accounts).set({ email: '', phone: '', pinHash: '' }).where(eq(accounts.id, who.accountId));
  await tx
    .update(registrations)
    .set({ email: '', phone: '', selfie: null, selfieType: null, devicePublicKey: '' })
    .where(or(eq(registrations.accountId, who.accountId), eq(registrations.nik, who.nik)));
  await tx.delete(devices).where(eq(devices.accountId, who.accountId));
  await tx.delete(residentSessions).where(eq(residentSessions.accountId, who.accountId));
  await tx.delete(ktpTokens).where(eq(ktpTokens.accountId, who.accountId));
  await tx.delete(lockLinks).where(eq(lockLinks.accountId, who.accountId));
  await tx.delete(holderBlocks).where(eq(holderBlocks.accountId, who.accountId));
  // Masuk dengan IKD: the holder's login approvals and the access tokens they gave services.
  await tx.delete(oidcAccessTokens).where(eq(oidcAccessTokens.accountId, who.accountId));
  await tx.delete(oidcAuthorizations).where(eq(oidcAuthorizations.accountId, who.accountId));
  // Counter requests through a QR the holder decided.
  await tx.delete(verificationRequests).where(eq(verificationRequests.accountId, who.accountId));
  if (who.email) await tx.delete(outbox).where(eq(outbox.to, who.email));
}
