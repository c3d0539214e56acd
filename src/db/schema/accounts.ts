/** Resident IKD accounts, their devices and their sessions. */
import { boolean, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const accounts = pgTable(
  'accounts',
  {
    id: text('id').primaryKey(),
    nik: text('nik').notNull(),
    email: text('email').notNull(),
    phone: text('phone').notNull(),
    /** self_locked: the holder's own Kunci (POST /v1/me/lock or a lock link); lifted by POST /v1/auth/unlock. */
    status: text('status', { enum: ['active', 'self_locked', 'suspended', 'deleted'] }).notNull(),
    /** argon2id(PIN, secret = pepper): PHC string. */
    pinHash: text('pin_hash').notNull(),
    /** Consecutive wrong PINs since the last success or lock. */
    pinFailures: integer('pin_failures').notNull().default(0),
    /** How many times the account was locked: the lock doubles each time. */
    lockCount: integer('lock_count').notNull().default(0),
    lockedUntil: ts('locked_until'),
    suspendedReason: text('suspended_reason'),
    activatedAt: ts('activated_at').notNull(),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
    deletedAt: ts('deleted_at'),
    /** The per-scan notice e-mail (PUT /v1/me/preferences). */
    scanNotifications: boolean('scan_notifications').notNull().default(true),
  },
  // One live IKD per NIK; deleted accounts stay for the access history's sake.
  (t) => [
    uniqueIndex('accounts_nik_live_idx').on(t.nik).where(sql`status <> 'deleted'`),
    // The dashboard's activations by region within a period (drizzle/0012).
    index('accounts_activated_nik_idx').on(t.activatedAt, t.nik),
  ],
);

export const devices = pgTable(
  'devices',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id').notNull(),
    /** Raw Ed25519 public key, base64url. */
    publicKey: text('public_key').notNull(),
    registrationId: text('registration_id').notNull(),
    status: text('status', { enum: ['active', 'revoked'] }).notNull(),
    createdAt: ts('created_at').notNull(),
    revokedAt: ts('revoked_at'),
  },
  (t) => [index('devices_account_idx').on(t.accountId, t.status)],
);

export const residentSessions = pgTable(
  'resident_sessions',
  {
    id: text('id').primaryKey(),
    /** SHA-256 of the opaque access token, hex. */
    tokenHash: text('token_hash').notNull(),
    accountId: text('account_id').notNull(),
    deviceId: text('device_id').notNull(),
    createdAt: ts('created_at').notNull(),
    expiresAt: ts('expires_at').notNull(),
    revokedAt: ts('revoked_at'),
  },
  (t) => [uniqueIndex('resident_sessions_token_idx').on(t.tokenHash), index('resident_sessions_account_idx').on(t.accountId)],
);

/** Lupa PIN: a one-time e-mailed code for the enrolled device (15 min, 5 tries, single use); the newest voids the rest. */
export const pinResets = pgTable(
  'pin_resets',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id').notNull(),
    /** The device that asked: only it may confirm. */
    deviceId: text('device_id').notNull(),
    /** HMAC (keyed with the pepper) of the 6-digit code, hex. */
    codeHash: text('code_hash').notNull(),
    failedAttempts: integer('failed_attempts').notNull().default(0),
    createdAt: ts('created_at').notNull(),
    expiresAt: ts('expires_at').notNull(),
    consumedAt: ts('consumed_at'),
    voidedAt: ts('voided_at'),
  },
  (t) => [index('pin_resets_account_idx').on(t.accountId, t.createdAt)],
);

/** Lock links in per-scan notices ("Bukan saya? Kunci IKD saya"): ≥128-bit token, stored hashed, single use, 7 days. */
export const lockLinks = pgTable(
  'lock_links',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id').notNull(),
    /** SHA-256 of the link token, hex. */
    tokenHash: text('token_hash').notNull(),
    createdAt: ts('created_at').notNull(),
    expiresAt: ts('expires_at').notNull(),
    usedAt: ts('used_at'),
  },
  (t) => [uniqueIndex('lock_links_token_hash_idx').on(t.tokenHash), index('lock_links_account_idx').on(t.accountId)],
);

/** Institutions (verifiers) a holder refuses: their redemptions and data-balikan writes answer 403 holder_refused. */
export const holderBlocks = pgTable(
  'holder_blocks',
  {
    accountId: text('account_id').notNull(),
    verifierId: text('verifier_id').notNull(),
    blockedAt: ts('blocked_at').notNull(),
  },
  (t) => [uniqueIndex('holder_blocks_key_idx').on(t.accountId, t.verifierId)],
);
