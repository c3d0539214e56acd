/** Dukcapil operators, supervisors and admins, and their console sessions. */
import { bigint, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const operators = pgTable(
  'operators',
  {
    id: text('id').primaryKey(),
    username: text('username').notNull(),
    name: text('name').notNull(),
    role: text('role', { enum: ['courier', 'operator', 'supervisor', 'admin'] }).notNull(),
    officeCode: text('office_code').notNull(),
    passwordHash: text('password_hash').notNull(),
    totpSecret: text('totp_secret').notNull(),
    /** The last TOTP time step accepted: a code is accepted once (conditional update on this column). */
    lastTotpStep: bigint('last_totp_step', { mode: 'number' }).notNull().default(0),
    failedLogins: integer('failed_logins').notNull().default(0),
    lockedUntil: ts('locked_until'),
    status: text('status', { enum: ['active', 'disabled'] }).notNull().default('active'),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [uniqueIndex('operators_username_idx').on(t.username)],
);

/**
 * Login failures per (username, client address): a stranger elsewhere cannot lock an operator out, and unknown
 * usernames get a row like known ones (the lock tells nothing). The username is keyed by its hash.
 */
export const operatorLoginLocks = pgTable(
  'operator_login_locks',
  {
    usernameHash: text('username_hash').notNull(),
    address: text('address').notNull(),
    /** Tries claimed since the last success or lock (in flight ones included). */
    failures: integer('failures').notNull().default(0),
    lockedUntil: ts('locked_until'),
    lastAttemptAt: ts('last_attempt_at').notNull(),
  },
  (t) => [uniqueIndex('operator_login_locks_key_idx').on(t.usernameHash, t.address)],
);

export const operatorSessions = pgTable(
  'operator_sessions',
  {
    id: text('id').primaryKey(),
    tokenHash: text('token_hash').notNull(),
    operatorId: text('operator_id').notNull(),
    createdAt: ts('created_at').notNull(),
    lastSeenAt: ts('last_seen_at').notNull(),
    /** Absolute end: 12 h after login. Idle end: 30 min after lastSeenAt. */
    expiresAt: ts('expires_at').notNull(),
    revokedAt: ts('revoked_at'),
  },
  (t) => [uniqueIndex('operator_sessions_token_idx').on(t.tokenHash), index('operator_sessions_operator_idx').on(t.operatorId)],
);
