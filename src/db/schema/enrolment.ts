/** Enrolment: registrations, device challenges, video calls and activation links/codes (SOP steps 2–5). */
import { sql } from 'drizzle-orm';
import { customType, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

export const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  // postgres.js hands back a Buffer, PGlite a Uint8Array: both are Uint8Array.
  fromDriver: (value) => new Uint8Array(value),
  toDriver: (value) => (typeof Buffer !== 'undefined' ? Buffer.from(value) : value),
});

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const registrations = pgTable(
  'registrations',
  {
    id: text('id').primaryKey(),
    nik: text('nik').notNull(),
    name: text('name').notNull(),
    birthDate: text('birth_date').notNull(),
    email: text('email').notNull(),
    phone: text('phone').notNull(),
    /** Raw Ed25519 public key, base64url. */
    devicePublicKey: text('device_public_key').notNull(),
    selfie: bytea('selfie'),
    selfieType: text('selfie_type'),
    kind: text('kind', { enum: ['new', 'device_replacement'] }).notNull(),
    status: text('status', {
      enum: ['pending_verification', 'awaiting_activation', 'active', 'rejected', 'expired'],
    }).notNull(),
    /** Why the registry refused it, or the operator's reason: for operators only, never for the caller. */
    rejectionReason: text('rejection_reason'),
    decidedBy: text('decided_by'),
    decidedAt: ts('decided_at'),
    channel: text('channel', { enum: ['counter', 'video_call'] }),
    videoCallId: text('video_call_id'),
    accountId: text('account_id'),
    /** The language the resident registered in (Accept-Language): their e-mails are written in it. */
    lang: text('lang', { enum: ['id', 'en'] }).notNull().default('id'),
    createdAt: ts('created_at').notNull(),
    expiresAt: ts('expires_at').notNull(),
  },
  (t) => [
    index('registrations_nik_idx').on(t.nik),
    index('registrations_status_idx').on(t.status, t.expiresAt),
    // The dashboard's counts by region within a period (drizzle/0012).
    index('registrations_created_nik_idx').on(t.createdAt, t.nik),
  ],
);

/** Which operator looked up (scanned) which registration's QR: approval needs the approver's own lookup. */
export const registrationLookups = pgTable(
  'registration_lookups',
  {
    registrationId: text('registration_id').notNull(),
    operatorId: text('operator_id').notNull(),
    lookedUpAt: ts('looked_up_at').notNull(),
  },
  (t) => [uniqueIndex('registration_lookups_key_idx').on(t.registrationId, t.operatorId)],
);

export const challenges = pgTable(
  'challenges',
  {
    id: text('id').primaryKey(),
    nonce: text('nonce').notNull(),
    purpose: text('purpose', { enum: ['login', 'registration_qr', 'pin_reset', 'unlock'] }).notNull(),
    createdAt: ts('created_at').notNull(),
    expiresAt: ts('expires_at').notNull(),
    usedAt: ts('used_at'),
  },
  (t) => [index('challenges_expires_idx').on(t.expiresAt)],
);

export const videoCalls = pgTable(
  'video_calls',
  {
    id: text('id').primaryKey(),
    registrationId: text('registration_id').notNull(),
    operatorId: text('operator_id').notNull(),
    roomUrl: text('room_url').notNull(),
    livenessPhrase: text('liveness_phrase').notNull(),
    createdAt: ts('created_at').notNull(),
    expiresAt: ts('expires_at').notNull(),
  },
  (t) => [index('video_calls_registration_idx').on(t.registrationId, t.expiresAt)],
);

export const activations = pgTable(
  'activations',
  {
    id: text('id').primaryKey(),
    registrationId: text('registration_id').notNull(),
    /** SHA-256 of the ≥128-bit link token, hex. */
    tokenHash: text('token_hash').notNull(),
    /** Hash of the 6-digit code (HMAC with the pepper). */
    codeHash: text('code_hash').notNull(),
    failedAttempts: integer('failed_attempts').notNull().default(0),
    createdAt: ts('created_at').notNull(),
    expiresAt: ts('expires_at').notNull(),
    consumedAt: ts('consumed_at'),
    voidedAt: ts('voided_at'),
  },
  (t) => [uniqueIndex('activations_token_hash_idx').on(t.tokenHash), index('activations_registration_idx').on(t.registrationId)],
);

