/** KTP digital: QR tokens, verifiers (public-service counters) and the access log residents read. */
import { sql } from 'drizzle-orm';
import { bigint, bigserial, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

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
  (t) => [
    index('ktp_tokens_account_idx').on(t.accountId, t.issuedAt),
    // The maintenance job's purge of tokens past expiry + grace (drizzle/0019).
    index('ktp_tokens_expires_at_idx').on(t.expiresAt),
  ],
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
    /** The data-balikan kinds this institution may write back (API.md Part 2 "Data balikan"); none by default. */
    dataBalikanKinds: text('data_balikan_kinds').array().notNull().default(sql`'{}'`),
    status: text('status', { enum: ['active', 'revoked'] }).notNull(),
    createdBy: text('created_by'),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [uniqueIndex('verifiers_api_key_hash_idx').on(t.apiKeyHash)],
);

/**
 * Partitioned by month of `at` (drizzle/0019; partitions made ahead and dropped by the maintenance job,
 * src/domain/maintenance/partitions.ts), so the primary key carries `at` too.
 */
export const accessLog = pgTable(
  'access_log',
  {
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    at: ts('at').notNull(),
    tokenId: text('token_id'),
    /** null when the token could not be read at all. */
    accountId: text('account_id'),
    verifierId: text('verifier_id').notNull(),
    outcome: text('outcome', {
      enum: ['verified', 'expired', 'already_used', 'revoked', 'invalid', 'account_inactive', 'not_allowed', 'nothing_to_disclose', 'data_written', 'refused', 'login'],
    }).notNull(),
    elements: text('elements').array().notNull(),
    /** The document of a document QR; null for a KTP QR or an unreadable token. */
    document: text('document'),
    counter: text('counter'),
    /** For a data_written row: which data-balikan kind, and whether it was written or deleted. */
    dataKind: text('data_kind'),
    dataAction: text('data_action', { enum: ['written', 'deleted'] }),
    /**
     * The holder's district (first 6 NIK digits) as of the row, written by every statement that logs a row for an
     * account (drizzle/0022), so statistics count by region without joining accounts; null on rows written before
     * it and on rows without an account.
     */
    holderDistrict: text('holder_district'),
  },
  (t) => [
    primaryKey({ name: 'access_log_pkey', columns: [t.seq, t.at] }),
    index('access_log_account_idx').on(t.accountId, t.seq),
    index('access_log_account_verifier_idx').on(t.accountId, t.verifierId),
    // The dashboard's verifications (successful redemptions) within a period (drizzle/0012).
    index('access_log_verified_at_idx').on(t.at, t.accountId).where(sql`outcome = 'verified'`),
  ],
);

/**
 * Statistics rollups (drizzle/0019, 0020): access-log rows per UTC hour and outcome, in two grains: per holder's
 * province (district '', province '' without an account) and per holder's district (first 6 NIK digits), made by the
 * maintenance job up to the 'stats.rollupUntil' mark (src/domain/operators/rollups.ts).
 */
export const accessStatsHourly = pgTable(
  'access_stats_hourly',
  {
    hour: ts('hour').notNull(),
    province: text('province').notNull(),
    district: text('district').notNull().default(''),
    outcome: text('outcome').notNull(),
    count: bigint('count', { mode: 'number' }).notNull(),
  },
  (t) => [
    primaryKey({ name: 'access_stats_hourly_pkey', columns: [t.hour, t.province, t.district, t.outcome] }),
    index('access_stats_hourly_province_idx').on(t.hour, t.province, t.outcome).where(sql`${t.district} = ''`),
    index('access_stats_hourly_district_idx').on(t.province, t.hour, t.district).where(sql`${t.district} <> ''`),
  ],
);

/** Registrations and activations per UTC hour, province and district (drizzle/0021): kind 'registration' | 'activation'. */
export const accountStatsHourly = pgTable(
  'account_stats_hourly',
  {
    hour: ts('hour').notNull(),
    province: text('province').notNull(),
    district: text('district').notNull().default(''),
    kind: text('kind').notNull(),
    count: bigint('count', { mode: 'number' }).notNull(),
  },
  (t) => [
    primaryKey({ name: 'account_stats_hourly_pkey', columns: [t.hour, t.province, t.district, t.kind] }),
    index('account_stats_hourly_province_idx').on(t.hour, t.province, t.kind).where(sql`${t.district} = ''`),
    index('account_stats_hourly_district_idx').on(t.province, t.hour, t.district).where(sql`${t.district} <> ''`),
  ],
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

/**
 * Data balikan: what a user institution (a verifier) writes back about a holder, one row per (NIK, institution, kind).
 * Keyed by NIK, not account, so an institution's record can exist before the holder activates an IKD (the demo seed);
 * writes still need a live account that presented a QR to that institution. `fields` keeps the order it was sent in
 * as [{ label, value }] (a jsonb object would reorder its keys).
 */
export const dataBalikan = pgTable(
  'data_balikan',
  {
    nik: text('nik').notNull(),
    verifierId: text('verifier_id').notNull(),
    kind: text('kind').notNull(),
    fields: jsonb('fields').$type<{ label: string; value: string }[]>().notNull(),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [primaryKey({ name: 'data_balikan_pk', columns: [t.nik, t.verifierId, t.kind] })],
);
