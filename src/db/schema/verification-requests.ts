/** Pindai at a counter: a request the counter opens (its QR), the holder decides with the PIN, the counter collects once. */
import { index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const verificationRequests = pgTable(
  'verification_requests',
  {
    /** The id in the QR (`verify.<id>`): 128 random bits, base64url. */
    id: text('id').primaryKey(),
    verifierId: text('verifier_id').notNull(),
    /** The KTP elements asked for (within the verifier's allowance when opened). */
    elements: text('elements').array().notNull(),
    /** A document type the counter asks for besides the elements; null: the KTP only. */
    document: text('document'),
    counter: text('counter'),
    status: text('status', { enum: ['pending', 'approved', 'denied'] }).notNull(),
    /** The holder who decided: the first to decide binds the request. */
    accountId: text('account_id'),
    /** What the holder chose to share (a subset of `elements`). */
    sharedElements: text('shared_elements').array(),
    decidedAt: ts('decided_at'),
    /** When the counter received the result: once only. */
    collectedAt: ts('collected_at'),
    createdAt: ts('created_at').notNull(),
    expiresAt: ts('expires_at').notNull(),
  },
  (t) => [index('verification_requests_verifier_idx').on(t.verifierId), index('verification_requests_account_idx').on(t.accountId)],
);
