/** KTP digital: QR tokens, verifiers (public-service counters) and the access log residents read. */
import { sql } from 'drizzle-orm';
import { bigserial, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const ktpTokens = pgTable(
  'ktp_tokens',
  {
    /** The random token id carried (encrypted) in the QR, hex. */
    id: text('id').primaryKey(),
    accountId: text('account_id').notNull(),
    kid: text('kid').notNull(),
    /** The elements the resident chose to disclose. */
    elements: text('elements').array().notNull(),
    /** Which document the QR stands for (docs/token-format.md, version 2); 'ktp' for a KTP QR. */
    document: text('document').notNull().default('ktp'),
    issuedAt: ts('issued_at').notNull(),
    expiresAt: ts('expires_at').notNull(),
    usedAt: ts('used_at'),
    usedBy: text('used_by'),
    revokedAt: ts('revoked_at'),
  },
  (t) => [index('ktp_tokens_account_idx').on(t.accountId, t.issuedAt)],
);

export const verifiers = pgTable(
  'verifiers',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    /** SHA-256 of the API key, hex; the key itself is shown once. */
    apiKeyHash: text('api_key_hash').notNull(),
    allowedElements: text('allowed_elements').array().notNull(),
    /** The document types this counter may receive (API.md Part 2); a KTP-only counter by default. */
    allowedDocuments: text('allowed_documents').array().notNull().default(sql`'{ktp}'`),
    status: text('status', { enum: ['active', 'revoked'] }).notNull(),
    createdBy: text('created_by'),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [uniqueIndex('verifiers_api_key_hash_idx').on(t.apiKeyHash)],
);

export const accessLog = pgTable(
  'access_log',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    at: ts('at').notNull(),
    tokenId: text('token_id'),
    /** null when the token could not be read at all. */
    accountId: text('account_id'),
    verifierId: text('verifier_id').notNull(),
    outcome: text('outcome', {
      enum: ['verified', 'expired', 'already_used', 'revoked', 'invalid', 'account_inactive', 'not_allowed', 'nothing_to_disclose', 'refused'],
    }).notNull(),
    elements: text('elements').array().notNull(),
    /** The document of a document QR; null for a KTP QR or an unreadable token. */
    document: text('document'),
    counter: text('counter'),
  },
  (t) => [index('access_log_account_idx').on(t.accountId, t.seq), index('access_log_account_verifier_idx').on(t.accountId, t.verifierId)],
);

export const rateLimits = pgTable(
  'rate_limits',
  {
    key: text('key').notNull(),
    windowStart: ts('window_start').notNull(),
    count: integer('count').notNull(),
  },
  (t) => [uniqueIndex('rate_limits_key_window_idx').on(t.key, t.windowStart)],
);
