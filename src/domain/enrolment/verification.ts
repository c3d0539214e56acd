/** Operator verification (SOP steps 3–4) and account care: QR lookup, video calls, the decision, resends, suspension, unlock. */
import { zoneOfProvince } from '../local-time.js';
import { randomInt } from 'node:crypto';
import { and, eq, gt, ne, sql } from 'drizzle-orm';
import { newId, randomSecret } from '../../crypto/secrets.js';
import { accounts, activations, registrationLookups, registrations, videoCalls } from '../../db/schema/index.js';
import { queryRows } from '../../db/types.js';
import type { Deps } from '../../deps.js';
import { enqueueEmail } from '../../email/outbox.js';
import { accountRecipient } from '../../email/recipient.js';
import { AppError, type FieldError } from '../../errors.js';
import type { OperatorPrincipal } from '../operators/operators.js';
import { revokeAccountAccess } from '../credential/account-access.js';
import { issueActivation } from './activation.js';
import { appendAudit } from '../audit/audit.js';
import { decodeRegistrationQr } from './registration-qr.js';
import { findRegistration } from './registration.js';

export const VIDEO_CALL_TTL_MS = 30 * 60_000;

type Operator = Pick<OperatorPrincipal, 'id' | 'name' | 'role' | 'officeCode'>;

const operatorActor = (operator: Operator) => ({ actorType: 'operator' as const, actorId: operator.id });

const dataUrl = (type: string, bytes: Uint8Array) => `data:${type};base64,${Buffer.from(bytes).toString('base64')}`;

// ---------- lookup ----------

/**
 * POST /v1/operator/registrations/lookup: the scanned QR → the registration and, from the registry, the KTP-el
 * data and photo the operator compares with the person. Every lookup is audited (an operator saw personal data).
 */
export async function lookupRegistration(deps: Deps, input: { qr: string; operator: Operator }) {
  const { db, clock, registry } = deps;
  const now = clock.now();
  const decoded = decodeRegistrationQr(deps.keys, input.qr, now);
  if (!decoded.ok) throw new AppError(decoded.reason === 'expired' ? 'qr_expired' : 'qr_invalid');
  const reg = await findRegistration(deps, decoded.registrationId, now);
  // Signed by us, yet gone: nothing to show, and nothing to tell apart from a bad code.
  if (!reg) throw new AppError('qr_invalid');

  const [resident, photo, [account]] = await Promise.all([
    registry.findResident(reg.nik),
    registry.residentPhoto(reg.nik),
    db
      .select({ id: accounts.id, status: accounts.status, suspendedReason: accounts.suspendedReason })
      .from(accounts)
      .where(and(eq(accounts.nik, reg.nik), ne(accounts.status, 'deleted')))
      .limit(1),
  ]);
  await db.transaction(async (tx) => {
    // The QR proves the registrant's device is at hand: approval needs this operator's own lookup.
    await tx
      .insert(registrationLookups)
      .values({ registrationId: reg.id, operatorId: input.operator.id, lookedUpAt: now })
      .onConflictDoNothing({ target: [registrationLookups.registrationId, registrationLookups.operatorId] });
    await appendAudit(tx, { ...operatorActor(input.operator), action: 'registration.lookup', targetType: 'registration', targetId: reg.id }, now);
  });
  return {
    registration: {
      id: reg.id,
      status: reg.status,
      kind: reg.kind,
      createdAt: reg.createdAt.toISOString(),
      expiresAt: reg.expiresAt.toISOString(),
      email: reg.email,
      phone: reg.phone,
      ...(reg.selfie && reg.selfieType ? { selfie: dataUrl(reg.selfieType, reg.selfie) } : {}),
      ...(reg.status === 'rejected' && reg.rejectionReason ? { rejectionReason: reg.rejectionReason } : {}),
    },
    resident: resident
      ? {
          nik: resident.nik,
          name: resident.name,
          birthPlace: resident.birthPlace,
          birthDate: resident.birthDate,
          sex: resident.sex,
          address: resident.address,
          photo: photo ? dataUrl(photo.contentType, photo.bytes) : null,
        }
      : null,
    /** The IKD this registration would move to a new phone (device replacement), if any. */
    account: account ? { status: account.status, ...(account.suspendedReason ? { suspendedReason: account.suspendedReason } : {}) } : null,
  };
}

// ---------- video calls ----------

const PHRASE_WORDS = [
  'merah', 'biru', 'hijau', 'kuning', 'putih', 'sungai', 'gunung', 'pantai', 'hutan', 'sawah', 'pagi', 'siang',
  'malam', 'hujan', 'angin', 'bulan', 'bintang', 'matahari', 'kopi', 'teh', 'nasi', 'mangga', 'pisang', 'kelapa',
  'kapal', 'sepeda', 'rumah', 'pasar', 'sekolah', 'jalan', 'jembatan', 'pulau', 'burung', 'ikan', 'kucing', 'kuda',
] as const;

/** Three Indonesian words and a number the resident says on camera: a replayed recording cannot know them. */
export function newLivenessPhrase(): string {
  const words = Array.from({ length: 3 }, () => PHRASE_WORDS[randomInt(PHRASE_WORDS.length)]!);
  return `${words.join(' ')} ${randomInt(10, 100)}`;
}

/** POST /v1/operator/video-calls: a room with an unguessable name and a liveness phrase, for a pending registration. */
export async function startVideoCall(deps: Deps, input: { registrationId: string; operator: Operator }) {
  const { db, clock, config } = deps;
  const now = clock.now();
  const reg = await findRegistration(deps, input.registrationId, now);
  if (!reg) throw new AppError('not_found');
  if (reg.status !== 'pending_verification') throw new AppError('registration_not_pending');
  const call = {
    id: newId('vc'),
    registrationId: reg.id,
    operatorId: input.operator.id,
    // 128 random bits: the room name is the only thing keeping strangers out of the call.
    roomUrl: `${config.videoCallBaseUrl}/ikd-${randomSecret(16)}`,
    livenessPhrase: newLivenessPhrase(),
    createdAt: now,
    expiresAt: new Date(now.getTime() + VIDEO_CALL_TTL_MS),
  };
  await db.transaction(async (tx) => {
    await tx.insert(videoCalls).values(call);
    await appendAudit(
      tx,
      { ...operatorActor(input.operator), action: 'video_call.start', targetType: 'registration', targetId: reg.id, details: { videoCallId: call.id } },
      now,
    );
  });
  return { videoCallId: call.id, roomUrl: call.roomUrl, livenessPhrase: call.livenessPhrase, expiresAt: call.expiresAt.toISOString() };
}

// ---------- the decision ----------

export interface DecisionInput {
  registrationId: string;
  operator: Operator;
  decision: 'approve' | 'reject';
  channel: 'counter' | 'video_call';
  videoCallId?: string;
  ktpElSighted: boolean;
  faceMatch: 'match' | 'no_match';
  consentRecorded: boolean;
  reason?: string;
}

/** What an approval still lacks (empty when it may go ahead). */
async function unmetApprovalRequirements(deps: Deps, input: DecisionInput, now: Date): Promise<FieldError[]> {
  const unmet: FieldError[] = [];
  if (input.faceMatch !== 'match') unmet.push({ path: 'faceMatch', message: 'the face must match the KTP-el photo' });
  if (input.ktpElSighted !== true) unmet.push({ path: 'ktpElSighted', message: 'the KTP-el must have been seen' });
  if (input.consentRecorded !== true) unmet.push({ path: 'consentRecorded', message: 'the consent must be recorded' });
  const [lookup] = await deps.db
    .select({ at: registrationLookups.lookedUpAt })
    .from(registrationLookups)
    .where(and(eq(registrationLookups.registrationId, input.registrationId), eq(registrationLookups.operatorId, input.operator.id)))
    .limit(1);
  if (!lookup) unmet.push({ path: 'lookup', message: "this operator must first look up the registration's QR (the registrant's device)" });
  if (input.channel === 'video_call') {
    const [call] = input.videoCallId
      ? await deps.db.select().from(videoCalls).where(eq(videoCalls.id, input.videoCallId)).limit(1)
      : [];
    if (!call || call.registrationId !== input.registrationId) {
      unmet.push({ path: 'videoCallId', message: 'a video call of this registration is required' });
    } else if (call.expiresAt.getTime() <= now.getTime()) {
      unmet.push({ path: 'videoCallId', message: 'the video call has expired' });
    }
  }
  return unmet;
}

/**
 * POST /v1/operator/registrations/{id}/decision. The status moves by one conditional UPDATE (only from
 * pending_verification), in one transaction with the audit row and, on approval, the activation and its e-mail.
 */
export async function decideRegistration(deps: Deps, input: DecisionInput): Promise<{ status: 'awaiting_activation' | 'rejected' }> {
  const { db, clock, logger } = deps;
  const now = clock.now();
  const reason = input.reason?.trim();
  if (input.decision === 'reject' && !reason) {
    throw new AppError('invalid_request', { errors: [{ path: 'reason', message: 'a rejection needs a reason' }] });
  }
  const reg = await findRegistration(deps, input.registrationId, now);
  if (!reg) throw new AppError('not_found');
  if (reg.status !== 'pending_verification') throw new AppError('registration_not_pending');
  if (input.decision === 'approve') {
    const unmet = await unmetApprovalRequirements(deps, input, now);
    if (unmet.length > 0) throw new AppError('approval_requirements_unmet', { errors: unmet });
  }

  const approve = input.decision === 'approve';
  const status = approve ? ('awaiting_activation' as const) : ('rejected' as const);
  await db.transaction(async (tx) => {
    const decided = await tx
      .update(registrations)
      .set({
        status,
        decidedBy: input.operator.id,
        decidedAt: now,
        channel: input.channel,
        videoCallId: input.channel === 'video_call' ? input.videoCallId ?? null : null,
        rejectionReason: approve ? null : reason,
      })
      .where(and(eq(registrations.id, reg.id), eq(registrations.status, 'pending_verification'), gt(registrations.expiresAt, now)))
      .returning({ id: registrations.id });
    // Another operator decided first, or the 7 days ran out in between.
    if (decided.length === 0) throw new AppError('registration_not_pending');
    await appendAudit(
      tx,
      {
        ...operatorActor(input.operator),
        action: approve ? 'registration.approve' : 'registration.reject',
        targetType: 'registration',
        targetId: reg.id,
        details: {
          kind: reg.kind,
          channel: input.channel,
          videoCallId: input.videoCallId,
          faceMatch: input.faceMatch,
          ktpElSighted: input.ktpElSighted,
          consentRecorded: input.consentRecorded,
          reason,
          officeCode: input.operator.officeCode,
        },
      },
      now,
    );
    if (approve) await issueActivation(deps, tx, { registration: reg, template: 'activation', now });
    // Unlike a suspension's note, a rejection's reason is written for the registrant: they must know what to fix.
    else {
      await enqueueEmail(tx, {
        to: reg.email,
        template: 'registration_rejected',
        lang: reg.lang,
        data: { name: reg.name, at: now, reason: reason!, zone: zoneOfProvince(reg.nik) },
        now,
      });
    }
  });
  logger.info('registration decided', { registrationId: reg.id, status, operatorId: input.operator.id });
  return { status };
}

/** POST /v1/operator/registrations/{id}/resend-activation: the earlier link and code die, a new pair is e-mailed. */
export async function resendActivation(deps: Deps, input: { registrationId: string; operator: Operator }) {
  const { db, clock } = deps;
  const now = clock.now();
  return db.transaction(async (tx) => {
    // FOR UPDATE: an activation finishing at this moment either happened before (and we refuse) or waits for us.
    const [reg] = await queryRows<{ id: string; status: string }>(
      tx,
      sql`select id, status from ${registrations} where id = ${input.registrationId} for update`,
    );
    if (!reg) throw new AppError('not_found');
    if (reg.status !== 'awaiting_activation') throw new AppError('conflict', { detail: 'The registration is not awaiting activation.' });
    const [full] = await tx.select().from(registrations).where(eq(registrations.id, reg.id));
    const voided = await tx
      .update(activations)
      .set({ voidedAt: now })
      .where(and(eq(activations.registrationId, reg.id), sql`consumed_at is null and voided_at is null`))
      .returning({ id: activations.id });
    const issued = await issueActivation(deps, tx, { registration: full!, template: 'activation_resent', now });
    await appendAudit(
      tx,
      {
        ...operatorActor(input.operator),
        action: 'activation.resend',
        targetType: 'registration',
        targetId: reg.id,
        details: { voidedActivations: voided.length, activationId: issued.activationId },
      },
      now,
    );
    return { status: 'awaiting_activation' as const, expiresAt: issued.expiresAt.toISOString() };
  });
}

// ---------- account care ----------

/**
 * POST /v1/operator/accounts/{nik}/suspend (lost phone, fraud): the account is suspended, its devices, sessions
 * and live QR tokens revoked, links still waiting to be used voided, and the resident notified. The way back is
 * a new (device-replacement) registration, verified like the first.
 */
export async function suspendAccount(deps: Deps, input: { nik: string; reason: string; operator: Operator }) {
  const { db, clock, logger } = deps;
  const now = clock.now();
  const result = await db.transaction(async (tx) => {
    const [account] = await queryRows<{ id: string; status: string }>(
      tx,
      sql`select id, status from ${accounts} where nik = ${input.nik} and status <> 'deleted' for update`,
    );
    if (!account) throw new AppError('not_found');
    await tx
      .update(accounts)
      .set({ status: 'suspended', suspendedReason: input.reason, updatedAt: now })
      .where(eq(accounts.id, account.id));
    const revoked = await revokeAccountAccess(tx, account.id, now);
    // An approved replacement still waiting for activation would otherwise bring the account straight back.
    const voided = await queryRows<{ id: string }>(
      tx,
      sql`update ${activations} set voided_at = ${now.toISOString()}::timestamptz
          where consumed_at is null and voided_at is null
            and registration_id in (select id from ${registrations} where nik = ${input.nik})
          returning id`,
    );
    await appendAudit(
      tx,
      {
        ...operatorActor(input.operator),
        action: 'account.suspend',
        targetType: 'account',
        targetId: account.id,
        details: { reason: input.reason, previousStatus: account.status, revoked, voidedActivations: voided.length },
      },
      now,
    );
    if (account.status !== 'suspended') {
      const recipient = await accountRecipient(tx, account.id);
      if (recipient) {
        // The operator's reason stays in the audit log: a fraud note is not for whoever reads this mailbox.
        await enqueueEmail(tx, { to: recipient.to, template: 'account_suspended', lang: recipient.lang, data: { name: recipient.name, at: now, zone: recipient.zone }, now });
      }
    }
    return { accountId: account.id, revoked };
  });
  logger.info('account suspended', { accountId: result.accountId, operatorId: input.operator.id, ...result.revoked });
  return { status: 'suspended' as const };
}

/**
 * POST /v1/operator/accounts/{nik}/unlock: clears the PIN lock (failures, lock end, and the doubling count).
 * It does not lift a suspension: a suspended account has no device left, so only a verified device-replacement
 * registration can bring it back.
 */
export async function unlockAccount(deps: Deps, input: { nik: string; operator: Operator }) {
  const { db, clock } = deps;
  const now = clock.now();
  return db.transaction(async (tx) => {
    const [account] = await tx
      .update(accounts)
      .set({ pinFailures: 0, lockCount: 0, lockedUntil: null, updatedAt: now })
      .where(and(eq(accounts.nik, input.nik), ne(accounts.status, 'deleted')))
      .returning({ id: accounts.id, status: accounts.status });
    if (!account) throw new AppError('not_found');
    await appendAudit(
      tx,
      { ...operatorActor(input.operator), action: 'account.unlock', targetType: 'account', targetId: account.id, details: { status: account.status } },
      now,
    );
    return { status: account.status };
  });
}

